import type { SampleMindDb } from '../db/database';

/**
 * This library's tie to a sync account and its mutation clock, in one row: every transaction that
 * enqueues reads and writes it, so ids and stamps are allocated without gaps or reuse, across tabs.
 * No row = sync was never enabled for this library (nothing is enqueued).
 */
export type SyncBinding = {
  serverUrl: string;
  userId: string;
  clientId: string;
  /** Last mutationId handed out. */
  counter: number;
  /** Last HLC stamp handed out (or seen from the server). */
  hlc: string;
};

/** Sharing an existing library with an account for the first time (see bootstrap.ts). */
export type BootstrapState = {
  state: 'running' | 'paused' | 'done';
  /** Files with ids at or below this are described. */
  afterFileId: number;
  done: number;
  total: number;
  collectionsDone: boolean;
};

const KEY = { binding: 'binding', cursor: 'cursor', bootstrap: 'bootstrap', lastSyncedAt: 'lastSyncedAt' };

async function read<T>(db: SampleMindDb, key: string): Promise<T | undefined> {
  return (await db.syncState.get(key))?.value as T | undefined;
}

export const getBinding = (db: SampleMindDb) => read<SyncBinding>(db, KEY.binding);
export const putBinding = (db: SampleMindDb, b: SyncBinding) =>
  db.syncState.put({ key: KEY.binding, value: b });

export const getCursor = async (db: SampleMindDb) => (await read<string>(db, KEY.cursor)) ?? '0';
export const putCursor = (db: SampleMindDb, c: string) => db.syncState.put({ key: KEY.cursor, value: c });

export const getBootstrap = (db: SampleMindDb) => read<BootstrapState>(db, KEY.bootstrap);
export const putBootstrap = (db: SampleMindDb, b: BootstrapState) =>
  db.syncState.put({ key: KEY.bootstrap, value: b });

export const getLastSyncedAt = async (db: SampleMindDb) => (await read<number>(db, KEY.lastSyncedAt)) ?? null;
export const putLastSyncedAt = (db: SampleMindDb, at: number) =>
  db.syncState.put({ key: KEY.lastSyncedAt, value: at });

/** Sync bookkeeping only (the library stays): a new account starts from a clean slate. */
export async function clearSyncState(db: SampleMindDb): Promise<void> {
  await db.syncState.clear();
  await db.outbox.clear();
  await db.syncBase.clear();
}
