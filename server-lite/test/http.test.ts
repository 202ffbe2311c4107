import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientMutations, fakeAnalysis, randomHash } from './fixtures';
import { cleanupTmp, testApp } from './harness';
import { api, runServerExpectingExit, spawnServer } from './spawn-server';

describe('over real HTTP', () => {
  let app: FastifyInstance;
  let base: string;
  let web: string;

  beforeAll(async () => {
    web = mkdtempSync(join(tmpdir(), 'sm-web-'));
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>SampleMind</title><div id=app></div>');
    writeFileSync(join(web, 'assets', 'index-Ab12Cd34.js'), 'console.log("app")');
    ({ app } = await testApp({ WEB_DIST_DIR: web }));
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.close();
    rmSync(web, { recursive: true, force: true });
    cleanupTmp();
  });

  it('runs the whole flow: register, login (form), push, list, get', async () => {
    expect((await api(base, 'GET', '/health')).json.status).toBe('ok');
    expect(
      (
        await api(base, 'POST', '/api/v1/auth/register', {
          email: 'h@x.io',
          username: 'httpuser',
          password: 'password-123',
        })
      ).status,
    ).toBe(201);
    const form = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=httpuser&password=password-123',
    });
    expect(form.status).toBe(200);
    const { access_token: token } = (await form.json()) as { access_token: string };
    const h = randomHash();
    const m = clientMutations('http-client');
    const push = await api(
      base,
      'POST',
      '/api/v1/sync/push',
      {
        mutations: [
          m('sample.upsertAnalysis', {
            id: h,
            analysis: fakeAnalysis({ hash: h, type: 'snare' }),
            name: 's.wav',
          }),
        ],
      },
      token,
    );
    expect(push.status).toBe(200);
    const list = await api(base, 'GET', '/api/v1/audio/files?type=snare', undefined, token);
    expect(list.headers.get('content-type')).toMatch(/application\/json/);
    expect(list.json.items.map((i: { id: string }) => i.id)).toEqual([h]);
    const one = await api(base, 'GET', `/api/v1/audio/files/${h}`, undefined, token);
    expect(one.json.analysis.contentHash).toBe(h);
    expect(one.headers.get('x-request-id')).toBeTruthy();
  });

  it('serves the built web app with a fallback to index.html for client routes', async () => {
    const root = await fetch(`${base}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<title>SampleMind</title>');
    const deep = await fetch(`${base}/library/collections/42`, { headers: { accept: 'text/html' } });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('id=app');
    const asset = await fetch(`${base}/assets/index-Ab12Cd34.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const apiMiss = await api(base, 'GET', '/api/v1/missing');
    expect(apiMiss.status).toBe(404);
    expect(apiMiss.json.error).toBe('not-found');
  });
});

describe('starting the server', () => {
  it('refuses a production start without a JWT secret, or with a default one', async () => {
    const missing = await runServerExpectingExit({ NODE_ENV: 'production', JWT_SECRET: '' });
    expect(missing.code).toBe(78);
    expect(missing.output).toMatch(/JWT_SECRET: required in production/);
    const weak = await runServerExpectingExit({ NODE_ENV: 'production', JWT_SECRET: 'change-me' });
    expect(weak.code).toBe(78);
    expect(weak.output).toMatch(/refusing a default or short secret/);
  });

  it('starts with no configuration at all in development (embedded stores) and shuts down on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-dev-'));
    const s = await spawnServer({
      NODE_ENV: 'development',
      SAMPLEMIND_DATA_DIR: dir,
      JWT_SECRET: '',
      REDIS_URL: '',
      CHROMA_URL: '',
      MONGODB_URL: '',
    });
    const ready = await api(s.url, 'GET', '/health/ready');
    expect(ready.json.checks).toMatchObject({
      documents: { backend: 'sqlite' },
      cache: { backend: 'memory' },
      vectors: { backend: 'memory' },
    });
    await s.stop();
    expect(s.proc.exitCode).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('change pokes over server-sent events', () => {
  it('pokes a listening device when another device pushes', async () => {
    const { app } = await testApp();
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    await api(base, 'POST', '/api/v1/auth/register', {
      email: 'sse@x.io',
      username: 'sseuser',
      password: 'password-123',
    });
    const { access_token: token } = (
      await api(base, 'POST', '/api/v1/auth/login', { username: 'sseuser', password: 'password-123' })
    ).json;
    const res = await fetch(`${base}/api/v1/sync/events`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += dec.decode(value);
      }
    };
    await readUntil('event: ready');
    const h = randomHash();
    await api(
      base,
      'POST',
      '/api/v1/sync/push',
      {
        mutations: [
          clientMutations('other-device')('sample.upsertAnalysis', {
            id: h,
            analysis: fakeAnalysis({ hash: h }),
          }),
        ],
      },
      token,
    );
    await readUntil('event: poke');
    expect((await fetch(`${base}/api/v1/sync/events`)).status).toBe(401);
    // Shutdown ends open streams instead of waiting for them.
    const t0 = Date.now();
    await app.close();
    expect(Date.now() - t0).toBeLessThan(3000);
    cleanupTmp();
  });
});
