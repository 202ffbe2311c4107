import type { SampleMindDb } from '../db/database';
import { newId } from '../db/ids';
import type { CollectionRow, FileRow } from '../db/types';
import { aiRegisterOf, pickAiRecord } from './ai-bridge';
import {
  cleanCollectionName,
  type Draft,
  diffSample,
  emptySample,
  memberDrafts,
  type SampleState,
} from './entity-state';
import { aiByHash, editFields, memberHashesFromItems, tagNames } from './local-read';
import { enqueue, withSyncTables } from './outbox';
import { type BootstrapState, getBinding, getBootstrap, putBootstrap } from './sync-store';

export const BOOTSTRAP_CHUNK = 500;

/** Starts describing the whole library to a newly bound account (call inside the binding transaction). */
export async function beginBootstrap(db: SampleMindDb): Promise<BootstrapState> {
  const state: BootstrapState = {
    state: 'running',
    afterFileId: 0,
    done: 0,
    total: await db.files.count(),
    collectionsDone: false,
  };
  await putBootstrap(db, state);
  return state;
}

/** Sends a collection as it is here: name (and more), and its members' hashes. */
export function describeCollection(row: CollectionRow, sampleIds: string[]): Draft[] {
  const id = row.syncId!;
  const upsert: Draft = {
    name: 'collection.upsert',
    args: {
      id,
      name: cleanCollectionName(row.name),
      ...(row.description ? { description: row.description.slice(0, 2000) } : {}),
      ...(row.color && /^#[0-9a-fA-F]{6}$/.test(row.color) ? { color: row.color } : {}),
    },
  };
  return [upsert, ...memberDrafts(id, sampleIds, [])];
}

/**
 * Gives a collection made without sync (before sign-in, or by a library import) its sync id and
 * member list, and describes it. Inside a transaction with the sync tables.
 */
export async function ensureCollectionSynced(db: SampleMindDb, row: CollectionRow): Promise<CollectionRow> {
  if (row.syncId && row.sampleIds) return row;
  const next: CollectionRow = {
    ...row,
    syncId: row.syncId ?? newId(),
    sampleIds: row.sampleIds ?? (await memberHashesFromItems(db, row.id!)),
  };
  await db.collections.put(next);
  await enqueue(db, describeCollection(next, next.sampleIds!));
  return next;
}

/** A file's name and path as sample.upsertAnalysis takes them (first registration). */
export function nameAndPath(f: Pick<FileRow, 'name' | 'path'>, hash: string) {
  return { name: f.name.trim().slice(0, 512).trim() || hash, path: f.path.slice(0, 2048) };
}

/** What describes the files of one chunk (grouped by hash): analysis, name and path, edits, AI. */
async function describeFiles(db: SampleMindDb, files: FileRow[]): Promise<Draft[]> {
  const names = await tagNames(db);
  const byHash = new Map<string, FileRow[]>();
  for (const f of files) {
    // Remote rows came from the account this library was tied to before: they are not ours to send.
    if (!f.contentHash || f.status === 'remote') continue;
    const list = byHash.get(f.contentHash);
    if (list) list.push(f);
    else byHash.set(f.contentHash, [f]);
  }
  const hashes = [...byHash.keys()];
  const ai = await aiByHash(db, hashes);
  const reps = hashes.map((h) => byHash.get(h)!);
  const edits = await db.edits.bulkGet(reps.flatMap((list) => list.map((f) => f.id!)));
  const analysed = await db.samples.bulkGet(
    reps.map((list) => {
      const f = list.find((x) => x.analyserVersion) ?? list[0];
      return [f.contentHash!, f.analyserVersion ?? ''] as [string, string];
    }),
  );
  const drafts: Draft[] = [];
  let e = 0;
  hashes.forEach((h, i) => {
    const list = reps[i];
    const rep = list[0];
    const a = analysed[i];
    if (a)
      drafts.push({
        name: 'sample.upsertAnalysis',
        args: { id: h, analyserVersion: a.analyserVersion, ...nameAndPath(rep, h) },
      });
    // Duplicates: the union of their edits (tags) and any one's values; the server settles the rest.
    let state: SampleState = { ...emptySample(h), ...aiRegisterOf(pickAiRecord(ai.get(h) ?? [])) };
    for (const _ of list) {
      const f = editFields(edits[e++], names);
      state = {
        ...state,
        tags: [...new Set([...state.tags, ...f.tags])],
        favorite: state.favorite || f.favorite,
        bpm: state.bpm ?? f.bpm,
        key: state.key ?? f.key,
        type: state.type ?? f.type,
        rating: state.rating ?? f.rating,
        notes: state.notes || f.notes,
      };
    }
    drafts.push(...diffSample(emptySample(h), state));
  });
  return drafts;
}

export type BootstrapProgress = { done: number; total: number };

/**
 * Describes the library to the account in chunks (one transaction each, progress kept in the
 * database, so a reload resumes where it stopped). Returns when done, paused or aborted.
 */
export async function runBootstrap(
  db: SampleMindDb,
  options: { signal?: AbortSignal; onProgress?: (p: BootstrapProgress) => void; chunk?: number } = {},
): Promise<'done' | 'paused' | 'aborted' | 'none'> {
  const chunk = options.chunk ?? BOOTSTRAP_CHUNK;
  const scope = withSyncTables(db, [db.samples]);
  for (;;) {
    if (options.signal?.aborted) return 'aborted';
    const result = await db.transaction('rw', scope, async () => {
      const st = await getBootstrap(db);
      if (!st || !(await getBinding(db))) return 'none' as const;
      if (st.state !== 'running') return st.state;
      if (!st.collectionsDone) {
        for (const row of await db.collections.toArray()) {
          const synced = {
            ...row,
            syncId: row.syncId ?? newId(),
            sampleIds: await memberHashesFromItems(db, row.id!),
          };
          await db.collections.put(synced);
          await enqueue(db, describeCollection(synced, synced.sampleIds));
        }
        await putBootstrap(db, { ...st, collectionsDone: true });
        return { ...st, collectionsDone: true };
      }
      const files = await db.files.where(':id').above(st.afterFileId).limit(chunk).toArray();
      if (!files.length) {
        const done: BootstrapState = { ...st, state: 'done', done: st.total };
        await putBootstrap(db, done);
        return done;
      }
      await enqueue(db, await describeFiles(db, files));
      const next: BootstrapState = {
        ...st,
        afterFileId: files[files.length - 1].id!,
        done: Math.min(st.total, st.done + files.length),
        total: Math.max(st.total, st.done + files.length),
      };
      await putBootstrap(db, next);
      return next;
    });
    if (typeof result === 'string') return result;
    options.onProgress?.({ done: result.done, total: result.total });
    if (result.state === 'done') return 'done';
    // Let the page breathe between chunks (input, rendering).
    await new Promise((r) => setTimeout(r, 0));
  }
}

/**
 * Describes the whole library to the account again (after a bulk change that bypassed the library
 * actions, e.g. importing a library JSON). Does nothing while sync is off. The engine picks it up
 * on its next sync.
 */
export async function reshareLibrary(db: SampleMindDb): Promise<boolean> {
  return db.transaction('rw', db.syncState, db.files, async () => {
    if (!(await getBinding(db))) return false;
    await beginBootstrap(db);
    return true;
  });
}

/** Pauses a running bootstrap (the engine stops pulling until it is resumed, see sync-engine). */
export async function setBootstrapPaused(db: SampleMindDb, paused: boolean): Promise<void> {
  await db.transaction('rw', db.syncState, async () => {
    const st = await getBootstrap(db);
    if (!st || st.state === 'done') return;
    await putBootstrap(db, { ...st, state: paused ? 'paused' : 'running' });
  });
}
