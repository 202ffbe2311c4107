#!/usr/bin/env node
// Server benchmark (npm run bench:server): the seed's load mix, as a logged-in user over a seeded
// library, from this process against server-lite running in its own process, with the embedded
// stores and with Redis + Chroma, at each connection count. Login is measured on its own.
//
//   node scripts/bench-server.mjs [--quick] [--stores embedded,scaleout] [--connections 100,500]
//                                 [--duration 10] [--samples 2000] [--page 50] [--out FILE]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { build } from 'hdr-histogram-js';
import { REPO_DIR, seedLibrary, startChroma, startRedis, startServer, stopAll } from './bench-lib.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const quick = args.includes('--quick');
const stores = opt('stores', 'embedded,scaleout').split(',');
const connectionsList = opt('connections', quick ? '10' : '100,500')
  .split(',')
  .map(Number);
const duration = Number(opt('duration', quick ? '3' : '10'));
const sampleCount = Number(opt('samples', quick ? '300' : '2000'));
const page = Number(opt('page', '50'));
const outFile = opt('out', null);
// --vary: every list/search asks a different question, so each one misses the cache and queries the store.
const vary = args.includes('--vary');

/** The seed's mix: list files 5, health 3, me 2, file by id 2, search 1 (interleaved, 13 per cycle). */
function mixRequests(token, ids) {
  const auth = { authorization: `Bearer ${token}` };
  const list = {
    tag: 'list files',
    method: 'GET',
    path: `/api/v1/audio/files?limit=${page}&sort=-createdAt`,
    headers: auth,
  };
  const health = { tag: 'health', method: 'GET', path: '/health' };
  const me = { tag: 'me', method: 'GET', path: '/api/v1/auth/me', headers: auth };
  const file = (i) => ({
    tag: 'file by id',
    method: 'GET',
    path: `/api/v1/audio/files/${ids[i]}`,
    headers: auth,
  });
  const search = {
    tag: 'search',
    method: 'GET',
    path: `/api/v1/audio/files?q=dusty&limit=${page}`,
    headers: auth,
  };
  if (vary) {
    let n = 0;
    // bpmMin 0..0.99 keeps the answer the same size while making the cache key unique.
    list.setupRequest = (req) => ({
      ...req,
      path: `${list.path}&bpmMin=0.${String(++n % 1e6).padStart(6, '0')}`,
    });
    search.setupRequest = (req) => ({
      ...req,
      path: `${search.path}&bpmMin=0.${String(++n % 1e6).padStart(6, '0')}`,
    });
  }
  return [list, health, me, list, file(0), list, health, search, list, me, file(1), list, health];
}

/** CPU seconds used so far by a process (Linux /proc; null elsewhere). */
function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return null;
  }
}

const pct = (h) => ({
  p50: +h.getValueAtPercentile(50).toFixed(2),
  p95: +h.getValueAtPercentile(95).toFixed(2),
  p99: +h.getValueAtPercentile(99).toFixed(2),
});

/** Runs autocannon, keeping a latency histogram per tagged request (pipelining 1, so the answered request is the client's current one). */
async function load({ url, connections, seconds, requests, pid }) {
  const perTag = new Map();
  const cpu0 = pid ? cpuSeconds(pid) : null;
  const client0 = process.cpuUsage();
  const inst = autocannon({ url, connections, duration: seconds, pipelining: 1, requests, timeout: 10 });
  inst.on('response', (client, statusCode, _bytes, responseTime) => {
    const tag = client.requestIterator.currentRequest?.tag ?? 'other';
    let e = perTag.get(tag);
    if (!e) {
      e = {
        h: build({
          lowestDiscernibleValue: 1,
          highestTrackableValue: 60_000_000,
          numberOfSignificantValueDigits: 3,
        }),
        count: 0,
        errors: 0,
      };
      perTag.set(tag, e);
    }
    e.count++;
    if (statusCode >= 400) e.errors++;
    // Microseconds in the histogram, milliseconds in the report.
    e.h.recordValue(Math.max(1, Math.round(responseTime * 1000)));
  });
  const r = await inst;
  const endpoints = {};
  for (const [tag, e] of perTag) {
    const p = pct(e.h);
    endpoints[tag] = {
      requests: e.count,
      rps: +(e.count / r.duration).toFixed(0),
      errors: e.errors,
      p50ms: +(p.p50 / 1000).toFixed(2),
      p95ms: +(p.p95 / 1000).toFixed(2),
      p99ms: +(p.p99 / 1000).toFixed(2),
    };
  }
  const total = r.requests.total;
  const failures = r.errors + r.timeouts + r.non2xx;
  const cpu1 = pid ? cpuSeconds(pid) : null;
  const client = process.cpuUsage(client0);
  // Server CPU per request: comparable between runs even when other load shares the machine.
  const serverCpuUsPerReq =
    cpu0 !== null && cpu1 !== null && total ? +(((cpu1 - cpu0) * 1e6) / total).toFixed(1) : null;
  return {
    connections,
    durationSec: r.duration,
    requests: total,
    rps: +(total / r.duration).toFixed(0),
    errors: failures,
    errorRate: total ? +(failures / total).toFixed(5) : 0,
    latencyMs: { p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max },
    throughputMBps: +(r.throughput.average / 1e6).toFixed(1),
    serverCpuUsPerReq,
    serverCpuCores:
      serverCpuUsPerReq === null ? null : +((serverCpuUsPerReq * total) / 1e6 / r.duration).toFixed(2),
    // The load generator shares the machine: when it is near 1 core, it is the bottleneck.
    clientCpuCores: +((client.user + client.system) / 1e6 / r.duration).toFixed(2),
    endpoints,
  };
}

async function runStores(kind) {
  const env = {};
  if (kind === 'scaleout') {
    const [redis, chroma] = await Promise.all([startRedis(), startChroma()]);
    Object.assign(env, { REDIS_URL: redis, CHROMA_URL: chroma });
  }
  const server = await startServer(env);
  const spec = await (await fetch(`${server.url}/docs/json`)).json();
  const dims =
    spec.paths['/api/v1/audio/similar'].post.requestBody.content['application/json'].schema.properties.vector
      .minItems;
  const t0 = performance.now();
  const lib = await seedLibrary(server.url, sampleCount, dims);
  const seedSec = (performance.now() - t0) / 1000;
  const requests = mixRequests(lib.token, lib.ids);
  // Warm up (JIT, caches) before measuring.
  await load({ url: server.url, connections: 10, seconds: quick ? 1 : 2, requests });
  const runs = [];
  for (const connections of connectionsList) {
    const r = await load({ url: server.url, connections, seconds: duration, requests, pid: server.proc.pid });
    runs.push(r);
    printRun(kind, r);
  }
  const loginRun = await load({
    url: server.url,
    connections: 8,
    seconds: quick ? 2 : 5,
    requests: [
      {
        tag: 'login',
        method: 'POST',
        path: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: lib.username, password: lib.password }),
      },
    ],
  });
  printLogin(kind, loginRun);
  await stopAll();
  return {
    stores: kind,
    seededSamples: sampleCount,
    seedSec: +seedSec.toFixed(1),
    mix: runs,
    login: loginRun,
  };
}

function printRun(kind, r) {
  console.log(
    `\n${kind} · ${r.connections} connections · ${r.durationSec}s: ${r.rps} req/s, errors ${r.errors} (${(r.errorRate * 100).toFixed(2)} %), ${r.throughputMBps} MB/s, server CPU ${r.serverCpuUsPerReq} µs/req (${r.serverCpuCores} cores busy), load generator ${r.clientCpuCores} cores`,
  );
  console.log('  endpoint       req/s    p50 ms   p95 ms   p99 ms  errors');
  for (const [tag, e] of Object.entries(r.endpoints)) {
    console.log(
      `  ${tag.padEnd(12)} ${String(e.rps).padStart(7)} ${String(e.p50ms).padStart(9)} ${String(e.p95ms).padStart(8)} ${String(e.p99ms).padStart(8)} ${String(e.errors).padStart(7)}`,
    );
  }
}

function printLogin(kind, r) {
  const e = r.endpoints.login ?? { p50ms: 0, p95ms: 0, p99ms: 0 };
  console.log(
    `\n${kind} · login (scrypt, 8 connections): ${r.rps} req/s, p50 ${e.p50ms} ms, p95 ${e.p95ms} ms, p99 ${e.p99ms} ms, errors ${r.errors}`,
  );
}

const TARGET = { rps: 12_000, listP95Ms: 10 };

let startLoad = [];

async function main() {
  startLoad = loadavg().map((x) => +x.toFixed(2));
  console.log(
    `server-lite benchmark: stores ${stores.join(', ')}; connections ${connectionsList.join(', ')}; ${duration}s each; ${sampleCount} samples; page ${page}${vary ? '; every list/search a cache miss' : ''}; ${cpus().length} cores; node ${process.version}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const results = [];
  for (const kind of stores) results.push(await runStores(kind));
  const verdicts = results.flatMap((r) =>
    r.mix.map((m) => ({
      stores: r.stores,
      connections: m.connections,
      rps: m.rps,
      listP95Ms: m.endpoints['list files']?.p95ms ?? null,
      errors: m.errors,
      meetsTarget:
        m.rps >= TARGET.rps &&
        (m.endpoints['list files']?.p95ms ?? Infinity) <= TARGET.listP95Ms &&
        m.errors === 0,
    })),
  );
  const report = {
    benchmark: 'server-lite',
    date: new Date().toISOString(),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadavg: startLoad },
    settings: { durationSec: duration, samples: sampleCount, pageSize: page, quick, cacheMisses: vary },
    target: TARGET,
    results,
    summary: verdicts,
  };
  const dir = join(REPO_DIR, '.bench');
  mkdirSync(dir, { recursive: true });
  const file = outFile ?? join(dir, `server-${report.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log('\nsummary (target: >= 12000 req/s on the mix, list p95 <= 10 ms, 0 errors)');
  for (const v of verdicts) {
    console.log(
      `  ${v.stores.padEnd(9)} ${String(v.connections).padStart(4)} conn: ${String(v.rps).padStart(6)} req/s, list p95 ${v.listP95Ms} ms, errors ${v.errors} → ${v.meetsTarget ? 'meets target' : 'below target'}`,
    );
  }
  console.log(`\nJSON: ${file}`);
  console.log(JSON.stringify(report.summary));
}

main().catch(async (e) => {
  console.error(e);
  await stopAll();
  process.exit(1);
});
