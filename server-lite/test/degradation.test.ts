import type { FastifyInstance } from 'fastify';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../src/config/env';
import { axisVector, clientMutations, fakeAnalysis, randomHash } from './fixtures';
import { cleanupTmp, newUser, testApp } from './harness';
import { type Service, startChroma, startRedis } from './services';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Own Redis and Chroma (not the shared ones), so they can be killed and restarted mid-test. */
describe('losing Redis or Chroma while running', () => {
  let redis: Service;
  let chroma: Service;
  let app: FastifyInstance;
  let config: Config;
  let user: Awaited<ReturnType<typeof newUser>>;
  const m = clientMutations('degrade-dev');
  const first = randomHash();
  const second = randomHash();

  beforeAll(async () => {
    [redis, chroma] = await Promise.all([startRedis(), startChroma()]);
    ({ app, config } = await testApp({ REDIS_URL: redis.url, CHROMA_URL: chroma.url }));
    user = await newUser(app);
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: user.headers,
      payload: {
        mutations: [
          m('sample.upsertAnalysis', {
            id: first,
            analysis: fakeAnalysis({ hash: first, features: axisVector(4) }),
            name: 'first.wav',
          }),
        ],
      },
    });
    expect(r.statusCode).toBe(200);
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([redis?.stop(), chroma?.stop()]);
    cleanupTmp();
  });

  const list = () => app.inject({ method: 'GET', url: '/api/v1/audio/files', headers: user.headers });
  const ready = () => app.inject({ method: 'GET', url: '/health/ready' });
  const similar = (id: string) =>
    app
      .inject({
        method: 'POST',
        url: '/api/v1/audio/similar',
        headers: user.headers,
        payload: { vector: axisVector(4), limit: 5 },
      })
      .then((r) => ({ r, id }));

  it('without Redis: reads miss the cache, everything keeps serving, readiness names the cache', async () => {
    expect((await list()).statusCode).toBe(200);
    await redis.kill();
    const t0 = Date.now();
    const l = await list();
    expect(l.statusCode).toBe(200);
    expect(l.json().items.map((i: { name: string }) => i.name)).toEqual(['first.wav']);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: user.headers })).statusCode,
    ).toBe(200);
    // Logging in still works (rate limits fall back to per-instance counting).
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: user.password },
    });
    expect(login.statusCode).toBe(200);
    const r = await ready();
    expect(r.statusCode).toBe(503);
    expect(r.json().failing).toEqual(['cache']);
  });

  it('Redis back: readiness recovers and the cache is used again', async () => {
    await redis.start();
    await until('redis reconnect', async () => (await ready()).statusCode === 200);
    expect((await list()).statusCode).toBe(200);
    const probe = createClient({ url: redis.url });
    await probe.connect();
    const keys = await probe.keys(`${config.REDIS_KEY_PREFIX}lib:*`);
    await probe.quit();
    expect(keys).toEqual([`${config.REDIS_KEY_PREFIX}lib:${user.id}`]);
  });

  it('without Chroma: similarity answers 503 with a reason; writes and reads keep working', async () => {
    const ok = await similar(first);
    expect(ok.r.statusCode).toBe(200);
    await chroma.kill();
    const { r } = await similar(first);
    expect(r.statusCode).toBe(503);
    expect(r.json().error).toBe('vectors-unavailable');
    expect(r.json().message).toMatch(/vector store/);
    expect(r.headers['retry-after']).toBeDefined();
    const pushed = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: user.headers,
      payload: {
        mutations: [
          m('sample.upsertAnalysis', {
            id: second,
            analysis: fakeAnalysis({ hash: second, features: axisVector(4, 0.2) }),
            name: 'second.wav',
          }),
        ],
      },
    });
    expect(pushed.statusCode).toBe(200);
    expect((await list()).json().items.length).toBe(2);
    const rd = await ready();
    expect(rd.statusCode).toBe(503);
    expect(rd.json().failing).toEqual(['vectors']);
  });

  it('Chroma back: similarity works again, including what was written during the outage', async () => {
    await chroma.start();
    await until('chroma ready', async () => (await ready()).statusCode === 200, 60_000);
    // The outbox is retried on a timer; run it now rather than wait.
    await app.library.flushOutbox();
    const { r } = await similar(first);
    expect(r.statusCode).toBe(200);
    expect(r.json().items.map((i: { sample: { name: string } }) => i.sample.name)).toEqual([
      'first.wav',
      'second.wav',
    ]);
  });
});
