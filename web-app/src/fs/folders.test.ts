import 'fake-indexeddb/auto';
import { xxhash128 } from 'hash-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type SampleMindDb } from '../db/database';
import { FileAccess } from '../import/file-access';
import { Importer, type ImportItem } from '../import/importer';
import { LibraryIndex } from '../state/library-index';
import { fakePool } from '../testing/fake-pool';
import { syntheticAnalyse } from '../testing/test-importer';
import { reconcileFolder } from './folders';

let db: SampleMindDb;
let n = 0;
beforeEach(() => {
  db = openDb(`test-folders-${n++}`);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

const item = (folderId: number, path: string, content: string, mtime = 1): ImportItem => {
  const blob = new Blob([content]);
  return { blob, name: path.split('/').pop()!, path, size: blob.size, mtime, folderId };
};

describe('rescanning a folder', () => {
  it('adds new files, re-analyses changed ones, marks missing ones and relinks moves by hash', async () => {
    const folderId = (await db.folders.add({
      name: 'Kit',
      handle: null,
      addedAt: 0,
      lastScanAt: null,
    })) as number;
    const index = new LibraryIndex();
    const access = new FileAccess(db);
    const pool = fakePool(syntheticAnalyse());
    const importer = new Importer({
      db,
      index,
      pool,
      access,
      poolSize: 1,
      flushMs: 1,
      onChange() {},
      onError() {},
    });
    await importer.add([
      item(folderId, 'Kit/keep.wav', 'keep'),
      item(folderId, 'Kit/edit.wav', 'edit v1'),
      item(folderId, 'Kit/gone.wav', 'gone'),
      item(folderId, 'Kit/old/moved.wav', 'moved content'),
    ]);
    await importer.whenIdle();
    const movedId = (await db.files.where('path').equals('Kit/old/moved.wav').first())!.id!;
    await db.edits.put({ fileId: movedId, tags: [1], updatedAt: 1 });
    expect((await db.files.get(movedId))!.contentHash).toBe(
      await xxhash128(new TextEncoder().encode('moved content')),
    );

    const rows = await db.files.where('folderId').equals(folderId).toArray();
    const report = await reconcileFolder(db, importer, rows, [
      item(folderId, 'Kit/keep.wav', 'keep'),
      item(folderId, 'Kit/edit.wav', 'edit v2!', 2),
      item(folderId, 'Kit/new/moved.wav', 'moved content'),
      item(folderId, 'Kit/brand new.wav', 'brand new'),
    ]);
    await importer.whenIdle();
    expect(report).toEqual({ added: 1, changed: 1, missing: 1, relinked: 1 });
    const after = await db.files.toArray();
    expect(after).toHaveLength(5);
    const byPath = new Map(after.map((f) => [f.path, f]));
    expect(byPath.get('Kit/gone.wav')!.status).toBe('missing');
    expect(byPath.get('Kit/new/moved.wav')!.id).toBe(movedId);
    expect(byPath.has('Kit/old/moved.wav')).toBe(false);
    expect((await db.edits.get(movedId))!.tags).toEqual([1]);
    expect(byPath.get('Kit/edit.wav')!.size).toBe(8);
    expect(byPath.get('Kit/brand new.wav')!.status).toBe('done');
    expect(pool.submitted.filter((p) => p === 'Kit/edit.wav')).toHaveLength(2);
    expect(index.status[index.rowOfFile(byPath.get('Kit/gone.wav')!.id!)]).toBe(3);
  });
});
