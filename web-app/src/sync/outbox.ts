import type { Table } from 'dexie';
import type { SampleMindDb } from '../db/database';
import type { OutboxRow } from '../db/types';
import { type Draft, entityId, entityOf, isSampleEntity } from './entity-state';
import { nextHlc } from './hlc';
import { readCollectionStates, readSampleStates } from './local-read';
import { getBinding, putBinding, type SyncBinding } from './sync-store';

/**
 * The tables a transaction that enqueues must include (besides its own): the queue and its
 * bookkeeping, and what the base snapshot of an entity reads.
 */
export function syncTables(db: SampleMindDb): Table[] {
  return [
    db.files,
    db.edits,
    db.tags,
    db.collections,
    db.collectionItems,
    db.descriptions,
    db.outbox,
    db.syncBase,
    db.syncState,
  ];
}

/** Own tables plus the sync tables, each once. */
export function withSyncTables(db: SampleMindDb, own: Table[]): Table[] {
  const seen = new Map<string, Table>();
  for (const t of [...own, ...syncTables(db)]) seen.set(t.name, t);
  return [...seen.values()];
}

/** Whether local changes are recorded for sync (this library was tied to an account once). */
export async function isSyncEnabled(db: SampleMindDb): Promise<boolean> {
  return !!(await getBinding(db));
}

/**
 * Keeps the current local state of entities about to get their first pending mutation (see
 * SyncBaseRow). Call inside the writing transaction, before the change is written.
 */
export async function ensureBases(db: SampleMindDb, entities: string[]): Promise<void> {
  const unique = [...new Set(entities)];
  if (!unique.length) return;
  const have = await db.syncBase.bulkGet(unique);
  const missing = unique.filter((_, i) => !have[i]);
  if (!missing.length) return;
  const hashes = missing.filter(isSampleEntity).map(entityId);
  const ids = missing.filter((e) => !isSampleEntity(e)).map(entityId);
  const samples = await readSampleStates(db, hashes);
  const collections = await readCollectionStates(db, ids);
  await db.syncBase.bulkPut([
    ...hashes.map((h) => ({ entity: `s:${h}`, state: samples.get(h)! })),
    ...ids.map((id) => ({ entity: `c:${id}`, state: collections.get(id)! })),
  ]);
}

/**
 * Numbers and stamps drafts and adds them to the outbox. Must run inside the transaction that
 * writes the change itself (scope: withSyncTables), and before the change is written, so the base
 * snapshot sees the state before it. Does nothing when sync is not enabled. Returns the rows.
 */
export async function enqueue(
  db: SampleMindDb,
  drafts: Draft[],
  binding?: SyncBinding | null,
): Promise<OutboxRow[]> {
  if (!drafts.length) return [];
  const bound = binding === undefined ? await getBinding(db) : binding;
  if (!bound) return [];
  const b = { ...bound };
  await ensureBases(db, drafts.map(entityOf));
  const now = Date.now();
  const rows: OutboxRow[] = drafts.map((d) => {
    b.counter += 1;
    b.hlc = nextHlc(b.hlc, now);
    return { mutationId: b.counter, hlc: b.hlc, name: d.name, args: d.args, entity: entityOf(d) };
  });
  await db.outbox.bulkAdd(rows);
  await putBinding(db, b);
  return rows;
}
