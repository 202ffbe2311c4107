import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { openDb } from './database';
import { MIGRATIONS } from './migrations';

describe('schema migrations', () => {
  it('v2 gives every existing collection its own sync id and adds the sync tables', async () => {
    const name = 'test-migrate-v1';
    const v1 = new Dexie(name);
    v1.version(1).stores(MIGRATIONS[0].stores);
    await v1.table('collections').bulkAdd([
      { name: 'Drums', createdAt: 1 },
      { name: 'Pads', createdAt: 2 },
    ]);
    await v1.table('tags').add({ name: 'Dark', createdAt: 1 });
    v1.close();

    const db = openDb(name);
    const rows = await db.collections.toArray();
    expect(rows.map((r) => r.name)).toEqual(['Drums', 'Pads']);
    expect(rows.every((r) => /^[A-Za-z0-9_-]{8,64}$/.test(r.syncId ?? ''))).toBe(true);
    expect(new Set(rows.map((r) => r.syncId)).size).toBe(2);
    expect(await db.collections.where('syncId').equals(rows[1].syncId!).first()).toMatchObject({
      name: 'Pads',
    });
    expect(await db.outbox.count()).toBe(0);
    expect(await db.descriptions.count()).toBe(0);
    // Nothing else was touched.
    expect((await db.tags.toArray()).map((t) => t.name)).toEqual(['Dark']);
    db.close();
    await db.delete();
  });
});
