/**
 * AI proxy benchmark (`npm run bench:ai`). Three processes on loopback:
 *   stub   - the four providers' wire protocols, answering in 1-4 s (uniform), timing itself;
 *   server - server-lite itself (src/main.ts, production mode, embedded stores, in-process LRU
 *            cache), every provider pointed at the stub; --server harness runs the AI plugin alone;
 *   this   - the client, replaying an open-loop mix over HTTP keep-alive with a browser's headers.
 *
 * 1. Cold calls: unique samples, round-robin over the providers. Proxy overhead per call = the
 *    client's latency minus the stub's own time for that call (matched by file name), so it holds
 *    the server's work, all four HTTP hops and the SDK, and none of the simulated model time.
 *    Measured twice: on a fresh server (--fresh calls after --warmup) and in steady state (--cold
 *    calls after --steady-warmup more). A fresh server is still optimising its request path
 *    (Fastify, the SDKs, zod), and that compiling costs the calls around it (with --no-opt the
 *    fresh/steady gap goes); a server in service is past it, so the target is checked on the
 *    steady phase and the fresh one is reported beside it. The steady phase is long enough for a
 *    tight p95 (its 90 % confidence interval, from order statistics, is printed with it): on this
 *    machine one call in twenty meets a 1-7 ms stall in one of the four hops, so a p95 from a few
 *    hundred calls moves by a few tenths of a millisecond from run to run.
 * 2. Mix: 90 % repeats of (sample, provider) pairs already answered, 10 % new. Cached-call
 *    latency and the hit rate from the server's Prometheus counters.
 *
 * Flags: --cold N (1000) --fresh N (300; 0 skips that phase) --cold-rate R/s (20) --mix N (800)
 *        --rate R/s (50) --warmup N (200 new calls, then the same 200 from cache) --warmup-rate R/s (100)
 *        --steady-warmup N (2000 more new calls at 200/s before the steady phase) --json-only
 *        --server app|harness (app) --profile-server DIR (V8 CPU profile of the server process)
 *        --server-flags "…" (Node/V8 flags for the server process, e.g. "--no-opt")
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { collectDefaultMetrics } from 'prom-client';
import { AI_PROVIDERS, type AiProviderId, type AiSampleInput } from '../src/ai/contract';
import { drumLoop, kick } from '../src/ai/testing/fixtures';
import { buildAiTestApp, stubEnv } from '../src/ai/testing/harness';
import { type StubRequest, startProviderStub } from '../src/ai/testing/provider-stub';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const role = opt('role', 'client');

// Deterministic pseudo-random numbers, so runs replay the same mix and latencies.
let seed = Number(opt('seed', '42'));
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const say = (msg: object) => process.stdout.write(`${JSON.stringify(msg)}\n`);
const exitOnStdinClose = () => process.stdin.on('end', () => process.exit(0)).resume();

if (role === 'stub') {
  const stub = await startProviderStub({ latencyMs: () => 1000 + rand() * 3000, maxRecorded: 100_000 });
  say({
    url: stub.url,
    baseURLs: Object.fromEntries(AI_PROVIDERS.map((p) => [p, stub.baseURL(p)])),
    keys: stub.keys,
  });
  exitOnStdinClose();
} else if (role === 'server') {
  // --server harness: the AI plugin alone behind a JWT check, to tell its cost from the app's.
  const t = await buildAiTestApp({
    env: aiEnv(JSON.parse(opt('stub', '{}')) as StubInfo),
    beforeReady: (app, registry) => {
      collectDefaultMetrics({ register: registry });
      app.get('/metrics', async (_req, reply) =>
        reply.type(registry.contentType).send(await registry.metrics()),
      );
    },
  });
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  say({ address, tokens: Array.from({ length: 8 }, (_, i) => t.auth(`bench-user-${i}`).authorization) });
  exitOnStdinClose();
} else {
  await client();
}

type StubInfo = {
  url: string;
  baseURLs: Record<AiProviderId, string>;
  keys: Record<AiProviderId, string | undefined>;
};

/** Every provider pointed at the stub. */
function aiEnv(stubInfo: StubInfo): Record<string, string> {
  const fakeStub = { baseURL: (p: AiProviderId) => stubInfo.baseURLs[p], keys: stubInfo.keys };
  return {
    ...stubEnv(fakeStub as Parameters<typeof stubEnv>[0], [...AI_PROVIDERS]),
    AI_CONCURRENCY: '256',
    // Limits stay on (counted and checked on every call, as in production) but out of reach.
    AI_RATE_LIMIT_PER_MIN: '1000000',
    AI_DAILY_TOKEN_BUDGET: '1000000000',
    AI_TIMEOUT_MS: '20000',
  };
}

/** Node/V8 flags for the server process: --profile-server DIR, --server-flags "…". */
function serverNodeArgs(): string[] {
  const profileDir = opt('profile-server', '');
  return [
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ...opt('server-flags', '').split(' ').filter(Boolean),
  ];
}

type Server = { address: string; tokens: string[]; stop(): Promise<void> };

/**
 * server-lite itself (src/main.ts in production mode, embedded stores, metrics on), every provider
 * pointed at the stub, with users who registered and logged in through its API: the whole plugin
 * tree (request ids, security headers, CORS, per-IP counting, session check, compression, metrics)
 * is on the path being measured.
 */
async function startApp(stubInfo: StubInfo): Promise<Server> {
  const lib = await import('./bench-lib.mjs');
  const { url } = await lib.startServer(aiEnv(stubInfo), serverNodeArgs());
  const tokens = await Promise.all(
    Array.from({ length: 8 }, async () => `Bearer ${(await lib.signIn(url)).token}`),
  );
  return { address: url, tokens, stop: () => lib.stopAll() };
}

/** The AI plugin alone (testing/harness.ts) in a process of its own. */
async function startHarness(stubInfo: StubInfo): Promise<Server> {
  // With the Node flags `npm start` uses, so the two servers differ only in their plugins.
  const lib = await import('./bench-lib.mjs');
  const { proc, info } = await startRole(
    'server',
    ['--stub', JSON.stringify(stubInfo)],
    [...lib.productionNodeFlags(), ...serverNodeArgs()],
  );
  const exited = new Promise<void>((ok) => proc.once('exit', () => ok()));
  return {
    address: info.address as string,
    tokens: info.tokens as string[],
    stop: async () => {
      proc.stdin!.end();
      await exited;
    },
  };
}

function startRole(
  name: string,
  extra: string[] = [],
  nodeArgs: string[] = [],
): Promise<{ proc: ChildProcess; info: Record<string, unknown> }> {
  const proc = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', fileURLToPath(import.meta.url), '--role', name, ...extra],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  return new Promise((ok, fail) => {
    proc.once('exit', (code) => fail(new Error(`${name} exited early (${code})`)));
    createInterface({ input: proc.stdout! }).once('line', (line) => ok({ proc, info: JSON.parse(line) }));
  });
}

async function client() {
  const COLD = Number(opt('cold', '1000'));
  const FRESH = Number(opt('fresh', '300'));
  const COLD_RATE = Number(opt('cold-rate', '20'));
  const MIX = Number(opt('mix', '800'));
  const RATE = Number(opt('rate', '50'));
  const WARMUP = Number(opt('warmup', '200'));
  const WARMUP_RATE = Number(opt('warmup-rate', '100'));
  const STEADY_WARMUP = Number(opt('steady-warmup', '2000'));
  const JSON_ONLY = args.includes('--json-only');
  const SERVER = opt('server', 'app');
  if (SERVER !== 'app' && SERVER !== 'harness') throw new Error('--server is app or harness');
  const started = performance.now();

  const stub = await startRole('stub');
  const stubInfo = stub.info as StubInfo;
  const server = SERVER === 'harness' ? await startHarness(stubInfo) : await startApp(stubInfo);
  const { address, tokens } = server;
  const stop = async () => {
    agent.destroy();
    stub.proc.stdin!.end();
    await server.stop();
  };

  type Job = { sample: AiSampleInput; provider: AiProviderId };
  type Done = {
    job: Job;
    ms: number;
    cached: boolean;
    serverMs: number;
    status: number;
    lagMs: number;
    /** Content-Encoding of the answer ('identity' when none). */
    encoding: string;
  };
  let sampleNo = 0;
  const newSample = (): AiSampleInput => (++sampleNo % 3 === 0 ? drumLoop(sampleNo) : kick(sampleNo));

  // node:http with a keep-alive pool: far less client CPU per call than fetch, so the load
  // generator does not become the bottleneck on a shared machine.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(address);
  // Headers a browser sends with the app's fetch; the answer is decoded after the clock stops.
  const post = (path: string, body: string, authorization: string) =>
    new Promise<{ status: number; raw: Buffer; encoding: string | undefined }>((ok, fail) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            accept: 'application/json',
            'accept-encoding': 'gzip, deflate, br',
            authorization,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            ok({
              status: res.statusCode ?? 0,
              raw: Buffer.concat(chunks),
              encoding: res.headers['content-encoding'],
            }),
          );
          res.on('error', fail);
        },
      );
      req.on('error', fail);
      req.end(body);
    });

  const send = async (job: Job, i: number, lagMs: number): Promise<Done> => {
    // The clock starts once the client's own body is ready: serialising it is not the proxy's work.
    const payload = JSON.stringify({ sample: job.sample, provider: job.provider });
    const t0 = performance.now();
    try {
      const res = await post('/api/v1/ai/analyze', payload, tokens[i % tokens.length]!);
      const ms = performance.now() - t0;
      const text =
        res.encoding === 'br'
          ? brotliDecompressSync(res.raw)
          : res.encoding === 'gzip'
            ? gunzipSync(res.raw)
            : res.raw;
      const body = JSON.parse(text.toString('utf8')) as { cached?: boolean; latencyMs?: number };
      return {
        job,
        ms,
        cached: body.cached === true,
        serverMs: body.latencyMs ?? Number.NaN,
        status: res.status,
        lagMs,
        encoding: res.encoding ?? 'identity',
      };
    } catch {
      return {
        job,
        ms: performance.now() - t0,
        cached: false,
        serverMs: Number.NaN,
        status: 0,
        lagMs,
        encoding: 'identity',
      };
    }
  };

  /** Open loop: request i starts at i/rate seconds, whatever the earlier ones are doing. */
  const replay = async (jobs: Job[], rate: number): Promise<Done[]> => {
    const t0 = performance.now();
    return Promise.all(
      jobs.map(async (job, i) => {
        const due = t0 + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        // How late the client itself was: a busy machine delays the load generator too.
        return send(job, i, performance.now() - due);
      }),
    );
  };

  const countBy = (xs: string[]) => {
    const out: Record<string, number> = {};
    for (const x of xs) out[x] = (out[x] ?? 0) + 1;
    return out;
  };
  const pct = (xs: number[], q: number) => {
    if (xs.length === 0) return Number.NaN;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  };
  /**
   * A distribution-free 90 % confidence interval for the q-quantile: the order statistics around
   * rank n·q, ±1.645 binomial standard deviations.
   */
  const pctCi90 = (xs: number[], q: number): [number, number] => {
    const s = [...xs].sort((a, b) => a - b);
    const n = s.length;
    const sd = Math.sqrt(n * q * (1 - q));
    const at = (rank: number) => s[Math.min(n - 1, Math.max(0, rank - 1))] ?? Number.NaN;
    return [at(Math.floor(n * q - 1.645 * sd)), at(Math.ceil(n * q + 1.645 * sd))];
  };
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const stats = (xs: number[]) => ({
    n: xs.length,
    p50: r2(pct(xs, 0.5)),
    p95: r2(pct(xs, 0.95)),
    max: r2(pct(xs, 1)),
  });
  // One /metrics reading. CPU time is what the machine's other load cannot distort: the benchmark
  // reports it per call, with the server's garbage collection (prom-client's default metrics)
  // beside it, and the cache counters for the hit rate.
  type Gauges = {
    cpuMs: number;
    /** Resident memory and V8 heap in use, MB. */
    rssMb: number;
    heapMb: number;
    gc: Record<string, { count: number; ms: number }>;
    hits: number;
    misses: number;
  };
  const gauges = async (): Promise<Gauges> => {
    const text = await (await fetch(`${address}/metrics`)).text();
    const total = (name: string) =>
      [...text.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\d+)`, 'gm'))].reduce(
        (a, m) => a + Number(m[1]),
        0,
      );
    const gc: Gauges['gc'] = {};
    for (const m of text.matchAll(/^nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\} (\S+)$/gm)) {
      const g = gc[m[2]!] ?? { count: 0, ms: 0 };
      gc[m[2]!] = g;
      if (m[1] === 'sum') g.ms = 1000 * Number(m[3]);
      else g.count = Number(m[3]);
    }
    return {
      cpuMs: 1000 * Number(/^process_cpu_seconds_total (\S+)$/m.exec(text)?.[1] ?? Number.NaN),
      rssMb: Number(/^process_resident_memory_bytes (\S+)$/m.exec(text)?.[1] ?? Number.NaN) / 1e6,
      heapMb: Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? Number.NaN) / 1e6,
      gc,
      hits: total('samplemind_ai_cache_hits_total'),
      misses: total('samplemind_ai_cache_misses_total'),
    };
  };
  /** GC pauses between two readings, per kind: how many, and milliseconds per call. */
  const gcPerCall = (a: Gauges, b: Gauges, calls: number) =>
    Object.fromEntries(
      Object.entries(b.gc).map(([kind, g]) => [
        kind,
        {
          pauses: g.count - (a.gc[kind]?.count ?? 0),
          msPerCall: r2((g.ms - (a.gc[kind]?.ms ?? 0)) / Math.max(1, calls)),
        },
      ]),
    );

  // Warm-up, kept out of the figures: a running server has long since compiled its hot paths, and
  // a few calls leave V8 interpreting most of them (the SDKs, undici, zod), which doubled the CPU
  // per call the cold phase measured. Every provider's path is exercised, then repeated from cache.
  const warm = Array.from({ length: WARMUP }, (_, i) => ({
    sample: newSample(),
    provider: AI_PROVIDERS[i % AI_PROVIDERS.length]!,
  }));
  await replay(warm, WARMUP_RATE);
  await replay(warm, WARMUP_RATE);

  const newJobs = (n: number): Job[] =>
    Array.from({ length: n }, (_, i) => ({
      sample: newSample(),
      provider: AI_PROVIDERS[i % AI_PROVIDERS.length]!,
    }));

  /** Cold calls at COLD_RATE: overhead per call against the stub's own time, server CPU per call. */
  const coldPhase = async (calls: number) => {
    const g0 = await gauges();
    const done = await replay(newJobs(calls), COLD_RATE);
    const g1 = await gauges();
    const cpu = g1.cpuMs - g0.cpuMs;
    const recorded = (await (
      await fetch(`${stub.info.url as string}/_stub/requests`)
    ).json()) as StubRequest[];
    const byFile = new Map<string, StubRequest>();
    for (const r of recorded) {
      const file = /^\[s1\] file: (".*")$/m.exec(r.userTexts[0] ?? '')?.[1];
      if (file) byFile.set(JSON.parse(file) as string, r);
    }
    const stubMs: number[] = [];
    const overhead: number[] = [];
    const serverOverhead: number[] = [];
    const overheadByProvider = new Map<AiProviderId, number[]>();
    for (const d of done) {
      const r = byFile.get(d.job.sample.fileName);
      if (d.status !== 200 || !r || r.finishedAt === undefined) continue;
      const own = r.finishedAt - r.receivedAt;
      stubMs.push(own);
      overhead.push(d.ms - own);
      const list = overheadByProvider.get(d.job.provider) ?? [];
      list.push(d.ms - own);
      overheadByProvider.set(d.job.provider, list);
      serverOverhead.push(d.serverMs - own);
    }
    return {
      done,
      overhead,
      report: {
        clientMs: stats(done.map((d) => d.ms)),
        stubOwnMs: stats(stubMs),
        proxyOverheadMs: stats(overhead),
        serverSideOverheadMs: stats(serverOverhead),
        proxyOverheadByProviderMs: Object.fromEntries(
          [...overheadByProvider].map(([provider, xs]) => [provider, stats(xs)]),
        ),
        serverCpuMsPerCall: r2(cpu / Math.max(1, done.length)),
        serverMemoryMb: { rss: Math.round(g1.rssMb), heapUsed: Math.round(g1.heapMb) },
        serverGc: gcPerCall(g0, g1, done.length),
      },
    };
  };

  // 1. Cold calls on a fresh server, then in steady state.
  const fresh = FRESH > 0 ? await coldPhase(FRESH) : undefined;
  if (STEADY_WARMUP > 0) await replay(newJobs(STEADY_WARMUP), 200);
  const steady = await coldPhase(COLD);
  const cold = fresh ? [...fresh.done, ...steady.done] : steady.done;
  const overhead = steady.overhead;

  // 2. Mix with 90 % repeats of answered (sample, provider) pairs.
  const answered = cold.filter((d) => d.status === 200).map((d) => d.job);
  const mixJobs: Job[] = Array.from({ length: MIX }, (_, i) =>
    rand() < 0.9 && answered.length > 0
      ? answered[Math.floor(rand() * answered.length)]!
      : { sample: newSample(), provider: AI_PROVIDERS[i % AI_PROVIDERS.length]! },
  );
  const before = await gauges();
  const mix = await replay(mixJobs, RATE);
  const after = await gauges();
  const mixCpuMs = after.cpuMs - before.cpuMs;
  await stop();

  const hits = after.hits - before.hits;
  const misses = after.misses - before.misses;
  const hitRate = hits / Math.max(1, hits + misses);
  const cachedMs = mix.filter((d) => d.cached).map((d) => d.ms);
  const errors = [...cold, ...mix].filter((d) => d.status !== 200).length;
  const report = {
    setup: {
      providers: [...AI_PROVIDERS],
      stubLatencyMs: '1000-4000 uniform',
      warmup: { requests: WARMUP, perSec: WARMUP_RATE, thenFromCache: true },
      cold: { requests: COLD, perSec: COLD_RATE },
      freshServerCold: { requests: FRESH, perSec: COLD_RATE },
      steadyAfter: {
        newCalls: WARMUP + FRESH + STEADY_WARMUP,
        cachedCalls: WARMUP,
        extraWarmupPerSec: 200,
      },
      mix: { requests: MIX, perSec: RATE, repeatShare: 0.9 },
      processes: 'client, server and stub in three processes, HTTP/1.1 keep-alive on loopback',
      server:
        SERVER === 'app'
          ? 'server-lite (src/main.ts, NODE_ENV=production, embedded stores, every plugin on)'
          : 'the AI plugin alone behind a JWT check (src/ai/testing/harness.ts)',
      cache: 'in-process LRU',
      answerEncodings: countBy([...cold, ...mix].map((d) => d.encoding)),
    },
    /** Steady state: the phase the target is checked on. */
    cold: steady.report,
    /** The same cold calls on a server that had answered only the warm-up. */
    ...(fresh ? { coldFreshServer: fresh.report } : {}),
    cachedCalls: {
      clientMs: stats(cachedMs),
      serverMs: stats(mix.filter((d) => d.cached).map((d) => d.serverMs)),
      clientStartLagMs: stats(mix.map((d) => d.lagMs)),
    },
    mix: { hits, misses, hitRate: r2(hitRate), serverCpuMsPerCall: r2(mixCpuMs / Math.max(1, mix.length)) },
    machineLoad1m: r2(loadavg()[0]!),
    errors,
    targets: {
      proxyOverheadP95Ms: {
        target: 5,
        value: r2(pct(overhead, 0.95)),
        ci90: pctCi90(overhead, 0.95).map(r2),
        ok: pct(overhead, 0.95) <= 5,
      },
      cachedP95Ms: { target: 20, value: r2(pct(cachedMs, 0.95)), ok: pct(cachedMs, 0.95) <= 20 },
      hitRate: { target: 0.9, value: r2(hitRate), ok: hitRate >= 0.9 },
    },
    wallSec: r2((performance.now() - started) / 1000),
  };

  console.log(JSON.stringify(report, null, 2));
  if (!JSON_ONLY) {
    const ok = (b: boolean) => (b ? 'ok' : 'MISSED');
    const c = report.cold;
    console.log(`
AI proxy benchmark: ${report.wallSec} s, ${errors} errors
  cold calls      p50 ${c.clientMs.p50} ms, p95 ${c.clientMs.p95} ms   (stub's own time p50 ${c.stubOwnMs.p50} ms)
  proxy overhead  p50 ${c.proxyOverheadMs.p50} ms, p95 ${c.proxyOverheadMs.p95} ms (90 % CI ${report.targets.proxyOverheadP95Ms.ci90.join('-')})   target <= 5 ms: ${ok(report.targets.proxyOverheadP95Ms.ok)}   (steady state: ${c.proxyOverheadMs.n} calls after ${report.setup.steadyAfter.newCalls})${
    fresh
      ? `
  fresh server    p50 ${fresh.report.proxyOverheadMs.p50} ms, p95 ${fresh.report.proxyOverheadMs.p95} ms   (after the ${WARMUP}-call warm-up; ${fresh.report.serverCpuMsPerCall} ms CPU per call)`
      : ''
  }
  cached calls    p50 ${report.cachedCalls.clientMs.p50} ms, p95 ${report.cachedCalls.clientMs.p95} ms   target <= 20 ms: ${ok(report.targets.cachedP95Ms.ok)}
  server CPU      ${c.serverCpuMsPerCall} ms per cold call, ${report.mix.serverCpuMsPerCall} ms per call of the mix (machine load ${report.machineLoad1m}); memory after the steady phase ${c.serverMemoryMb.rss} MB resident, ${c.serverMemoryMb.heapUsed} MB heap in use
  hit rate        ${(hitRate * 100).toFixed(1)} % (${hits}/${hits + misses}) with 90 % repeats   target >= 90 %: ${ok(report.targets.hitRate.ok)}`);
  }
  process.exitCode = errors > 0 ? 1 : 0;
}
