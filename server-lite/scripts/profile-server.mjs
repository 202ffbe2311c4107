#!/usr/bin/env node
// Profiles server-lite under the benchmark mix (make profile / make profile-cpu):
//   node scripts/profile-server.mjs --cpu|--heap [--stores embedded|scaleout] [--duration 10] [--connections 50]
// The server runs in its own process with --cpu-prof or --heap-prof; load comes from this process.
// Profiles land in .bench/profiles/: open .cpuprofile / .heapprofile in Chrome DevTools or speedscope.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { REPO_DIR, seedLibrary, startChroma, startRedis, startServer, stopAll } from './bench-lib.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const mode = args.includes('--heap') ? 'heap' : 'cpu';
const kind = opt('stores', 'embedded');
const duration = Number(opt('duration', '10'));
const connections = Number(opt('connections', '50'));
const dir = join(REPO_DIR, '.bench', 'profiles');
mkdirSync(dir, { recursive: true });
const before = new Set(readdirSync(dir));

const env = {};
if (kind === 'scaleout')
  Object.assign(env, { REDIS_URL: await startRedis(), CHROMA_URL: await startChroma() });
const flags =
  mode === 'cpu' ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : ['--heap-prof', `--heap-prof-dir=${dir}`];
const server = await startServer(env, flags);
const spec = await (await fetch(`${server.url}/docs/json`)).json();
const dims =
  spec.paths['/api/v1/audio/similar'].post.requestBody.content['application/json'].schema.properties.vector
    .minItems;
const lib = await seedLibrary(server.url, 1000, dims);
const auth = { authorization: `Bearer ${lib.token}` };
const list = { method: 'GET', path: '/api/v1/audio/files?limit=50', headers: auth };
const requests = [
  list,
  { method: 'GET', path: '/health' },
  { method: 'GET', path: '/api/v1/auth/me', headers: auth },
  list,
  { method: 'GET', path: `/api/v1/audio/files/${lib.ids[0]}`, headers: auth },
  list,
  { method: 'GET', path: '/api/v1/audio/files?q=dusty', headers: auth },
];
console.log(`profiling (${mode}) ${kind} for ${duration}s with ${connections} connections…`);
const r = await autocannon({ url: server.url, connections, duration, requests });
console.log(
  `${Math.round(r.requests.total / r.duration)} req/s, p99 ${r.latency.p99} ms, errors ${r.errors + r.non2xx}`,
);
await stopAll(); // SIGTERM: graceful exit writes the profile
const made = readdirSync(dir).filter((f) => !before.has(f));
for (const f of made) console.log(`profile: ${join(dir, f)}`);
if (made.length === 0) console.log('no profile written (did the server exit cleanly?)');
