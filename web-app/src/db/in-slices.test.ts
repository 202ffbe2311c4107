import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type SampleMindDb } from './database';
import { bulkAddInSlices, bulkPutInSlices, WRITE_SLICE } from './in-slices';

let db: SampleMindDb;
let n = 0;
afterEach(() => db?.delete());

const tags = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({ name: `t${from + i}`, createdAt: 0 }));

describe('writes in slices', () => {
  it('adds every row across slices and returns their keys in order', async () => {
    db = openDb(`test-slices-${n++}`);
    const rows = tags(WRITE_SLICE * 2 + 7);
    const keys = await db.transaction('rw', db.tags, () => bulkAddInSlices(db.tags, rows));
    expect(keys).toHaveLength(rows.length);
    const stored = await db.tags.bulkGet(keys as number[]);
    expect(stored.map((t) => t?.name)).toEqual(rows.map((r) => r.name));
  });

  it('stays one transaction: a failing later slice takes the earlier ones back with it', async () => {
    db = openDb(`test-slices-${n++}`);
    await db.tags.add({ name: 'taken', createdAt: 0 });
    // The last slice holds a name the table already has (tags' names are unique).
    const rows = [...tags(WRITE_SLICE * 2), { name: 'taken', createdAt: 0 }];
    await expect(db.transaction('rw', db.tags, () => bulkAddInSlices(db.tags, rows))).rejects.toThrow();
    expect(await db.tags.count()).toBe(1);
    const again = tags(WRITE_SLICE + 1, 10_000).map((t, i) => ({ ...t, id: 100 + i }));
    await db.transaction('rw', db.tags, () => bulkPutInSlices(db.tags, again));
    expect(await db.tags.count()).toBe(1 + again.length);
  });
});
