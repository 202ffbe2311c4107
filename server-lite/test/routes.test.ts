import type { Mutation } from '@samplemind/contract';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axisVector, clientMutations, type FakeAnalysisOptions, fakeAnalysis, randomHash } from './fixtures';
import { cleanupTmp, newUser, testApp, VARIANTS } from './harness';

type User = Awaited<ReturnType<typeof newUser>>;

async function push(app: FastifyInstance, user: User, mutations: Mutation[]) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/sync/push',
    headers: user.headers,
    payload: { mutations },
  });
}

async function seed(
  app: FastifyInstance,
  user: User,
  items: (FakeAnalysisOptions & { name?: string; tags?: string[] })[],
) {
  const m = clientMutations(`seed-${user.username}`.slice(0, 60));
  const muts: Mutation[] = [];
  const ids: string[] = [];
  for (const it of items) {
    const h = it.hash ?? randomHash();
    ids.push(h);
    muts.push(
      m('sample.upsertAnalysis', {
        id: h,
        analysis: fakeAnalysis({ ...it, hash: h }),
        name: it.name ?? `${h.slice(0, 6)}.wav`,
      }),
    );
    if (it.tags) muts.push(m('sample.addTags', { id: h, tags: it.tags }));
  }
  const r = await push(app, user, muts);
  expect(r.statusCode).toBe(200);
  return ids;
}

const get = (app: FastifyInstance, user: User, url: string) =>
  app.inject({ method: 'GET', url, headers: user.headers });

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

    describe('auth', () => {
      it('registers, refuses duplicates, and never returns the password hash', async () => {
        const payload = {
          email: 'Dup@Example.com',
          username: `dup${Date.now()}`,
          password: 'long enough pw',
          isAdmin: true,
        };
        const r = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload });
        expect(r.statusCode).toBe(201);
        const body = r.json();
        expect(Object.keys(body).sort()).toEqual(['createdAt', 'email', 'id', 'username']);
        expect(body.email).toBe('dup@example.com');
        const again = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          payload: { ...payload, username: `x${payload.username}` },
        });
        expect(again.statusCode).toBe(409);
        expect(again.json().error).toBe('email-taken');
        const bad = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          payload: { email: 'nope', username: 'a', password: 'x' },
        });
        expect(bad.statusCode).toBe(400);
        expect(bad.json().error).toBe('validation');
        expect(
          bad
            .json()
            .issues.map((i: { path: string }) => i.path)
            .sort(),
        ).toEqual(['email', 'password', 'username']);
      });

      it('logs in with a username or an email, as JSON or as a form', async () => {
        const u = await newUser(app);
        const asEmail = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: `${u.username}@example.com`, password: u.password },
        });
        expect(asEmail.statusCode).toBe(200);
        const form = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: `grant_type=password&username=${u.username.toUpperCase()}&password=${encodeURIComponent(u.password)}`,
        });
        expect(form.statusCode).toBe(200);
        const t = form.json();
        expect(t.token_type).toBe('bearer');
        expect(t.expires_in).toBeGreaterThan(0);
        const me = await app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { authorization: `Bearer ${t.access_token}` },
        });
        expect(me.json()).toMatchObject({ id: u.id, username: u.username });
      });

      it('answers wrong passwords and unknown accounts alike', async () => {
        const u = await newUser(app);
        const wrong = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: u.username, password: 'wrong password' },
        });
        const unknown = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'no-such-user-x', password: 'wrong password' },
        });
        expect(wrong.statusCode).toBe(401);
        expect(unknown.statusCode).toBe(401);
        expect(wrong.json().message).toBe(unknown.json().message);
      });

      it('requires a valid bearer token', async () => {
        expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
        const junk = await app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { authorization: 'Bearer a.b.c' },
        });
        expect(junk.statusCode).toBe(401);
        expect(junk.json().error).toBe('unauthorized');
      });

      it('rotates refresh tokens; reusing an old one revokes the whole family', async () => {
        const u = await newUser(app);
        const r1 = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh',
          payload: { refresh_token: u.tokens.refresh_token },
        });
        expect(r1.statusCode).toBe(200);
        const t1 = r1.json();
        expect(t1.refresh_token).not.toBe(u.tokens.refresh_token);
        const meNew = await app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { authorization: `Bearer ${t1.access_token}` },
        });
        expect(meNew.statusCode).toBe(200);
        // Replaying the first refresh token: reuse detected.
        const replay = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh',
          payload: { refresh_token: u.tokens.refresh_token },
        });
        expect(replay.statusCode).toBe(401);
        expect(replay.json().message).toMatch(/reuse/);
        // The family is gone: the newest refresh token and the access tokens stop working.
        const next = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh',
          payload: { refresh_token: t1.refresh_token },
        });
        expect(next.statusCode).toBe(401);
        const me = await app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { authorization: `Bearer ${t1.access_token}` },
        });
        expect(me.statusCode).toBe(401);
        // Another session of the same user is unaffected.
        const other = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: u.username, password: u.password },
        });
        expect(other.statusCode).toBe(200);
      });

      it('logout revokes the session’s access and refresh tokens', async () => {
        const u = await newUser(app);
        const out = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/logout',
          headers: u.headers,
          payload: {},
        });
        expect(out.statusCode).toBe(204);
        expect((await get(app, u, '/api/v1/auth/me')).statusCode).toBe(401);
        const refresh = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh',
          payload: { refresh_token: u.tokens.refresh_token },
        });
        expect(refresh.statusCode).toBe(401);
      });
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

describe('routes: limits, errors, observability (embedded)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await testApp(
      {},
      { AUTH_RATE_LIMIT_IP: '4', AUTH_RATE_LIMIT_ACCOUNT: '3', BODY_LIMIT_MB: '0.05' },
    ));
  });
  afterAll(async () => {
    await app?.close();
    cleanupTmp();
  });

  it('rate-limits login per IP', async () => {
    let n = 0;
    // A different account each time, so only the per-IP limit can trigger.
    const from = (ip: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: ip,
        payload: { username: `nobody-${++n}`, password: 'whatever1' },
      });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await from('10.0.0.1')).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 429]);
    const limited = await from('10.0.0.1');
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.json().error).toBe('rate-limited');
    expect((await from('10.0.0.2')).statusCode).toBe(401);
  });

  it('rate-limits login per account, whatever the IP', async () => {
    const codes = [];
    for (let i = 0; i < 4; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: `10.1.0.${i}`,
        payload: { username: 'target-account', password: 'guess1234' },
      });
      codes.push(r.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429]);
  });

  it('refuses bodies over the limit with 413', async () => {
    const u = await newUser(app);
    const big = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: u.headers,
      payload: { mutations: [{ pad: 'x'.repeat(100_000) }] },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toBe('payload-too-large');
  });

  it('answers unknown routes with a JSON 404 and echoes request ids', async () => {
    const r = await app.inject({
      method: 'GET',
      url: '/api/v1/nope',
      headers: { 'x-request-id': 'trace-1234567' },
    });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ error: 'not-found', requestId: 'trace-1234567' });
    expect(r.headers['x-request-id']).toBe('trace-1234567');
  });

  it('sets security headers', async () => {
    const r = await app.inject({ method: 'GET', url: '/health' });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('serves the OpenAPI document, the docs page and metrics', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const p of [
      '/health',
      '/health/ready',
      '/api/v1/auth/register',
      '/api/v1/auth/login',
      '/api/v1/auth/refresh',
      '/api/v1/auth/logout',
      '/api/v1/auth/me',
      '/api/v1/audio/files',
      '/api/v1/audio/files/{id}',
      '/api/v1/audio/analyze',
      '/api/v1/audio/similar',
      '/api/v1/sync/push',
      '/api/v1/sync/pull',
    ]) {
      expect(Object.keys(spec.paths)).toContain(p);
    }
    expect(spec.paths['/api/v1/audio/files'].get.responses['200']).toBeDefined();
    const html = await app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(html.statusCode);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('http_requests_total');
    expect(metrics.body).toContain('route="/docs/json"');
  });

  it('reports readiness per store', async () => {
    const r = (await app.inject({ method: 'GET', url: '/health/ready' })).json();
    expect(r).toMatchObject({ status: 'ok', failing: [] });
    expect(r.checks.documents.backend).toBe('sqlite');
  });
});

describe('routes: 5xx bodies carry no internals', () => {
  it('hides the message and stack of an unexpected failure', async () => {
    const { app } = await testApp();
    const u = await newUser(app);
    // Break the document store under the running app.
    await app.stores.docs.close();
    const r = await app.inject({ method: 'GET', url: '/api/v1/audio/files?q=zzz', headers: u.headers });
    expect(r.statusCode).toBe(500);
    expect(r.json()).toEqual({
      error: 'internal',
      message: 'internal server error',
      requestId: expect.any(String),
    });
    expect(r.body).not.toMatch(/database|sqlite|stack|at .*\.ts/i);
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().failing).toEqual(['documents']);
    await app.close();
    cleanupTmp();
  });
});
