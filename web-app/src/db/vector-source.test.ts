import 'fake-indexeddb/auto';
import { FEATURE_VECTOR_LENGTH, type SyncSample } from '@samplemind/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPage } from '../sync/pull';
import { getCursor } from '../sync/sync-store';
import { bindForTest } from '../sync/testing/bind';
import { remoteSample, remoteSummary } from '../sync/testing/remote-sample';
import { fileRow } from '../testing/rows';
import { openDb, type SampleMindDb } from './database';
import { loadVectors, packRows } from './vector-source';

let db: SampleMindDb;
let n = 0;
const ME = 'client-vectors';
const H = (c: string) => c.repeat(32);
const vec = (x: number) => new Float32Array(FEATURE_VECTOR_LENGTH).fill(x);
const first = (m: Map<string, Float32Array>, h: string) => m.get(h)?.[0];

/** A pulled page of samples, applied the way the sync cycle does (one transaction per page). */
async function pullPage(samples: SyncSample[]) {
  const cursor = await getCursor(db);
  const next = String(Number(cursor) + 1);
  const out = await applyPage(db, cursor, ME, {
    cursor: next,
    hasMore: false,
    samples,
    collections: [],
    clients: {},
  });
  expect(out).not.toBeNull();
}
const pulled = (h: string, value: number, over: Partial<SyncSample> = {}) =>
  remoteSample(h, { summary: remoteSummary({}, value), ...over });

beforeEach(async () => {
  db = openDb(`test-vector-source-${n++}`);
  await bindForTest(db, ME);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

describe('feature vector source', () => {
  it('stores one pack per pulled page and reads every vector of it', async () => {
    await pullPage([pulled(H('a'), 0.2), pulled(H('b'), 0.4), pulled(H('c'), 0.6)]);
    await pullPage([pulled(H('d'), 0.8)]);
    expect(await db.vectorPacks.count()).toBe(2);
    expect(await db.vectors.count()).toBe(0);
    const packs = await db.vectorPacks.toArray();
    expect(packs.map((p) => p.hashes.length)).toEqual([3, 1]);
    expect(packs[0].v.length).toBe(3 * FEATURE_VECTOR_LENGTH);

    const all = await loadVectors(db);
    expect([...all.keys()]).toEqual([H('a'), H('b'), H('c'), H('d')]);
    expect(first(all, H('b'))).toBeCloseTo(0.4, 2);
    expect(all.get(H('c'))?.length).toBe(FEATURE_VECTOR_LENGTH);
    // Asked for some hashes: those, in the asked order.
    const some = await loadVectors(db, [H('d'), H('a'), H('z')]);
    expect([...some.keys()]).toEqual([H('d'), H('a')]);
  });

  it("prefers this device's own analysis over a pulled vector of the same sound", async () => {
    await db.files.add(fileRow('Kit/kick.wav', { contentHash: H('a') }));
    await db.vectors.put({ contentHash: H('a'), v: vec(0.9) });
    await db.vectorPacks.add(packRows([{ contentHash: H('a'), v: vec(0.1) }]));
    await db.vectorPacks.add(packRows([{ contentHash: H('a'), v: vec(0.2) }]));
    expect(first(await loadVectors(db), H('a'))).toBeCloseTo(0.9, 5);
    expect(first(await loadVectors(db, [H('a')]), H('a'))).toBeCloseTo(0.9, 5);
  });

  it('takes the latest pack for a sound pulled again after a re-analysis elsewhere', async () => {
    await pullPage([pulled(H('a'), 0.2), pulled(H('b'), 0.2)]);
    // Re-analysed elsewhere: the same remote row is rewritten and its new vector lands in a new pack.
    await pullPage([pulled(H('a'), 0.6)]);
    expect(await db.files.where('contentHash').equals(H('a')).count()).toBe(1);
    const all = await loadVectors(db);
    expect(first(all, H('a'))).toBeCloseTo(0.6, 2);
    expect(first(all, H('b'))).toBeCloseTo(0.2, 2);
    // Within one pack a hash listed twice: the later entry wins too.
    await db.vectorPacks.add(
      packRows([
        { contentHash: H('b'), v: vec(0.3) },
        { contentHash: H('b'), v: vec(0.7) },
      ]),
    );
    expect(first(await loadVectors(db, [H('b')]), H('b'))).toBeCloseTo(0.7, 5);
  });

  it('ignores vectors of sounds the library no longer has, even when re-pulled as deleted', async () => {
    await pullPage([pulled(H('a'), 0.2), pulled(H('b'), 0.4)]);
    await pullPage([pulled(H('a'), 0.2, { deleted: true })]);
    // The tombstone delivered again (duplicate page) must not bring it back either.
    await pullPage([pulled(H('a'), 0.2, { deleted: true })]);
    expect(await db.files.where('contentHash').equals(H('a')).count()).toBe(0);
    // The stale entry stays in the old pack (packs are not compacted) but nobody sees it.
    expect((await db.vectorPacks.toArray()).some((p) => p.hashes.includes(H('a')))).toBe(true);
    expect([...(await loadVectors(db)).keys()]).toEqual([H('b')]);
    // A local analysis whose file was removed is not in the library either.
    await db.vectors.put({ contentHash: H('e'), v: vec(0.5) });
    expect([...(await loadVectors(db)).keys()]).toEqual([H('b')]);
  });

  it('rejects a vector of the wrong length with a clear error', () => {
    expect(() => packRows([{ contentHash: H('a'), v: [1, 2, 3] }])).toThrow(
      new RegExp(`has 3 values, expected ${FEATURE_VECTOR_LENGTH}`),
    );
  });
});
