import { spawn } from 'node:child_process';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { pullResponseSchema } from '@samplemind/contract';
import { buildApp } from './src/app';
import { loadConfig } from './src/config/env';
import { freePort } from './test/services';

const dir = process.argv[2];
const redis = process.argv[3] === 'redis';
let proc: ReturnType<typeof spawn> | null = null;
let redisUrl = '';
if (redis) {
  const port = await freePort();
  proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 400));
  redisUrl = `redis://127.0.0.1:${port}`;
}
const config = loadConfig({ SAMPLEMIND_DATA_DIR: dir, LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '0', AUTH_RATE_LIMIT_IP: '0', AUTH_RATE_LIMIT_ACCOUNT: '0', METRICS_ENABLED: 'false', ...(redis ? { REDIS_URL: redisUrl } : {}) });
const app = await buildApp({ config, logger: false });
await app.ready();
const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'a@example.com', password: 'correct horse' } });
const headers = { authorization: `Bearer ${login.json().access_token}` };
const results: Record<string, unknown> = {};
async function run(label: string, view: string, limit: number, enc: string | null, validate = false) {
  let cursor = '0';
  const times: number[] = [];
  let bytes = 0;
  let samples = 0;
  let cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (;;) {
    const t = performance.now();
    const r = await app.inject({ method: 'GET', url: `/api/v1/sync/pull?view=${view}&limit=${limit}&cursor=${cursor}`, headers: { ...headers, ...(enc ? { 'accept-encoding': enc } : {}) } });
    times.push(performance.now() - t);
    if (r.statusCode !== 200) throw new Error(r.body);
    bytes += r.rawPayload.length;
    const ce = r.headers['content-encoding'];
    const raw = ce === 'br' ? brotliDecompressSync(r.rawPayload) : ce === 'gzip' ? gunzipSync(r.rawPayload) : r.rawPayload;
    const body = JSON.parse(raw.toString());
    if (validate) pullResponseSchema.parse(body);
    samples += body.samples.length;
    cursor = body.cursor;
    if (!body.hasMore) break;
    if (label.endsWith('1page')) break;
  }
  const total = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const s = [...times].sort((a, b) => a - b);
  results[label] = { pages: times.length, samples, totalMs: Math.round(total), msPerPage: { median: +s[s.length >> 1].toFixed(1), max: +s[s.length - 1].toFixed(1) }, bytes, bytesPerSample: +(bytes / samples).toFixed(1), cpuMs: Math.round((cpu.user + cpu.system) / 1000), encoding: enc };
  console.error(label, JSON.stringify(results[label]));
}
const which = (process.argv[4] ?? 'identity,gzip,br,full').split(',');
if (which.includes('identity')) await run('compact-identity', 'compact', 5000, null);
if (which.includes('gzip')) await run('compact-gzip', 'compact', 5000, 'gzip');
if (which.includes('br')) await run('compact-br', 'compact', 5000, 'br, gzip');
if (which.includes('full')) await run('full-identity-1page', 'full', 1000, null);
if (which.includes('validate')) await run('compact-validate-1page', 'compact', 5000, null, true);
console.log(JSON.stringify(results));
await app.close();
proc?.kill();
