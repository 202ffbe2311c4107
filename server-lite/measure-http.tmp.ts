import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { freePort } from './test/services';

const dir = process.argv[2];
const mode = process.argv[3];
const encs = (process.argv[4] ?? 'identity,gzip,br').split(',');
let redisProc: ReturnType<typeof spawn> | null = null;
const env: Record<string, string> = { ...process.env as Record<string, string>, SAMPLEMIND_DATA_DIR: dir, LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '0', AUTH_RATE_LIMIT_IP: '0', AUTH_RATE_LIMIT_ACCOUNT: '0', HOST: '127.0.0.1' };
if (mode === 'redis') {
  const rp = await freePort();
  redisProc = spawn('redis-server', ['--port', String(rp), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 400));
  env.REDIS_URL = `redis://127.0.0.1:${rp}`;
}
const port = await freePort();
env.PORT = String(port);
const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 100; i++) { try { if ((await fetch(`${base}/health`)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 200)); }
const cpu = () => { const f = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const { access_token: token } = await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'a@example.com', password: 'correct horse' }) })).json() as { access_token: string };
const get = (path: string, enc: string) => new Promise<{ raw: Buffer; headers: Record<string, unknown>; ms: number }>((ok, fail) => {
  const t = performance.now();
  const req = request(base + path, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': enc } }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => ok({ raw: Buffer.concat(chunks), headers: res.headers, ms: performance.now() - t }));
  });
  req.once('error', fail);
  req.end();
});
const out: Record<string, unknown> = {};
for (const enc of encs) {
  // warm-up page
  await get('/api/v1/sync/pull?view=compact&limit=5000', enc);
  const c0 = cpu();
  const t0 = performance.now();
  let cursor = '0';
  let bytes = 0;
  let samples = 0;
  let pages = 0;
  const lat: number[] = [];
  for (;;) {
    const r = await get(`/api/v1/sync/pull?view=compact&limit=5000&cursor=${cursor}`, enc);
    bytes += r.raw.length;
    lat.push(r.ms);
    const ce = r.headers['content-encoding'];
    const body = JSON.parse((ce === 'br' ? brotliDecompressSync(r.raw) : ce === 'gzip' ? gunzipSync(r.raw) : r.raw).toString());
    samples += body.samples.length;
    pages++;
    cursor = body.cursor;
    if (!body.hasMore) break;
  }
  const wall = performance.now() - t0;
  const serverCpuMs = cpu() - c0;
  lat.sort((a, b) => a - b);
  out[enc] = { pages, samples, wallMs: Math.round(wall), serverCpuMs, serverCpuMsPerPage: Math.round(serverCpuMs / pages), pageLatencyMs: { p50: Math.round(lat[lat.length >> 1]), max: Math.round(lat[lat.length - 1]) }, wireBytes: bytes, wireMB: +(bytes / 1e6).toFixed(2), bytesPerSample: +(bytes / samples).toFixed(1) };
  console.error(mode, enc, JSON.stringify(out[enc]));
}
console.log(JSON.stringify({ mode, ...out }));
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
redisProc?.kill();
