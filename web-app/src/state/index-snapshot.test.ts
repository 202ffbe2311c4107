import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type SampleMindDb } from '../db/database';
import { seedLibrary } from '../dev/seed-library';
import { runQuery } from '../query/run-query';
import { SortCache } from '../query/sort';
import { DEFAULT_QUERY } from '../query/view-query';
import { fromSnapshot, loadSnapshot, saveSnapshot, toSnapshot } from './index-snapshot';
import { loadLibrary } from './load-library';

// A minimal localStorage so the change tracking (generation counter) is active, as in a browser.
const store = new Map<string, string>();
Object.assign(globalThis, {
  localStorage: {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  },
});

let db: SampleMindDb;
beforeAll(async () => {
  db = openDb('test-snapshot');
  await seedLibrary(db, { n: 400, seed: 9, batch: 100 });
});
afterAll(async () => {
  db.close();
  await db.delete();
});

const { currentGeneration } = await import('../db/change-tracking');

describe('index snapshot', () => {
  it('rebuilds an index that answers every query like the one built from rows', async () => {
    const fromRows = await loadLibrary(db);
    const snap = structuredClone(toSnapshot(fromRows, 'g'));
    const restored = fromSnapshot(snap, await db.tags.toArray(), await db.collectionItems.toArray());
    expect(restored.size).toBe(400);
    for (const q of [
      DEFAULT_QUERY,
      { ...DEFAULT_QUERY, text: 'dusty', sort: 'name' as const },
      { ...DEFAULT_QUERY, types: ['kick' as const], sort: 'bpm' as const },
      { ...DEFAULT_QUERY, status: 'favourites' as const },
      { ...DEFAULT_QUERY, tags: [1], sort: 'key' as const, desc: false },
      { ...DEFAULT_QUERY, collection: 1 },
    ]) {
      const a = runQuery(fromRows, q, new SortCache());
      const b = runQuery(restored, q, new SortCache());
      expect(Array.from(b.rows, (r) => restored.fileId[r])).toEqual(
        Array.from(a.rows, (r) => fromRows.fileId[r]),
      );
    }
    // Edits survive: re-deriving after a new edit still knows the measured value.
    const id = restored.fileId[0];
    const measured = restored.mBpm[0];
    restored.applyEdit(id, { fileId: id, bpm: 99, updatedAt: 1 });
    restored.applyEdit(id, { fileId: id, updatedAt: 2 });
    expect(Number.isNaN(measured) ? Number.isNaN(restored.bpm[0]) : restored.bpm[0] === measured).toBe(true);
  });

  it('is used only while no write happened after it was taken', async () => {
    const index = await loadLibrary(db);
    await saveSnapshot(db, index, currentGeneration());
    expect((await loadSnapshot(db))?.size).toBe(400);
    await db.edits.put({ fileId: index.fileId[5], favourite: true, updatedAt: 3 });
    expect(await loadSnapshot(db)).toBeNull();
  });
});
