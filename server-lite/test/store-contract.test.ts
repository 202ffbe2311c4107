import { randomUUID } from 'node:crypto';
import {
  type Mutation,
  PITCH_CLASSES,
  SAMPLE_TYPES,
  type SampleFilters,
  SORT_FIELDS,
  type SortSpec,
} from '@samplemind/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodeCursor,
  matchesFilters,
  parseSort,
  toRow,
  toSummary,
} from '../src/library/views';
import type { Stores } from '../src/stores/types';
import type { SampleDoc } from '../src/sync/model';
import { reduceBatch } from '../src/sync/reduce';
import { axisVector, clientMutations, fakeAnalysis, randomHash } from './fixtures';
import { cleanupTmp, testStores, VARIANTS } from './harness';

const push = (stores: Stores, userId: string, muts: Mutation[]) =>
  stores.docs.pushBatch(userId, muts, (s) => reduceBatch(s, muts, Date.now()));

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

for (const variant of VARIANTS) {
  describe.skipIf(!!variant.skip)(`store contract: ${variant.name}`, () => {
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

    describe('documents: users and sessions', () => {
      it('creates users and finds them by email or username, case-insensitively', async () => {
        const id = randomUUID();
        const name = `Ann_${id.slice(0, 6)}`;
        const email = `${name.toLowerCase()}@example.com`;
        expect(
          await stores.docs.createUser({ id, email, username: name, passwordHash: 'h', createdAt: 1 }),
        ).toBe('ok');
        expect((await stores.docs.findUserByLogin(name.toUpperCase()))?.id).toBe(id);
        expect((await stores.docs.findUserByLogin(email.toUpperCase()))?.id).toBe(id);
        expect((await other.docs.getUser(id))?.username).toBe(name);
        expect(await stores.docs.findUserByLogin('nobody-here')).toBeNull();
      });

      it('refuses duplicate emails and usernames (usernames compare case-insensitively)', async () => {
        const base = randomUUID().slice(0, 8);
        const u = {
          id: randomUUID(),
          email: `${base}@x.io`,
          username: `u${base}`,
          passwordHash: 'h',
          createdAt: 1,
        };
        expect(await stores.docs.createUser(u)).toBe('ok');
        expect(await stores.docs.createUser({ ...u, id: randomUUID(), username: `v${base}` })).toBe(
          'email-taken',
        );
        expect(
          await stores.docs.createUser({
            ...u,
            id: randomUUID(),
            email: `other${base}@x.io`,
            username: `U${base}`,
          }),
        ).toBe('username-taken');
      });

      it('rotates sessions by compare-and-swap and never after revocation', async () => {
        const s = {
          id: randomUUID(),
          userId: 'u',
          tokenHash: 'h1',
          expiresAt: Date.now() + 60_000,
          revoked: false,
          createdAt: 1,
        };
        await stores.docs.createSession(s);
        expect(
          await stores.docs.rotateSession(s.id, 'wrong', { tokenHash: 'h2', expiresAt: s.expiresAt }),
        ).toBe(false);
        expect(await stores.docs.rotateSession(s.id, 'h1', { tokenHash: 'h2', expiresAt: s.expiresAt })).toBe(
          true,
        );
        expect(await other.docs.rotateSession(s.id, 'h1', { tokenHash: 'h3', expiresAt: s.expiresAt })).toBe(
          false,
        );
        expect((await other.docs.getSession(s.id))?.tokenHash).toBe('h2');
        await stores.docs.revokeSession(s.id);
        expect((await other.docs.getSession(s.id))?.revoked).toBe(true);
        expect(await stores.docs.rotateSession(s.id, 'h2', { tokenHash: 'h4', expiresAt: s.expiresAt })).toBe(
          false,
        );
      });
    });

    describe('documents: sync', () => {
      it('applies each mutation once, skips duplicates, rejects gaps, and reports client positions', async () => {
        const user = randomUUID();
        const m = clientMutations('client-aaaa');
        const hash = randomHash();
        const m1 = m('sample.upsertAnalysis', {
          id: hash,
          analysis: fakeAnalysis({ hash }),
          name: 'kick.wav',
        });
        const m2 = m('sample.addTags', { id: hash, tags: ['dark'] });
        const m3 = m('sample.setField', { id: hash, field: 'rating', value: 4 });
        const first = await push(stores, user, [m1, m2]);
        expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied']);
        const retry = await push(stores, user, [m1, m2]);
        expect(retry.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
        expect(retry.changedSamples.size).toBe(0);
        const gap = await push(stores, user, [{ ...m3, mutationId: 5 }]);
        expect(gap.results[0].status).toBe('rejected');
        const ok = await push(stores, user, [m3]);
        expect(ok.results[0].status).toBe('applied');
        expect(ok.clients).toEqual({ 'client-aaaa': 3 });
        const doc = (await other.docs.getSample(user, hash))!;
        expect(doc.rating.v).toBe(4);
        expect(Object.keys(doc.tags)).toEqual(['dark']);
        const page = await other.docs.pull(user, 0, 100);
        expect(page.clients).toEqual({ 'client-aaaa': 3 });
      });

      it('pulls changes after a cursor in pages, with tombstones, and only the caller’s', async () => {
        const user = randomUUID();
        const stranger = randomUUID();
        const m = clientMutations('client-bbbb');
        const hashes = Array.from({ length: 5 }, randomHash);
        await push(
          stores,
          user,
          hashes.map((h) => m('sample.upsertAnalysis', { id: h, analysis: fakeAnalysis({ hash: h }) })),
        );
        await push(stores, user, [m('collection.upsert', { id: 'favs', name: 'Favs' })]);
        await push(stores, user, [m('sample.delete', { id: hashes[0] })]);
        await push(stores, stranger, [
          clientMutations('client-cccc')('sample.upsertAnalysis', {
            id: hashes[1],
            analysis: fakeAnalysis({ hash: hashes[1] }),
          }),
        ]);

        const seen: string[] = [];
        let cursor = 0;
        let pages = 0;
        let lastPage: string[] = [];
        for (;;) {
          const p = await stores.docs.pull(user, cursor, 2);
          pages++;
          lastPage = p.samples.map((s) => s.id);
          expect(p.samples.length + p.collections.length).toBeLessThanOrEqual(2);
          seen.push(...p.samples.map((s) => s.id), ...p.collections.map((c) => `c:${c.id}`));
          for (const s of p.samples) if (s.id === hashes[0]) expect(s.deleted.v).toBe(true);
          cursor = p.cursor;
          if (!p.hasMore) break;
        }
        expect(pages).toBe(3);
        // The deleted sample changed last, so it appears once, on the last page.
        expect(new Set(seen)).toEqual(new Set([...hashes, 'c:favs']));
        expect(seen.length).toBe(6);
        expect(lastPage).toContain(hashes[0]);
        const after = await stores.docs.pull(user, cursor, 10);
        expect(after.samples).toEqual([]);
        expect(after.cursor).toBe(cursor);
        const strangers = await stores.docs.pull(stranger, 0, 10);
        expect(strangers.samples.map((s) => s.id)).toEqual([hashes[1]]);
        expect(Object.keys(strangers.clients)).toEqual(['client-cccc']);
      });

      it('scopes sample reads and collection membership by user', async () => {
        const a = randomUUID();
        const b = randomUUID();
        const h = randomHash();
        const m = clientMutations('client-dddd');
        await push(stores, a, [
          m('sample.upsertAnalysis', { id: h, analysis: fakeAnalysis({ hash: h }) }),
          m('collection.upsert', { id: 'c1', name: 'one' }),
          m('collection.addMembers', { id: 'c1', sampleIds: [h] }),
          m('collection.upsert', { id: 'c2', name: 'two' }),
          m('collection.addMembers', { id: 'c2', sampleIds: [h] }),
          m('collection.delete', { id: 'c2' }),
        ]);
        expect(await stores.docs.getSample(b, h)).toBeNull();
        expect(await stores.docs.sampleCollections(a, h)).toEqual(['c1']);
        expect(await stores.docs.sampleCollections(b, h)).toEqual([]);
        expect(await stores.docs.filterSamples(b, [h], {})).toEqual([]);
        expect((await stores.docs.vectors(b)).length).toBe(0);
        expect((await stores.docs.vectors(a)).map((v) => v.id)).toEqual([h]);
      });

      it('keeps a vector outbox', async () => {
        const u = randomUUID();
        await stores.docs.outboxAdd(u, ['a1', 'a2']);
        await stores.docs.outboxAdd(u, ['a1']);
        const got = (await other.docs.outboxTake(1000)).filter((i) => i.userId === u);
        expect(got.map((i) => i.id).sort()).toEqual(['a1', 'a2']);
        await stores.docs.outboxRemove(got);
        expect((await stores.docs.outboxTake(1000)).filter((i) => i.userId === u)).toEqual([]);
      });
    });

    describe('documents: listing', () => {
      const user = randomUUID();
      const docs: SampleDoc[] = [];
      const tagsPool = ['dark', 'bright', 'analog', 'vinyl'];

      beforeAll(async () => {
        const r = rng(42);
        const m = clientMutations('client-list');
        const muts: Mutation[] = [];
        for (let i = 0; i < 60; i++) {
          const h = randomHash();
          const type = SAMPLE_TYPES[Math.floor(r() * 5)];
          const analysis = fakeAnalysis({
            hash: h,
            type,
            bpm: r() < 0.25 ? null : Math.round(70 + r() * 100),
            key: r() < 0.3 ? null : [PITCH_CLASSES[Math.floor(r() * 12)], r() < 0.5 ? 'major' : 'minor'],
            durationSec: Math.round(r() * 800) / 100,
            isLoop: r() < 0.4,
            lufs: r() < 0.2 ? null : -30 + Math.round(r() * 25),
          });
          muts.push(m('sample.upsertAnalysis', { id: h, analysis, name: `${type} ${i % 7} take${i}.wav` }));
          const tags = tagsPool.filter(() => r() < 0.35);
          if (tags.length > 0) muts.push(m('sample.addTags', { id: h, tags }));
          if (r() < 0.3) muts.push(m('sample.setField', { id: h, field: 'favorite', value: true }));
          if (i % 13 === 0) muts.push(m('sample.delete', { id: h }));
        }
        const out = await push(stores, user, muts);
        docs.push(...out.samples.values());
        // Another user's samples must never show up.
        const o = randomUUID();
        const x = randomHash();
        await push(stores, o, [
          clientMutations('client-other')('sample.upsertAnalysis', {
            id: x,
            analysis: fakeAnalysis({ hash: x, type: 'kick' }),
          }),
        ]);
      });

      function oracle(filters: SampleFilters, sort: SortSpec): string[] {
        const { field, desc } = parseSort(sort);
        return docs
          .map((d) => ({ d, r: toRow(d) }))
          .filter(({ r }) => matchesFilters(r, filters))
          .sort((a, b) => {
            const va = a.r[field as keyof typeof a.r] as string | number;
            const vb = b.r[field as keyof typeof b.r] as string | number;
            const c = va < vb ? -1 : va > vb ? 1 : a.d.id < b.d.id ? -1 : a.d.id > b.d.id ? 1 : 0;
            return desc ? -c : c;
          })
          .map(({ d }) => d.id);
      }

      async function listAll(filters: SampleFilters, sort: SortSpec, limit: number): Promise<string[]> {
        const ids: string[] = [];
        let after = null;
        for (let guard = 0; guard < 100; guard++) {
          const page = await stores.docs.listSamples(user, { filters, sort, limit, after });
          expect(page.items.length).toBeLessThanOrEqual(limit);
          ids.push(...page.items.map((s) => s.id));
          if (!page.hasMore) return ids;
          // Round-trip the cursor the way the API does.
          after = decodeCursor(sort, encodeCursor(sort, page.last!));
        }
        throw new Error('pagination did not end');
      }

      const cases: [string, SampleFilters][] = [
        ['no filter', {}],
        ['type', { type: ['kick', 'snare'] }],
        ['key + scale', { key: 'A', scale: 'minor' }],
        ['scale only', { scale: 'major' }],
        ['bpm range', { bpmMin: 90, bpmMax: 130 }],
        ['bpm max only excludes unknown tempo', { bpmMax: 120 }],
        ['duration range', { durationMin: 1, durationMax: 4 }],
        ['tags (all of)', { tags: ['dark', 'analog'] }],
        ['text', { q: 'take1' }],
        ['text is literal (no wildcards)', { q: '%' }],
        ['loops that are favourites', { isLoop: true, favorite: true }],
        ['one-shots', { isLoop: false }],
      ];

      for (const [label, filters] of cases) {
        it(`filters: ${label}`, async () => {
          const want = oracle(filters, '-createdAt');
          expect(await listAll(filters, '-createdAt', 7)).toEqual(want);
        });
      }

      for (const field of SORT_FIELDS) {
        for (const sort of [field, `-${field}`] as SortSpec[]) {
          it(`sorts by ${sort} across pages without gaps or repeats`, async () => {
            expect(await listAll({}, sort, 9)).toEqual(oracle({}, sort));
          });
        }
      }

      it('returns summaries that match the documents', async () => {
        const page = await stores.docs.listSamples(user, {
          filters: {},
          sort: 'name',
          limit: 5,
          after: null,
        });
        for (const s of page.items) {
          const d = docs.find((x) => x.id === s.id)!;
          expect(s).toEqual(toSummary(d));
        }
      });

      it('filters a list of ids in the given order', async () => {
        const visible = oracle({}, 'name');
        const pick = [visible[5], visible[1], 'ffffffffffffffffffff', visible[3]];
        const got = await stores.docs.filterSamples(user, pick, {});
        expect(got.map((s) => s.id)).toEqual([visible[5], visible[1], visible[3]]);
        const loops = await stores.docs.filterSamples(user, visible, { isLoop: true });
        expect(loops.map((s) => s.id)).toEqual(
          visible.filter((id) => oracle({ isLoop: true }, 'name').includes(id)),
        );
      });
    });

    describe('cache', () => {
      it('serves fills, drops them on invalidate, and ignores fills that raced an invalidation', async () => {
        const g = `grp-${randomUUID()}`;
        const r0 = await stores.cache.read(g, 'f');
        expect(r0.value).toBeNull();
        await stores.cache.fill(g, 'f', 'v1', r0.gen, 60);
        const r1 = await other.cache.read(g, 'f');
        if (stores.cache.backend === 'redis') expect(r1.value).toBe('v1');
        else expect((await stores.cache.read(g, 'f')).value).toBe('v1');
        const stale = await stores.cache.read(g, 'x');
        await stores.cache.invalidate(g);
        await stores.cache.fill(g, 'x', 'old', stale.gen, 60);
        expect((await stores.cache.read(g, 'x')).value).toBeNull();
        expect((await stores.cache.read(g, 'f')).value).toBeNull();
        const fresh = await stores.cache.read(g, 'x');
        await stores.cache.fill(g, 'x', 'new', fresh.gen, 60);
        expect((await stores.cache.read(g, 'x')).value).toBe('new');
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

describe.runIf(!process.env.MONGODB_URL)('MongoDB variant', () => {
  it('is not run here: no MONGODB_URL (set it to a replica-set URL to run the suite against MongoDB)', () => {
    console.info(
      '[store contract] MongoDB variant not run: MONGODB_URL is unset (no mongod can be installed here).',
    );
    expect(VARIANTS.find((v) => v.name.includes('mongo'))?.skip).toMatch(/MONGODB_URL/);
  });
});
