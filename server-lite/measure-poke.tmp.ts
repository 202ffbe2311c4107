import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from './src/app';
import { loadConfig } from './src/config/env';
import { clientMutations, fakeAnalysis, randomHash } from './test/fixtures';
import { freePort } from './test/services';
import { openEventStream } from './test/sync-events';

const port = await freePort();
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 400));
const out: Record<string, unknown> = {};
for (const mode of ['in-process', 'redis']) {
  const dir = mkdtempSync(join(tmpdir(), 'sm-poke-'));
  const env = { SAMPLEMIND_DATA_DIR: dir, LOG_LEVEL: 'silent', JWT_SECRET: 'x'.repeat(40), PASSWORD_SCRYPT_N: '1024', RATE_LIMIT_MAX: '0', REDIS_KEY_PREFIX: 'p:', ...(mode === 'redis' ? { REDIS_URL: `redis://127.0.0.1:${port}` } : {}) };
  const a = await buildApp({ config: loadConfig(env), logger: false });
  const b = mode === 'redis' ? await buildApp({ config: loadConfig(env), logger: false }) : a;
  const baseA = await a.listen({ port: 0, host: '127.0.0.1' });
  const baseB = b === a ? baseA : await b.listen({ port: 0, host: '127.0.0.1' });
  await fetch(`${baseA}/api/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'p@x.io', username: 'pokeuser', password: 'password-123' }) });
  const { access_token: token } = await (await fetch(`${baseA}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'pokeuser', password: 'password-123' }) })).json() as { access_token: string };
  const ev = await openEventStream(baseB, token);
  await ev.next('ready');
  const m = clientMutations('poke-bench');
  const fromStart: number[] = [];
  const afterResponse: number[] = [];
  for (let i = 0; i < 60; i++) {
    const h = randomHash();
    const body = JSON.stringify({ mutations: [m('sample.setField', { id: h, field: 'rating', value: 3 })] });
    const t0 = performance.now();
    const poke = ev.next('poke');
    const res = await fetch(`${baseA}/api/v1/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    const t1 = performance.now();
    await res.text();
    const at = await poke;
    if (i >= 10) { fromStart.push(at - t0); afterResponse.push(at - t1); }
  }
  const q = (xs: number[], p: number) => +[...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(2);
  out[mode] = { pushStartToPokeMs: { p50: q(fromStart, 0.5), p95: q(fromStart, 0.95), max: q(fromStart, 1) }, pushResponseToPokeMs: { p50: q(afterResponse, 0.5), p95: q(afterResponse, 0.95) } };
  ev.close();
  await a.close();
  if (b !== a) await b.close();
}
console.log(JSON.stringify(out, null, 1));
redis.kill();
