import type { Transaction } from 'dexie';

export type Migration = {
  version: number;
  /** Dexie store spec for this version (only the tables that change need listing after v1). */
  stores: Record<string, string | null>;
  /** Data rewrite run once when an existing database is opened at this version. */
  upgrade?: (tx: Transaction) => Promise<void> | void;
};

/**
 * Every schema version, oldest first. Never edit a shipped entry: add a new version with the
 * changed stores and an `upgrade` that rewrites rows, so libraries created by older builds open.
 */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    stores: {
      files: '++id, path, contentHash, folderId, status',
      folders: '++id',
      blobs: 'fileId',
      queue: 'fileId, enqueuedAt',
      samples: '[contentHash+analyserVersion], contentHash',
      vectors: 'contentHash',
      tags: '++id, &name',
      collections: '++id, name',
      collectionItems: '[collectionId+fileId], fileId',
      edits: 'fileId',
      meta: 'key',
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
