import type { Transaction } from 'dexie';
import { newId } from './ids';
import { packRows } from './vector-source';

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
  {
    // Sync (issue 6): collections get a stable id for the server, the pending-mutations queue and
    // its bookkeeping, and the AI descriptions move in from their own database so a description
    // and its mutation are written in one transaction.
    version: 2,
    stores: {
      collections: '++id, name, &syncId',
      outbox: 'mutationId, entity',
      syncBase: 'entity',
      syncState: 'key',
      descriptions: '[contentHash+promptVersion], contentHash, describedAt',
    },
    upgrade: async (tx) => {
      await tx
        .table('collections')
        .toCollection()
        .modify((c: { syncId?: string }) => {
          c.syncId ??= newId();
        });
    },
  },
  {
    // Pulled sounds keep their vectors packed per page (IndexedDB charges per record, not per
    // byte). Vectors already pulled as single rows move into one pack, or they would shadow
    // every later pack of their hash (a `vectors` row means "analysed here" and always wins).
    version: 3,
    stores: { vectorPacks: '++id' },
    upgrade: async (tx) => {
      const files = tx.table('files');
      const remote = await files.where('status').equals('remote').toArray();
      if (!remote.length) return;
      const here = new Set(
        (await files.where('status').notEqual('remote').toArray()).map((f) => f.contentHash),
      );
      const hashes = [...new Set(remote.map((f) => f.contentHash as string))].filter(
        (h) => h && !here.has(h),
      );
      const rows = (await tx.table('vectors').bulkGet(hashes)).filter(
        (r): r is { contentHash: string; v: Float32Array } => !!r,
      );
      if (!rows.length) return;
      await tx.table('vectorPacks').add(packRows(rows));
      await tx.table('vectors').bulkDelete(rows.map((r) => r.contentHash));
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
