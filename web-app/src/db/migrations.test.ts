import 'fake-indexeddb/auto';
import { FEATURE_VECTOR_LENGTH } from '@samplemind/contract';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { openDb } from './database';
import { MIGRATIONS } from './migrations';
import { loadVectors } from './vector-source';

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

  it('v3 moves vectors pulled as single rows into a pack and keeps local analyses as rows', async () => {
    const name = 'test-migrate-v2';
    const v2 = new Dexie(name);
    v2.version(1).stores(MIGRATIONS[0].stores);
    v2.version(2).stores(MIGRATIONS[1].stores);
    const row = (id: number, contentHash: string, status: string) => ({
      id,
      name: `${id}.wav`,
      path: `${id}.wav`,
      contentHash,
      status,
    });
    await v2
      .table('files')
      .bulkAdd([
        row(1, 'local', 'done'),
        row(2, 'pulled', 'remote'),
        row(3, 'both', 'done'),
        row(4, 'both', 'remote'),
      ]);
    const vec = (x: number) => new Float32Array(FEATURE_VECTOR_LENGTH).fill(x);
    await v2.table('vectors').bulkAdd([
      { contentHash: 'local', v: vec(0.1) },
      { contentHash: 'pulled', v: vec(0.2) },
      { contentHash: 'both', v: vec(0.3) },
    ]);
    v2.close();

    const db = openDb(name);
    expect((await db.vectors.toCollection().primaryKeys()).sort()).toEqual(['both', 'local']);
    const packs = await db.vectorPacks.toArray();
    expect(packs.map((p) => p.hashes)).toEqual([['pulled']]);
    const all = await loadVectors(db);
    expect([...all.keys()]).toEqual(['both', 'local', 'pulled']);
    expect(all.get('pulled')?.[0]).toBeCloseTo(0.2, 5);
    db.close();
    await db.delete();
  });
});
