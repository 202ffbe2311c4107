// A real server-lite (SQLite + in-process stores) for the sync unit tests, reached through
// fastify.inject instead of a socket. Plain JS with a declaration file beside it: the web app's
// type-check (DOM only) must not pull in the server's Node-typed sources.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../../../server-lite/src/app';
import { loadConfig } from '../../../../server-lite/src/config/env';

export const SERVER_URL = 'http://sync.test';

let users = 0;

export async function startSyncServer(env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sm-sync-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    SAMPLEMIND_DATA_DIR: dir,
    JWT_SECRET: 'sync-unit-test-secret-0123456789abcdef',
    PASSWORD_SCRYPT_N: '1024',
    LOG_LEVEL: 'silent',
    AUTH_RATE_LIMIT_IP: '0',
    AUTH_RATE_LIMIT_ACCOUNT: '0',
    RATE_LIMIT_MAX: '1000000',
    WEB_DIST_DIR: join(dir, 'no-web-app'),
    ...env,
  });
  const app = await buildApp({ config, logger: false });
  await app.ready();

  async function inject(path, method, headers, body) {
    const r = await app.inject({ method, url: path, headers, ...(body ? { payload: body } : {}) });
    const h = new Headers();
    for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) h.set(k, String(v));
    return new Response(r.statusCode === 204 ? null : r.rawPayload, { status: r.statusCode, headers: h });
  }

  async function fetch(input, init = {}) {
    const url = new URL(String(input));
    const body = typeof init.body === 'string' ? init.body : undefined;
    return inject(`${url.pathname}${url.search}`, init.method ?? 'GET', { ...init.headers }, body);
  }

  async function newUser() {
    const username = `sync${++users}_${Date.now().toString(36)}`;
    const password = 'correct horse battery';
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: `${username}@example.com`, username, password },
    });
    if (r.statusCode !== 201) throw new Error(`register: ${r.statusCode} ${r.body}`);
    return { username, password };
  }

  async function close() {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }

  return { url: SERVER_URL, fetch, inject, newUser, close };
}
