import type { SampleMindDb } from '../db/database';
import { hasRows } from '../db/has-rows';
import type { AiRecord, CollectionRow, EditRow, FileRow } from '../db/types';
import { aiRegisterOf, pickAiRecord } from './ai-bridge';
import { absentCollection, type CollectionState, emptySample, type SampleState } from './entity-state';

export type TagNames = Map<number, string>;

export async function tagNames(db: SampleMindDb): Promise<TagNames> {
  return new Map((await db.tags.toArray()).map((t) => [t.id!, t.name.toLowerCase()]));
}

/** The user's edits of one file as sample fields (tags by name). */
export function editFields(
  e: EditRow | null | undefined,
  names: TagNames,
): Pick<SampleState, 'tags' | 'favorite' | 'bpm' | 'key' | 'type' | 'rating' | 'notes'> {
  const tags: string[] = [];
  for (const id of e?.tags ?? []) {
    const n = names.get(id);
    if (n) tags.push(n);
  }
  return {
    tags: [...new Set(tags)].sort(),
    favorite: !!e?.favourite,
    bpm: typeof e?.bpm === 'number' && Number.isFinite(e.bpm) ? e.bpm : null,
    // An edit row's null key is a correction to "no key"; undefined is no correction.
    key: e?.key === null ? 'none' : (e?.key ?? null),
    type: e?.type ?? null,
    rating: e?.rating ?? null,
    notes: e?.notes ?? '',
  };
}

const isListed = (f: FileRow) => f.status === 'done' || f.status === 'remote';

/**
 * The files whose content hash is one of `hashes`. For many hashes one pass over the hash index's
 * keys (no values read) beats thousands of index seeks; for a few, the seeks win.
 */
export async function filesWithHashes(db: SampleMindDb, hashes: string[]): Promise<FileRow[]> {
  if (hashes.length < 64) return db.files.where('contentHash').anyOf(hashes).toArray();
  const wanted = new Set(hashes);
  const ids: number[] = [];
  await db.files.orderBy('contentHash').eachKey((key, cursor) => {
    if (wanted.has(key as string)) ids.push(cursor.primaryKey as number);
  });
  if (!ids.length) return [];
  return (await db.files.bulkGet(ids)).filter((f): f is FileRow => !!f);
}

/** Files grouped by content hash, each group in id order (the first one speaks for the sample). */
export async function filesByHash(db: SampleMindDb, hashes: string[]): Promise<Map<string, FileRow[]>> {
  const out = new Map<string, FileRow[]>();
  if (!hashes.length) return out;
  const rows = await filesWithHashes(db, hashes);
  rows.sort((a, b) => a.id! - b.id!);
  for (const f of rows) {
    const list = out.get(f.contentHash!);
    if (list) list.push(f);
    else out.set(f.contentHash!, [f]);
  }
  return out;
}

export async function aiByHash(db: SampleMindDb, hashes: string[]): Promise<Map<string, AiRecord[]>> {
  const out = new Map<string, AiRecord[]>();
  if (!hashes.length || !(await hasRows(db.descriptions))) return out;
  for (const r of await db.descriptions.where('contentHash').anyOf(hashes).toArray()) {
    const list = out.get(r.contentHash);
    if (list) list.push(r);
    else out.set(r.contentHash, [r]);
  }
  return out;
}

/** The sample state this library shows for each hash (emptySample for hashes it has no file of). */
export async function readSampleStates(
  db: SampleMindDb,
  hashes: string[],
  names?: TagNames,
): Promise<Map<string, SampleState>> {
  const tagsById = names ?? (await tagNames(db));
  const groups = await filesByHash(db, hashes);
  const ai = await aiByHash(db, hashes);
  const reps = hashes.map((h) => groups.get(h)?.[0]);
  const edits = await db.edits.bulkGet(reps.map((f) => f?.id ?? -1));
  const out = new Map<string, SampleState>();
  hashes.forEach((h, i) => {
    const rep = reps[i];
    const base = emptySample(h);
    if (!rep) {
      out.set(h, { ...base, ...aiRegisterOf(pickAiRecord(ai.get(h) ?? [])) });
      return;
    }
    out.set(h, {
      ...base,
      hasAnalysis: groups.get(h)!.some(isListed),
      name: rep.name,
      path: rep.path,
      ...editFields(edits[i], tagsById),
      ...aiRegisterOf(pickAiRecord(ai.get(h) ?? [])),
    });
  });
  return out;
}

/** Member hashes of a collection from its items (for collections made before sync was on). */
export async function memberHashesFromItems(db: SampleMindDb, collectionId: number): Promise<string[]> {
  const items = await db.collectionItems
    .where('[collectionId+fileId]')
    .between([collectionId, -Infinity], [collectionId, Infinity])
    .toArray();
  const files = await db.files.bulkGet(items.map((i) => i.fileId));
  return [...new Set(files.flatMap((f) => (f?.contentHash ? [f.contentHash] : [])))].sort();
}

export async function collectionState(db: SampleMindDb, row: CollectionRow | undefined, syncId: string) {
  if (!row) return absentCollection(syncId);
  const state: CollectionState = {
    id: syncId,
    deleted: false,
    name: row.name,
    description: row.description ?? '',
    color: row.color ?? null,
    sampleIds: row.sampleIds ?? (await memberHashesFromItems(db, row.id!)),
  };
  return state;
}

export async function readCollectionStates(db: SampleMindDb, syncIds: string[]) {
  const out = new Map<string, CollectionState>();
  if (!syncIds.length) return out;
  const rows = await db.collections.where('syncId').anyOf(syncIds).toArray();
  const bySync = new Map(rows.map((r) => [r.syncId!, r]));
  for (const id of syncIds) out.set(id, await collectionState(db, bySync.get(id), id));
  return out;
}
