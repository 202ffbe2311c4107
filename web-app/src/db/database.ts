import type { AnalysisResult } from '@samplemind/contract';
import { Dexie, type EntityTable, type Table } from 'dexie';
import { installChangeTracking } from './change-tracking';
import { MIGRATIONS } from './migrations';
import type {
  AiRecord,
  BlobRow,
  CollectionItemRow,
  CollectionRow,
  EditRow,
  FileRow,
  FolderRow,
  MetaRow,
  OutboxRow,
  QueueRow,
  SyncBaseRow,
  SyncStateRow,
  TagRow,
  VectorPackRow,
  VectorRow,
} from './types';

export const DB_NAME = 'samplemind';

export type SampleMindDb = Dexie & {
  files: EntityTable<FileRow, 'id'>;
  folders: EntityTable<FolderRow, 'id'>;
  blobs: EntityTable<BlobRow, 'fileId'>;
  queue: EntityTable<QueueRow, 'fileId'>;
  /** Full analysis results, keyed by [contentHash+analyserVersion]. */
  samples: Table<AnalysisResult, [string, string]>;
  /** Feature vectors alone, so the similarity worker loads them without the big records. */
  vectors: EntityTable<VectorRow, 'contentHash'>;
  /** Vectors of pulled sounds, packed per page; read through db/vector-source.ts only. */
  vectorPacks: EntityTable<VectorPackRow, 'id'>;
  tags: EntityTable<TagRow, 'id'>;
  collections: EntityTable<CollectionRow, 'id'>;
  collectionItems: Table<CollectionItemRow, [number, number]>;
  edits: EntityTable<EditRow, 'fileId'>;
  meta: EntityTable<MetaRow, 'key'>;
  /** Pending sync mutations, by mutationId (see sync/outbox.ts). */
  outbox: EntityTable<OutboxRow, 'mutationId'>;
  /** Last known server state of entities with pending mutations (see sync/reconcile.ts). */
  syncBase: EntityTable<SyncBaseRow, 'entity'>;
  /** Sync bookkeeping: binding to an account, clock, cursor, bootstrap progress. */
  syncState: EntityTable<SyncStateRow, 'key'>;
  /** AI descriptions, keyed by [contentHash+promptVersion] (moved here from the samplemind-ai database). */
  descriptions: Table<AiRecord, [string, string]>;
};

/** Opens (and migrates) the library database. Workers open their own instance with the same name. */
export function openDb(name = DB_NAME): SampleMindDb {
  const db = new Dexie(name) as SampleMindDb;
  for (const migration of MIGRATIONS) {
    const version = db.version(migration.version).stores(migration.stores);
    if (migration.upgrade) version.upgrade(migration.upgrade);
  }
  installChangeTracking(db);
  return db;
}

let shared: SampleMindDb | null = null;

/** The app's one connection (main thread). */
export function getDb(): SampleMindDb {
  shared ??= openDb();
  return shared;
}

/** Tests and the seeder swap the database (e.g. a fresh name per test). */
export function setDb(db: SampleMindDb | null): void {
  shared = db;
}
