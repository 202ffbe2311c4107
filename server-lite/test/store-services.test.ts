import { randomUUID } from 'node:crypto';
import type { Mutation } from '@samplemind/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stores } from '../src/stores/types';
import { reduceBatch } from '../src/sync/reduce';
import { axisVector, clientMutations, fakeAnalysis } from './fixtures';
import { cleanupTmp, testStores, VARIANTS } from './harness';

const push = (stores: Stores, userId: string, muts: Mutation[]) =>
  stores.docs.pushBatch(userId, muts, (s) => reduceBatch(s, muts, Date.now()));

function _rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

for (const variant of VARIANTS) {
  describe.skipIf(!!variant.skip)(`store contract (cache, counters, pokes, vectors): ${variant.name}`, () => {
    let stores: Stores;
    let other: Stores; // a second instance over the same services (what another server would see)

    beforeAll(async () => {
      const env = variant.env();
      const a = await testStores(env);
      stores = a.stores;
      // Same data dir / Redis prefix / Chroma collection as `stores`.
      const { createStores } = await import('../src/stores');
      other = await createStores(a.config, { warn() {}, info() {}, error() {} } as never);
    });
    afterAll(async () => {
      await other?.close();
      await stores?.close();
      cleanupTmp();
    });

    describe('cache', () => {
      it('serves fills, drops them on invalidate, and ignores fills that raced an invalidation', async () => {
        const g = `grp-${randomUUID()}`;
        const r0 = await stores.cache.read(g, 'f');
        expect(r0.value).toBeNull();
        const text = (v: Buffer | null) => v?.toString('utf8') ?? null;
        // Bytes survive as they are (the cache holds serialized answers).
        const body = Buffer.from('{"ünï":"cödé ✓"}');
        await stores.cache.fill(g, 'f', body, r0.gen, 60);
        const r1 = await other.cache.read(g, 'f');
        if (stores.cache.backend === 'redis') expect(r1.value?.equals(body)).toBe(true);
        else expect((await stores.cache.read(g, 'f')).value?.equals(body)).toBe(true);
        const stale = await stores.cache.read(g, 'x');
        await stores.cache.invalidate(g);
        await stores.cache.fill(g, 'x', Buffer.from('old'), stale.gen, 60);
        expect((await stores.cache.read(g, 'x')).value).toBeNull();
        expect((await stores.cache.read(g, 'f')).value).toBeNull();
        const fresh = await stores.cache.read(g, 'x');
        await stores.cache.fill(g, 'x', Buffer.from('new'), fresh.gen, 60);
        expect(text((await stores.cache.read(g, 'x')).value)).toBe('new');
      });

      it('keeps plain keys with a time to live', async () => {
        const k = `k-${randomUUID()}`;
        await stores.cache.set(k, 'v', 1);
        expect(await stores.cache.get(k)).toBe('v');
        await new Promise((r) => setTimeout(r, 1100));
        expect(await stores.cache.get(k)).toBeNull();
      });
    });

    describe('counters and pokes', () => {
      it('counts in fixed windows, shared by every instance on the same backend', async () => {
        const k = `c-${randomUUID()}`;
        expect((await stores.counters.incr(k, 400)).count).toBe(1);
        expect((await stores.counters.incr(k, 400)).count).toBe(2);
        const third = await (stores.cache.backend === 'redis' ? other : stores).counters.incr(k, 400);
        expect(third.count).toBe(3);
        expect(third.ttlMs).toBeGreaterThan(0);
        expect(third.ttlMs).toBeLessThanOrEqual(400);
        await new Promise((r) => setTimeout(r, 450));
        expect((await stores.counters.incr(k, 400)).count).toBe(1);
        await stores.counters.reset(k);
        expect((await stores.counters.incr(k, 400)).count).toBe(1);
      });

      it('delivers pokes to subscribers (on every instance when shared)', async () => {
        const user = randomUUID();
        const target = stores.cache.backend === 'redis' ? other : stores;
        const got = new Promise<string>((resolve) => {
          const off = target.pokes.subscribe((u) => {
            if (u === user) {
              off();
              resolve(u);
            }
          });
        });
        // Subscriptions over Redis take a moment to attach.
        const timer = setInterval(() => void stores.pokes.publish(user), 50);
        await expect(got).resolves.toBe(user);
        clearInterval(timer);
      });
    });

    describe('vectors', () => {
      const a = randomUUID();
      const b = randomUUID();
      const meta = (type: string, bpm = -1) => ({
        type,
        bpm,
        duration: 1,
        keyTonic: null,
        keyScale: null,
        isLoop: false,
      });

      beforeAll(async () => {
        // The in-process index loads from the documents, so give it documents too.
        const m = clientMutations('client-vec');
        const items = [0, 1, 2, 3].map((i) => {
          const h = `${'0'.repeat(15)}${i}`;
          return {
            id: h,
            vector: axisVector(0, i * 0.3),
            meta: meta(i % 2 ? 'snare' : 'kick', 100 + i * 10),
          };
        });
        await push(
          stores,
          a,
          items.map((it) =>
            m('sample.upsertAnalysis', {
              id: it.id,
              analysis: fakeAnalysis({
                hash: it.id,
                features: it.vector,
                type: it.meta.type as 'kick',
                bpm: it.meta.bpm,
              }),
            }),
          ),
        );
        await stores.vectors.upsert(a, items);
        const hb = `${'b'.repeat(15)}0`;
        await push(stores, b, [
          clientMutations('client-vec-b')('sample.upsertAnalysis', {
            id: hb,
            analysis: fakeAnalysis({ hash: hb, features: axisVector(0) }),
          }),
        ]);
        await stores.vectors.upsert(b, [{ id: hb, vector: axisVector(0), meta: meta('kick') }]);
      });

      it('returns the nearest first by cosine, only from the caller’s vectors', async () => {
        const hits = await stores.vectors.query(a, axisVector(0), 10, {});
        expect(hits.map((h) => h.id)).toEqual([
          '0000000000000000',
          '0000000000000001',
          '0000000000000002',
          '0000000000000003',
        ]);
        expect(hits[0].score).toBeCloseTo(1, 5);
        for (let i = 1; i < hits.length; i++) expect(hits[i].score).toBeLessThan(hits[i - 1].score);
        const theirs = await stores.vectors.query(b, axisVector(0), 10, {});
        expect(theirs.map((h) => h.id)).toEqual([`${'b'.repeat(15)}0`]);
      });

      it('applies type and tempo filters', async () => {
        const snares = await stores.vectors.query(a, axisVector(0), 10, { type: ['snare'] });
        expect(snares.map((h) => h.id)).toEqual(['0000000000000001', '0000000000000003']);
        const mid = await stores.vectors.query(a, axisVector(0), 10, { bpmMin: 105, bpmMax: 125 });
        expect(mid.map((h) => h.id)).toEqual(['0000000000000001', '0000000000000002']);
      });

      it('updates and removes', async () => {
        await stores.vectors.upsert(a, [
          { id: '0000000000000003', vector: axisVector(5), meta: meta('snare', 130) },
        ]);
        const near5 = await stores.vectors.query(a, axisVector(5), 1, {});
        expect(near5[0].id).toBe('0000000000000003');
        await stores.vectors.remove(a, ['0000000000000003']);
        const after = await stores.vectors.query(a, axisVector(5), 10, {});
        expect(after.map((h) => h.id)).not.toContain('0000000000000003');
      });
    });
  });
}
