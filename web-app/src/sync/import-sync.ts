import type { SampleMindDb } from '../db/database';
import type { CollectionItemRow, EditRow, FileRow } from '../db/types';
import { ensureCollectionSynced, nameAndPath } from './bootstrap';
import { type Draft, diffSample, emptySample, memberDrafts, type SampleState } from './entity-state';
import { editFields, filesByHash, readSampleStates, tagNames } from './local-read';
import { enqueue } from './outbox';
import { deleteFileRows, editFromState } from './project';
import type { SyncBinding } from './sync-store';

/** A file whose analysis is being stored (the importer's successful outcomes). */
export type Analysed = { fileId: number; hash: string; analyserVersion: string; isFresh: boolean };

export type AnalysedSync = {
  /** Writes what follows from the new results (call after the importer's own writes, same transaction). */
  commit(): Promise<void>;
  /** For the in-memory index, after the transaction. */
  removed: number[];
  edits: { fileId: number; edit: EditRow | null }[];
  members: CollectionItemRow[];
  hashes: string[];
  enqueued: number;
};

/**
 * Sync's part of storing analysis results, inside the importer's transaction and before its
 * writes (so base snapshots see the state before). A new sound is registered with the server
 * (name and path the first time only); a file whose sound was only known from the server
 * replaces that 'remote' row and takes over its tags, favourite, corrections and collections; edits
 * made while the file waited for analysis are sent too; duplicates share the sample's edits.
 */
export async function prepareAnalysedSync(
  db: SampleMindDb,
  binding: SyncBinding,
  items: Analysed[],
): Promise<AnalysedSync> {
  const hashes = [...new Set(items.map((i) => i.hash))];
  const groups = await filesByHash(db, hashes);
  const names = await tagNames(db);
  const states = await readSampleStates(db, hashes, names);
  const own = await db.edits.bulkGet(items.map((i) => i.fileId));
  const ownFiles = await db.files.bulkGet(items.map((i) => i.fileId));
  const collections = await db.collections.toArray();
  const ownItems = await db.collectionItems
    .where('fileId')
    .anyOf(items.map((i) => i.fileId))
    .toArray();

  const drafts: Draft[] = [];
  const removed: number[] = [];
  const merged = new Map<string, SampleState>();
  const members: CollectionItemRow[] = [];
  const now = Date.now();
  items.forEach((it, i) => {
    const others = (groups.get(it.hash) ?? []).filter((f: FileRow) => f.id !== it.fileId);
    const remote = others.filter((f) => f.status === 'remote');
    const local = others.filter((f) => f.status !== 'remote');
    const wasSame = ownFiles[i]?.contentHash === it.hash;
    const isKnown = others.length > 0 || wasSame;
    for (const f of remote) removed.push(f.id!);
    if (it.isFresh || (remote.length && !local.length) || !isKnown) {
      drafts.push({
        name: 'sample.upsertAnalysis',
        args: {
          id: it.hash,
          analyserVersion: it.analyserVersion,
          ...(isKnown || !ownFiles[i] ? {} : nameAndPath(ownFiles[i]!, it.hash)),
        },
      });
    }
    // The sample's edits (from its other files, or the server) plus what was done to this file.
    const current = merged.get(it.hash) ?? (isKnown ? states.get(it.hash)! : emptySample(it.hash));
    const mine = editFields(own[i], names);
    const next: SampleState = {
      ...current,
      tags: [...new Set([...current.tags, ...mine.tags])].sort(),
      favorite: current.favorite || mine.favorite,
      bpm: mine.bpm ?? current.bpm,
      key: mine.key ?? current.key,
      type: mine.type ?? current.type,
      rating: mine.rating ?? current.rating,
      notes: mine.notes || current.notes,
    };
    drafts.push(...diffSample(current, next));
    merged.set(it.hash, next);
    // Collections: those listing the sound take this file in; this file's own ones list the sound.
    for (const c of collections) {
      if (c.sampleIds?.includes(it.hash))
        members.push({ collectionId: c.id!, fileId: it.fileId, addedAt: now });
    }
  });

  const byCollection = new Map<number, string[]>();
  for (const it of ownItems) {
    const item = items.find((x) => x.fileId === it.fileId)!;
    byCollection.set(it.collectionId, [...(byCollection.get(it.collectionId) ?? []), item.hash]);
  }
  for (const [collectionId, add] of byCollection) {
    const row = collections.find((c) => c.id === collectionId);
    if (!row) continue;
    const synced = await ensureCollectionSynced(db, row);
    const fresh = add.filter((h) => !synced.sampleIds!.includes(h));
    if (!fresh.length) continue;
    drafts.push(...memberDrafts(synced.syncId!, fresh, []));
    await db.collections.put({ ...synced, sampleIds: [...synced.sampleIds!, ...fresh].sort() });
  }

  const rows = await enqueue(db, drafts, binding);
  const edits: { fileId: number; edit: EditRow | null }[] = [];
  return {
    removed,
    edits,
    members,
    hashes,
    enqueued: rows.length,
    async commit() {
      await deleteFileRows(db, removed);
      const tagId = await tagIds(db);
      const gone = new Set(removed);
      const put: EditRow[] = [];
      const drop: number[] = [];
      for (const [hash, state] of merged) {
        const fileIds = [
          ...(groups.get(hash) ?? []).filter((f: FileRow) => !gone.has(f.id!)).map((f: FileRow) => f.id!),
          ...items.filter((i) => i.hash === hash).map((i) => i.fileId),
        ];
        for (const fileId of new Set(fileIds)) {
          const edit = editFromState(state, tagId, fileId, now);
          if (edit) put.push(edit);
          else drop.push(fileId);
          edits.push({ fileId, edit });
        }
      }
      if (drop.length) await db.edits.bulkDelete(drop);
      if (put.length) await db.edits.bulkPut(put);
      if (members.length) await db.collectionItems.bulkPut(members);
    },
  };
}

/** Tag ids by lower-cased name (every name the merged states use already exists: they came from tags here). */
async function tagIds(db: SampleMindDb) {
  const byName = new Map<string, number>();
  for (const t of await db.tags.toArray()) {
    const n = t.name.toLowerCase();
    if (!byName.has(n) || t.name === n) byName.set(n, t.id!);
  }
  return (name: string) => byName.get(name)!;
}
