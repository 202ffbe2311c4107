import { decodeFeatures8, type SyncSummary } from '@samplemind/contract';
import type { SampleMindDb } from '../db/database';
import { hasRows } from '../db/has-rows';
import { bulkAddInSlices, bulkPutInSlices } from '../db/in-slices';
import type { CollectionRow, EditRow, FileRow, SampleSummary } from '../db/types';
import { packRows } from '../db/vector-source';
import { aiRegisterOf, decodeAiText, pickAiRecord } from './ai-bridge';
import type { CollectionState, SampleState } from './entity-state';
import { aiByHash, filesByHash } from './local-read';

/**
 * The files that have these hashes, as the in-memory index knows them: read by primary key
 * (and checked) instead of searched for, which on a 100k library saves a pass over the hash index
 * per page. The index can lag another tab's import by a moment; the worst case is a 'remote' row
 * next to the new file, removed when that file's own upload comes back in the next pull.
 */
export type Candidates = (hashes: string[]) => Map<string, number[]>;

async function groupsFrom(db: SampleMindDb, hashes: string[], candidates?: Candidates) {
  if (!hashes.length || !(await hasRows(db.files))) return new Map<string, FileRow[]>();
  if (!candidates) return filesByHash(db, hashes);
  const ids = [...candidates(hashes).values()].flat();
  const out = new Map<string, FileRow[]>();
  const rows = (await db.files.bulkGet(ids)).filter((f): f is FileRow => !!f?.contentHash);
  rows.sort((a, b) => a.id! - b.id!);
  const wanted = new Set(hashes);
  for (const f of rows) {
    if (!wanted.has(f.contentHash!)) continue;
    const list = out.get(f.contentHash!);
    if (list) list.push(f);
    else out.set(f.contentHash!, [f]);
  }
  return out;
}

/** A sample state to show, with what a device without the file needs (when the server sent it). */
export type SampleInput = { state: SampleState; summary: SyncSummary | null };

/** What changed in the library tables, for patching the in-memory index (once per page). */
export type IndexPatch = {
  /** Rows added or rewritten (remote samples), with their edits. */
  upserts: { file: FileRow; edit: EditRow | null }[];
  /** Edits of existing rows that changed. */
  edits: { fileId: number; edit: EditRow | null }[];
  removed: number[];
  tagsChanged: boolean;
  /** Collections whose members changed (local id → file ids), or that were deleted (null). */
  collections: Map<number, number[] | null>;
  /** Collection rows (name etc.) changed. */
  collectionsChanged: boolean;
  /** Every content hash touched, for other tabs. */
  hashes: string[];
};

export function emptyPatch(): IndexPatch {
  return {
    upserts: [],
    edits: [],
    removed: [],
    tagsChanged: false,
    collections: new Map(),
    collectionsChanged: false,
    hashes: [],
  };
}

export function summaryFromSync(s: SyncSummary): SampleSummary {
  return {
    type: s.type,
    typeConfidence: s.typeConfidence,
    bpm: s.bpm,
    bpmConfidence: s.bpmConfidence,
    tonic: s.tonic,
    scale: s.scale,
    keyConfidence: s.keyConfidence,
    durationSec: s.format.durationSec,
    lufs: s.lufs,
    rootNote: s.midiNote,
    isLoop: s.isLoop,
  };
}

/** The edit row that shows a sample state on one file (null: nothing edited). */
export function editFromState(
  s: SampleState,
  tagId: (name: string) => number,
  fileId: number,
  now: number,
): EditRow | null {
  const e: EditRow = { fileId, updatedAt: now };
  if (s.tags.length) e.tags = s.tags.map(tagId);
  if (s.favorite) e.favourite = true;
  if (s.bpm !== null) e.bpm = s.bpm;
  if (s.key === 'none') e.key = null;
  else if (s.key) e.key = { tonic: s.key.tonic, scale: s.key.scale };
  if (s.type) e.type = s.type;
  if (s.rating !== null) e.rating = s.rating;
  if (s.notes) e.notes = s.notes;
  return Object.keys(e).length > 2 ? e : null;
}

/** Compares the parts of two edit rows that sync writes. */
function sameEdit(a: EditRow | null | undefined, b: EditRow | null | undefined): boolean {
  const pick = (e: EditRow | null | undefined) =>
    e
      ? JSON.stringify([
          [...(e.tags ?? [])].sort((x, y) => x - y),
          !!e.favourite,
          e.bpm ?? null,
          e.key === null ? 'none' : e.key ? [e.key.tonic, e.key.scale] : null,
          e.type ?? null,
          e.rating ?? null,
          e.notes ?? '',
        ])
      : JSON.stringify([[], false, null, null, null, null, '']);
  return pick(a) === pick(b);
}

function remoteRow(s: SampleState, summary: SyncSummary, now: number): FileRow {
  const name = s.name ?? `${s.id.slice(0, 12)}…`;
  return {
    name,
    path: s.path ?? name,
    folderId: null,
    size: 0,
    mtime: 0,
    addedAt: now,
    contentHash: s.id,
    analyserVersion: summary.analyserVersion,
    status: 'remote',
    error: null,
    summary: summaryFromSync(summary),
  };
}

/** Tag ids by (lower-cased) name, creating the missing tags. */
async function tagResolver(db: SampleMindDb, names: Set<string>, patch: IndexPatch) {
  const byName = new Map<string, number>();
  for (const t of await db.tags.toArray()) {
    const n = t.name.toLowerCase();
    // An older mixed-case tag ("Drums") stands for its lower-cased name unless that exists too.
    if (!byName.has(n) || t.name === n) byName.set(n, t.id!);
  }
  const missing = [...names].filter((n) => !byName.has(n));
  if (missing.length) {
    const now = Date.now();
    const ids = (await db.tags.bulkAdd(
      missing.map((name) => ({ name, createdAt: now })),
      { allKeys: true },
    )) as number[];
    missing.forEach((n, i) => {
      byName.set(n, ids[i]);
    });
    patch.tagsChanged = true;
  }
  return (name: string) => byName.get(name)!;
}

/** Deletes file rows and everything hanging off them (not the analyses: duplicates may share them). */
export async function deleteFileRows(db: SampleMindDb, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await db.files.bulkDelete(ids);
  await db.queue.bulkDelete(ids);
  await db.blobs.bulkDelete(ids);
  await db.edits.bulkDelete(ids);
  await db.collectionItems.where('fileId').anyOf(ids).delete();
}

/**
 * Writes sample and collection states into the library: every file with a sample's hash gets its
 * edits, a sample without a file here becomes a 'remote' row, a deleted one leaves the library,
 * collections get their members. Runs inside the caller's transaction (scope: the library tables,
 * vectors, vectorPacks, queue, blobs); bulk operations only, so a page of thousands costs a few of them.
 */
export async function projectStates(
  db: SampleMindDb,
  samples: SampleInput[],
  collections: CollectionState[],
  options: { now?: number; candidates?: Candidates } = {},
): Promise<IndexPatch> {
  const now = options.now ?? Date.now();
  const patch = emptyPatch();
  const hashes = samples.map((s) => s.state.id);
  patch.hashes = hashes;
  const groups = await groupsFrom(db, hashes, options.candidates);
  const names = new Set<string>();
  for (const { state } of samples) if (!state.deleted) for (const t of state.tags) names.add(t);
  const tagId = await tagResolver(db, names, patch);

  const existingIds: number[] = [];
  for (const list of groups.values()) for (const f of list as FileRow[]) existingIds.push(f.id!);
  const oldEdits = new Map<number, EditRow>();
  for (const e of await db.edits.bulkGet(existingIds)) if (e) oldEdits.set(e.fileId, e);

  const removed: number[] = [];
  const putEdits: EditRow[] = [];
  const dropEdits: number[] = [];
  const rewritten: FileRow[] = [];
  const created: { file: FileRow; state: SampleState }[] = [];
  const vectors: { contentHash: string; v: Float32Array }[] = [];
  const visible: SampleState[] = [];

  const setEdit = (fileId: number, s: SampleState) => {
    const next = editFromState(s, tagId, fileId, now);
    if (sameEdit(oldEdits.get(fileId), next)) return;
    if (next) putEdits.push(next);
    else if (oldEdits.has(fileId)) dropEdits.push(fileId);
    patch.edits.push({ fileId, edit: next });
  };

  for (const { state, summary } of samples) {
    const files: FileRow[] = groups.get(state.id) ?? [];
    const local = files.filter((f) => f.status !== 'remote');
    const remote = files.filter((f) => f.status === 'remote');
    if (state.deleted || (!local.length && !state.hasAnalysis)) {
      for (const f of files) removed.push(f.id!);
      continue;
    }
    visible.push(state);
    if (local.length) {
      for (const f of remote) removed.push(f.id!);
      for (const f of local) setEdit(f.id!, state);
      continue;
    }
    if (remote.length) {
      const [keep, ...extra] = remote;
      for (const f of extra) removed.push(f.id!);
      const next: FileRow = summary
        ? { ...remoteRow(state, summary, keep.addedAt), id: keep.id }
        : { ...keep, name: state.name ?? keep.name, path: state.path ?? keep.path };
      if (next.name !== keep.name || next.path !== keep.path || summary) {
        rewritten.push(next);
        if (summary) vectors.push({ contentHash: state.id, v: decodeFeatures8(summary.features) });
      }
      setEdit(keep.id!, state);
      continue;
    }
    if (summary) {
      created.push({ file: remoteRow(state, summary, now), state });
      vectors.push({ contentHash: state.id, v: decodeFeatures8(summary.features) });
    }
  }

  await deleteFileRows(db, removed);
  patch.removed = removed;
  if (dropEdits.length) await db.edits.bulkDelete(dropEdits);
  // One pack record per page, not a row per sound: IndexedDB's cost is per record (see
  // db/vector-source.ts, which also says why stale entries in older packs are harmless). Sent
  // first: it needs no row ids, and IndexedDB stores it while this side hands over the rows.
  const vectorsPut = vectors.length ? db.vectorPacks.add(packRows(vectors)) : null;
  // Awaited below; if the rows fail first, the transaction aborts and this rejection is moot.
  vectorsPut?.catch(() => {});
  // Rows go in slices (db/in-slices.ts): a page's rows in one call held the main thread for up to
  // a quarter of a second.
  if (rewritten.length) await bulkPutInSlices(db.files, rewritten);
  if (created.length) {
    const ids = (await bulkAddInSlices(
      db.files,
      created.map((c) => c.file),
    )) as number[];
    created.forEach((c, i) => {
      c.file.id = ids[i];
      const edit = editFromState(c.state, tagId, ids[i], now);
      if (edit) putEdits.push(edit);
      patch.upserts.push({ file: c.file, edit });
    });
  }
  if (rewritten.length) {
    const edited = new Map(putEdits.map((e) => [e.fileId, e]));
    const dropped = new Set(dropEdits);
    for (const f of rewritten) {
      const e = edited.get(f.id!) ?? (dropped.has(f.id!) ? null : (oldEdits.get(f.id!) ?? null));
      patch.upserts.push({ file: f, edit: e });
    }
  }
  if (putEdits.length) await bulkPutInSlices(db.edits, putEdits);
  await vectorsPut;
  await projectAi(db, visible, now);
  await projectCollections(db, collections, created, now, patch);
  return patch;
}

/** The AI register: one record per sound, replaced when the synced text differs. */
async function projectAi(db: SampleMindDb, states: SampleState[], now: number) {
  const withText = states.filter((s) => s.aiDescription !== null);
  const hasRecords = await hasRows(db.descriptions);
  if (!withText.length && !hasRecords) return;
  const records = await aiByHash(
    db,
    states.map((s) => s.id),
  );
  const drop: [string, string][] = [];
  const put = [];
  for (const s of states) {
    const have = records.get(s.id) ?? [];
    const reg = aiRegisterOf(pickAiRecord(have));
    if (reg.aiDescription === s.aiDescription && reg.aiModel === (s.aiModel || null)) continue;
    for (const r of have) drop.push([r.contentHash, r.promptVersion]);
    if (s.aiDescription !== null) put.push(decodeAiText(s.id, s.aiDescription, s.aiModel, now));
  }
  if (drop.length) await db.descriptions.bulkDelete(drop);
  if (put.length) await bulkPutInSlices(db.descriptions, put);
}

/**
 * Ids of the files with these hashes: one exact index read per hash, all sent at once (anyOf()
 * walks a cursor with a round trip per hash, ~0.3 ms each).
 */
async function fileIdsWithHashes(db: SampleMindDb, hashes: string[]): Promise<number[]> {
  const lists = await Promise.all(hashes.map((h) => db.files.where('contentHash').equals(h).primaryKeys()));
  return lists.flat() as number[];
}

async function itemsOf(db: SampleMindDb, collectionId: number) {
  return db.collectionItems
    .where('[collectionId+fileId]')
    .between([collectionId, -Infinity], [collectionId, Infinity])
    .toArray();
}

async function projectCollections(
  db: SampleMindDb,
  states: CollectionState[],
  created: { file: FileRow; state: SampleState }[],
  now: number,
  patch: IndexPatch,
) {
  const touched = new Set<number>();
  if (states.length) {
    const rows = await db.collections
      .where('syncId')
      .anyOf(states.map((s) => s.id))
      .toArray();
    const bySync = new Map(rows.map((r) => [r.syncId!, r]));
    for (const s of states) {
      const row = bySync.get(s.id);
      if (s.deleted) {
        if (!row) continue;
        await db.collectionItems
          .where('[collectionId+fileId]')
          .between([row.id!, -Infinity], [row.id!, Infinity])
          .delete();
        await db.collections.delete(row.id!);
        patch.collections.set(row.id!, null);
        patch.collectionsChanged = true;
        continue;
      }
      const next: CollectionRow = {
        ...(row ?? { createdAt: now }),
        name: s.name ?? row?.name ?? 'Untitled',
        description: s.description,
        color: s.color,
        syncId: s.id,
        sampleIds: s.sampleIds,
      };
      if (!row || row.name !== next.name || row.description !== next.description || row.color !== next.color)
        patch.collectionsChanged = true;
      const id = (await db.collections.put(next)) as number;
      const want = new Set(await fileIdsWithHashes(db, s.sampleIds));
      const items = await itemsOf(db, id);
      const itemFiles = await db.files.bulkGet(items.map((i) => i.fileId));
      // Files without a hash (not analysed yet) are not synced: their memberships stay as they are.
      items.forEach((it, i) => {
        if (!itemFiles[i]?.contentHash) want.add(it.fileId);
      });
      const have = new Set(items.map((i) => i.fileId));
      const drop = [...have].filter((f) => !want.has(f));
      const add = [...want].filter((f) => !have.has(f));
      if (drop.length) await db.collectionItems.bulkDelete(drop.map((f) => [id, f] as [number, number]));
      if (add.length)
        await db.collectionItems.bulkPut(add.map((fileId) => ({ collectionId: id, fileId, addedAt: now })));
      if (drop.length || add.length || !row) touched.add(id);
    }
  }
  // New rows join the collections that already list their hash.
  if (created.length) {
    const all = await db.collections.toArray();
    const items = [];
    for (const c of all) {
      if (!c.sampleIds?.length) continue;
      const set = new Set(c.sampleIds);
      for (const { file } of created) {
        if (set.has(file.contentHash!)) {
          items.push({ collectionId: c.id!, fileId: file.id!, addedAt: now });
          touched.add(c.id!);
        }
      }
    }
    if (items.length) await bulkPutInSlices(db.collectionItems, items);
  }
  for (const id of touched) {
    if (patch.collections.get(id) === null) continue;
    patch.collections.set(
      id,
      (await itemsOf(db, id)).map((i) => i.fileId),
    );
  }
}
