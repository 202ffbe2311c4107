import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, push, seed, type User } from './api-helpers';
import { axisVector, clientMutations, fakeAnalysis, randomHash } from './fixtures';
import { cleanupTmp, newUser, testApp, VARIANTS } from './harness';

for (const variant of VARIANTS.filter((v) => !v.skip)) {
  describe(`routes: ${variant.name}`, () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      ({ app } = await testApp(variant.env()));
    });
    afterAll(async () => {
      await app?.close();
      cleanupTmp();
    });

    describe('library', () => {
      let alice: User;
      let bob: User;
      let ids: string[];

      beforeAll(async () => {
        alice = await newUser(app);
        bob = await newUser(app);
        ids = await seed(app, alice, [
          {
            type: 'kick',
            bpm: null,
            durationSec: 0.5,
            name: 'Kick Deep.wav',
            tags: ['dark'],
            features: axisVector(0),
          },
          {
            type: 'kick',
            bpm: null,
            durationSec: 0.7,
            name: 'Kick Punchy.wav',
            tags: ['bright'],
            features: axisVector(0, 0.2),
          },
          {
            type: 'snare',
            bpm: null,
            durationSec: 0.4,
            name: 'Snare Tight.wav',
            features: axisVector(0, 0.5),
          },
          {
            type: 'drum-loop',
            bpm: 120,
            durationSec: 8,
            isLoop: true,
            name: 'Groove 120.wav',
            tags: ['dark', 'vinyl'],
            features: axisVector(3),
          },
          {
            type: 'music-loop',
            bpm: 90,
            key: ['A', 'minor'],
            durationSec: 10.7,
            isLoop: true,
            name: 'Keys Am 90.wav',
            features: axisVector(7),
          },
          {
            type: 'music-loop',
            bpm: 140,
            key: ['C', 'major'],
            durationSec: 6.9,
            isLoop: true,
            name: 'Lead C 140.wav',
            features: axisVector(7, 0.4),
          },
        ]);
      });

      const names = (r: { json(): { items: { name: string }[] } }) => r.json().items.map((i) => i.name);

      it('lists the caller’s samples with filters', async () => {
        expect(names(await get(app, alice, '/api/v1/audio/files?sort=name'))).toEqual([
          'Groove 120.wav',
          'Keys Am 90.wav',
          'Kick Deep.wav',
          'Kick Punchy.wav',
          'Lead C 140.wav',
          'Snare Tight.wav',
        ]);
        expect(names(await get(app, alice, '/api/v1/audio/files?type=kick,snare&sort=-duration'))).toEqual([
          'Kick Punchy.wav',
          'Kick Deep.wav',
          'Snare Tight.wav',
        ]);
        expect(names(await get(app, alice, '/api/v1/audio/files?bpmMin=100&bpmMax=150&sort=bpm'))).toEqual([
          'Groove 120.wav',
          'Lead C 140.wav',
        ]);
        expect(names(await get(app, alice, '/api/v1/audio/files?key=A&scale=minor'))).toEqual([
          'Keys Am 90.wav',
        ]);
        expect(names(await get(app, alice, '/api/v1/audio/files?camelot=8B'))).toEqual(['Lead C 140.wav']);
        expect(names(await get(app, alice, '/api/v1/audio/files?tags=dark,vinyl'))).toEqual([
          'Groove 120.wav',
        ]);
        expect(names(await get(app, alice, '/api/v1/audio/files?q=KICK&sort=name'))).toEqual([
          'Kick Deep.wav',
          'Kick Punchy.wav',
        ]);
        expect(
          names(await get(app, alice, '/api/v1/audio/files?isLoop=false&durationMax=0.6&sort=name')),
        ).toEqual(['Kick Deep.wav', 'Snare Tight.wav']);
      });

      it('pages with an opaque cursor', async () => {
        const seen: string[] = [];
        let url = '/api/v1/audio/files?sort=-bpm&limit=4';
        for (let i = 0; i < 5; i++) {
          const page = (await get(app, alice, url)).json();
          seen.push(...page.items.map((s: { id: string }) => s.id));
          if (!page.nextCursor) break;
          url = `/api/v1/audio/files?sort=-bpm&limit=4&cursor=${encodeURIComponent(page.nextCursor)}`;
        }
        expect(seen.length).toBe(6);
        expect(new Set(seen)).toEqual(new Set(ids));
        const bad = await get(app, alice, '/api/v1/audio/files?sort=name&cursor=bm9wZQ');
        expect(bad.statusCode).toBe(400);
        expect((await get(app, alice, '/api/v1/audio/files?limit=1000')).statusCode).toBe(400);
        expect((await get(app, alice, '/api/v1/audio/files?sort=password')).statusCode).toBe(400);
      });

      it('returns one sample with its analysis and collections', async () => {
        const m = clientMutations('alice-laptop');
        await push(app, alice, [
          m('collection.upsert', { id: 'drums', name: 'Drums' }),
          m('collection.addMembers', { id: 'drums', sampleIds: [ids[0]] }),
        ]);
        const r = await get(app, alice, `/api/v1/audio/files/${ids[0]}`);
        expect(r.statusCode).toBe(200);
        const d = r.json();
        expect(d.name).toBe('Kick Deep.wav');
        expect(d.collections).toEqual(['drums']);
        expect(d.analysis.features).toEqual(axisVector(0));
        expect(d.tags).toEqual(['dark']);
        expect((await get(app, alice, `/api/v1/audio/files/${'f'.repeat(32)}`)).statusCode).toBe(404);
        expect((await get(app, alice, '/api/v1/audio/files/not-a-hash')).statusCode).toBe(400);
      });

      it('shows a change in lists and reads right after the push (caches are invalidated)', async () => {
        const before = await get(app, alice, '/api/v1/audio/files?favorite=true');
        expect(before.json().items).toEqual([]);
        await get(app, alice, `/api/v1/audio/files/${ids[1]}`);
        const m = clientMutations('alice-phone');
        await push(app, alice, [m('sample.setField', { id: ids[1], field: 'favorite', value: true })]);
        expect(names(await get(app, alice, '/api/v1/audio/files?favorite=true'))).toEqual([
          'Kick Punchy.wav',
        ]);
        expect((await get(app, alice, `/api/v1/audio/files/${ids[1]}`)).json().favorite).toBe(true);
      });

      it('finds similar samples by id or vector, nearest first, with filters', async () => {
        const byId = await app.inject({
          method: 'POST',
          url: '/api/v1/audio/similar',
          headers: alice.headers,
          payload: { id: ids[0], limit: 2 },
        });
        expect(byId.statusCode).toBe(200);
        const items = byId.json().items as { sample: { name: string }; score: number }[];
        expect(items.map((i) => i.sample.name)).toEqual(['Kick Punchy.wav', 'Snare Tight.wav']);
        expect(items[0].score).toBeGreaterThan(items[1].score);
        const kicksOnly = await app.inject({
          method: 'POST',
          url: '/api/v1/audio/similar',
          headers: alice.headers,
          payload: { vector: axisVector(7), filters: { type: ['kick'] } },
        });
        expect(kicksOnly.json().items.map((i: { sample: { type: string } }) => i.sample.type)).toEqual([
          'kick',
          'kick',
        ]);
        const tagged = await app.inject({
          method: 'POST',
          url: '/api/v1/audio/similar',
          headers: alice.headers,
          payload: { vector: axisVector(0), filters: { tags: ['dark'] } },
        });
        expect(tagged.json().items.map((i: { sample: { name: string } }) => i.sample.name)).toEqual([
          'Kick Deep.wav',
          'Groove 120.wav',
        ]);
        const both = await app.inject({
          method: 'POST',
          url: '/api/v1/audio/similar',
          headers: alice.headers,
          payload: { id: ids[0], vector: axisVector(0) },
        });
        expect(both.statusCode).toBe(400);
        const shortVec = await app.inject({
          method: 'POST',
          url: '/api/v1/audio/similar',
          headers: alice.headers,
          payload: { vector: [1, 2] },
        });
        expect(shortVec.statusCode).toBe(400);
      });

      it('keeps users apart: B cannot read or change A’s samples, sync data or vectors', async () => {
        expect((await get(app, bob, '/api/v1/audio/files')).json().items).toEqual([]);
        expect((await get(app, bob, `/api/v1/audio/files/${ids[0]}`)).statusCode).toBe(404);
        const sim = await app.inject({
          method: 'POST',
          url: '/api/v1/audio/similar',
          headers: bob.headers,
          payload: { id: ids[0] },
        });
        expect(sim.statusCode).toBe(404);
        const simVec = await app.inject({
          method: 'POST',
          url: '/api/v1/audio/similar',
          headers: bob.headers,
          payload: { vector: axisVector(0) },
        });
        expect(simVec.json().items).toEqual([]);
        const pull = (await get(app, bob, '/api/v1/sync/pull')).json();
        expect(pull.samples).toEqual([]);
        expect(pull.collections).toEqual([]);
        expect(pull.clients).toEqual({});
        // B "deletes" and renames A's sample id: that only creates B's own record.
        const m = clientMutations('bob-device');
        const r = await push(app, bob, [
          m('sample.delete', { id: ids[0] }),
          m('sample.setField', { id: ids[0], field: 'name', value: 'pwned' }),
        ]);
        expect(r.statusCode).toBe(200);
        const a = (await get(app, alice, `/api/v1/audio/files/${ids[0]}`)).json();
        expect(a.name).toBe('Kick Deep.wav');
        expect((await get(app, bob, `/api/v1/audio/files/${ids[0]}`)).statusCode).toBe(404);
        // B's client ids do not show up in A's sync state, and vice versa.
        const alicePull = (await get(app, alice, '/api/v1/sync/pull')).json();
        expect(Object.keys(alicePull.clients)).not.toContain('bob-device');
        expect(alicePull.samples.find((s: { id: string }) => s.id === ids[0]).deleted).toBe(false);
      });
    });

    describe('sync', () => {
      it('applies a batch once, rejects gaps with 409, and pulls state since a cursor', async () => {
        const u = await newUser(app);
        const h = randomHash();
        const m = clientMutations('device-one');
        const batch = [
          m('sample.upsertAnalysis', {
            id: h,
            analysis: fakeAnalysis({ hash: h }),
            name: 'a.wav',
            extra: 'dropped',
          }),
          m('sample.addTags', { id: h, tags: [' Dusty '] }),
        ];
        const r1 = await push(app, u, batch);
        expect(r1.statusCode).toBe(200);
        expect(r1.json()).toEqual({
          results: [
            { clientId: 'device-one', mutationId: 1, status: 'applied' },
            { clientId: 'device-one', mutationId: 2, status: 'applied' },
          ],
          clients: { 'device-one': 2 },
        });
        const p1 = (await get(app, u, '/api/v1/sync/pull?cursor=0')).json();
        expect(p1.samples).toHaveLength(1);
        expect(p1.samples[0].tags).toEqual(['dusty']);
        expect(p1.samples[0]).not.toHaveProperty('extra');
        expect(p1.clients).toEqual({ 'device-one': 2 });

        const retry = await push(app, u, batch);
        expect(retry.json().results.map((x: { status: string }) => x.status)).toEqual([
          'duplicate',
          'duplicate',
        ]);
        const p2 = (await get(app, u, `/api/v1/sync/pull?cursor=${p1.cursor}`)).json();
        expect(p2.samples).toEqual([]);
        expect(p2.cursor).toBe(p1.cursor);

        const gap = await push(app, u, [{ ...m('sample.delete', { id: h }), mutationId: 9 }]);
        expect(gap.statusCode).toBe(409);
        expect(gap.json().results[0].status).toBe('rejected');

        const del = await push(app, u, [{ ...m('sample.delete', { id: h }), mutationId: 3 }]);
        expect(del.statusCode).toBe(200);
        const p3 = (await get(app, u, `/api/v1/sync/pull?cursor=${p1.cursor}`)).json();
        expect(p3.samples.map((s: { id: string; deleted: boolean }) => [s.id, s.deleted])).toEqual([
          [h, true],
        ]);
      });

      it('validates mutations with the shared schema', async () => {
        const u = await newUser(app);
        const bad = await push(app, u, [
          {
            clientId: 'device-two',
            mutationId: 1,
            hlc: 'yesterday',
            name: 'sample.explode',
            args: {},
          } as never,
        ]);
        expect(bad.statusCode).toBe(400);
        const wrongHash = await push(app, u, [
          clientMutations('device-two')('sample.upsertAnalysis', {
            id: randomHash(),
            analysis: fakeAnalysis(),
          }),
        ]);
        expect(wrongHash.statusCode).toBe(400);
        expect(JSON.stringify(wrongHash.json().issues)).toMatch(/contentHash/);
      });
    });
  });
}
