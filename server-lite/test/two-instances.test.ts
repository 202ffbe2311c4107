import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { axisVector, clientMutations, fakeAnalysis, randomHash } from './fixtures';
import { api, type ServerProcess, spawnServer } from './spawn-server';

/**
 * Two real server processes on different ports sharing one Redis and one Chroma (and, without
 * MONGODB_URL, one SQLite file): any instance serves any user.
 */
describe('two instances sharing Redis and Chroma', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sm-two-'));
    const tag = randomBytes(4).toString('hex');
    const env = {
      SAMPLEMIND_DATA_DIR: dir,
      JWT_SECRET: `shared-secret-${tag}-0123456789abcdef`,
      REDIS_URL: inject('redisUrl'),
      CHROMA_URL: inject('chromaUrl'),
      REDIS_KEY_PREFIX: `two${tag}:`,
      CHROMA_COLLECTION: `two-${tag}`,
      PASSWORD_SCRYPT_N: '1024',
      AUTH_RATE_LIMIT_IP: '6',
      AUTH_RATE_LIMIT_ACCOUNT: '3',
      TRUST_PROXY: 'true',
      ...(process.env.MONGODB_URL ? { MONGODB_URL: process.env.MONGODB_URL, MONGODB_DB: `two_${tag}` } : {}),
    };
    [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  async function login(base: string, username: string, password: string) {
    const r = await api(base, 'POST', '/api/v1/auth/login', { username, password });
    expect(r.status).toBe(200);
    return r.json as { access_token: string; refresh_token: string };
  }

  it('serves one user from either instance: token, library, vectors', async () => {
    const username = `two${randomBytes(3).toString('hex')}`;
    expect(
      (
        await api(a.url, 'POST', '/api/v1/auth/register', {
          email: `${username}@x.io`,
          username,
          password: 'password-123',
        })
      ).status,
    ).toBe(201);
    const t = await login(b.url, username, 'password-123');
    const me = await api(a.url, 'GET', '/api/v1/auth/me', undefined, t.access_token);
    expect(me.status).toBe(200);
    expect(me.json.username).toBe(username);

    const h1 = randomHash();
    const h2 = randomHash();
    const m = clientMutations('two-device');
    const pushed = await api(
      a.url,
      'POST',
      '/api/v1/sync/push',
      {
        mutations: [
          m('sample.upsertAnalysis', {
            id: h1,
            analysis: fakeAnalysis({ hash: h1, features: axisVector(2) }),
            name: 'one.wav',
          }),
          m('sample.upsertAnalysis', {
            id: h2,
            analysis: fakeAnalysis({ hash: h2, features: axisVector(2, 0.1) }),
            name: 'two.wav',
          }),
        ],
      },
      t.access_token,
    );
    expect(pushed.status).toBe(200);
    // B lists what A stored, and a change made through B shows on A (shared cache invalidation).
    expect(
      (await api(b.url, 'GET', '/api/v1/audio/files?sort=name', undefined, t.access_token)).json.items.map(
        (i: { name: string }) => i.name,
      ),
    ).toEqual(['one.wav', 'two.wav']);
    await api(a.url, 'GET', '/api/v1/audio/files?favorite=true', undefined, t.access_token);
    await api(
      b.url,
      'POST',
      '/api/v1/sync/push',
      { mutations: [m('sample.setField', { id: h2, field: 'favorite', value: true })] },
      t.access_token,
    );
    expect(
      (
        await api(a.url, 'GET', '/api/v1/audio/files?favorite=true', undefined, t.access_token)
      ).json.items.map((i: { name: string }) => i.name),
    ).toEqual(['two.wav']);
    const sim = await api(b.url, 'POST', '/api/v1/audio/similar', { id: h1, limit: 5 }, t.access_token);
    expect(sim.status).toBe(200);
    expect(sim.json.items.map((i: { sample: { id: string } }) => i.sample.id)).toEqual([h2]);
  });

  it('revokes on both: logout through one instance kills the token on the other', async () => {
    const username = `rev${randomBytes(3).toString('hex')}`;
    await api(b.url, 'POST', '/api/v1/auth/register', {
      email: `${username}@x.io`,
      username,
      password: 'password-123',
    });
    const t = await login(a.url, username, 'password-123');
    expect((await api(b.url, 'GET', '/api/v1/auth/me', undefined, t.access_token)).status).toBe(200);
    expect((await api(b.url, 'POST', '/api/v1/auth/logout', {}, t.access_token)).status).toBe(204);
    expect((await api(a.url, 'GET', '/api/v1/auth/me', undefined, t.access_token)).status).toBe(401);
    expect(
      (await api(a.url, 'POST', '/api/v1/auth/refresh', { refresh_token: t.refresh_token })).status,
    ).toBe(401);
    // Refresh rotation is shared too: a token rotated on A is "reused" when replayed on B.
    const t2 = await login(a.url, username, 'password-123');
    expect(
      (await api(a.url, 'POST', '/api/v1/auth/refresh', { refresh_token: t2.refresh_token })).status,
    ).toBe(200);
    const replay = await api(b.url, 'POST', '/api/v1/auth/refresh', { refresh_token: t2.refresh_token });
    expect(replay.status).toBe(401);
    expect(replay.json.message).toMatch(/reuse/);
  });

  it('shares rate limits: per account and per IP, across instances', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const base = i % 2 ? b.url : a.url;
      const r = await api(
        base,
        'POST',
        '/api/v1/auth/login',
        { username: 'shared-target', password: 'nope-nope' },
        undefined,
        {
          'x-forwarded-for': `10.7.0.${i}`,
        },
      );
      codes.push(r.status);
    }
    expect(codes).toEqual([401, 401, 401, 429]);

    const ipCodes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const base = i % 2 ? b.url : a.url;
      const r = await api(
        base,
        'POST',
        '/api/v1/auth/login',
        { username: `someone-${i}`, password: 'nope-nope' },
        undefined,
        {
          'x-forwarded-for': '10.8.8.8',
        },
      );
      ipCodes.push(r.status);
    }
    expect(ipCodes).toEqual([401, 401, 401, 401, 401, 401, 429]);
  });
});
