#!/usr/bin/env -S npx tsx
// Sync benchmark (issue 6 §5): the BUILT app in headless Chromium against a real server-lite (own
// process; embedded stores, or Redis with --redis) seeded with a synthetic library.
//   1. initial sync: a fresh profile signs in → time until every sample is in IndexedDB and the
//      library shows them all, bytes on the wire (counted at a TCP pass-through in front of the
//      server, both directions, headers and compression as sent), server CPU seconds (/proc).
//   2. steady state: two signed-in devices A and B; N edits (a new tag each) on A through the UI,
//      each timed from pressing Enter on A to the tag showing on B's screen: p50/p95.
// Prints JSON (stdout, or --json FILE) and a summary with the targets (stderr).
//
// Usage: npm run bench:sync -- [--count 100000] [--edits 50] [--redis] [--skip-steady] [--json out.json]
//        [--cpu-profile FILE] (V8 CPU profile of device A's main thread during its first sync)
// Develop with --count 5000; 100k takes a few minutes (seeding, then two devices' first syncs).
import { writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { cpus, loadavg } from 'node:os';
import type { BrowserContext, Page } from 'playwright-core';
import { AiPage } from '../e2e/pages/ai-page';
import { newUser } from '../e2e/pages/sync-api';
import { type SeedResult, type SyncServer, seedLibrary, startSyncServer } from '../e2e/pages/sync-server';
import { launchApp } from './app-browser';
import { ensureBuilt, freePort, startPreview } from './app-server.mjs';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const flag = (name: string) => args.includes(`--${name}`);
const COUNT = Number(opt('count', '100000'));
const EDITS = Number(opt('edits', '50'));
const USE_REDIS = flag('redis');
const log = (...a: unknown[]) => console.error(...a);

const TARGETS = { initialSyncSeconds: 20, wireMB: 30, editP95Ms: 1000 };

const pct = (xs: number[], p: number) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const round = (x: number | null, d = 1) => (x === null ? null : Number(x.toFixed(d)));

/** A TCP pass-through that counts every byte each way (what crosses the wire to the server). */
async function startByteCounter(upstreamPort: number) {
  const port = (await freePort()) as number;
  const bytes = { toServer: 0, fromServer: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const up = connect(upstreamPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(up);
    client.on('data', (d) => {
      bytes.toServer += d.length;
    });
    up.on('data', (d) => {
      bytes.fromServer += d.length;
    });
    client.pipe(up);
    up.pipe(client);
    const end = () => {
      client.destroy();
      up.destroy();
      sockets.delete(client);
      sockets.delete(up);
    };
    client.on('error', end);
    up.on('error', end);
    client.on('close', end);
    up.on('close', end);
  });
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${port}`,
    bytes,
    reset() {
      bytes.toServer = 0;
      bytes.fromServer = 0;
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

/**
 * Watches a page's requests to the sync pull endpoint (Chrome DevTools Protocol): how many, how long
 * they took from sending to the last byte (network + server), and their encoded sizes. Pages are
 * fetched while the previous one is stored, so this time overlaps the device's own work.
 */
async function watchPulls(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const open = new Map<string, number>();
  const done: { ms: number; bytes: number }[] = [];
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.request.url.includes('/api/v1/sync/pull')) open.set(e.requestId, e.timestamp);
  });
  cdp.on('Network.loadingFinished', (e) => {
    const t0 = open.get(e.requestId);
    if (t0 === undefined) return;
    open.delete(e.requestId);
    done.push({ ms: (e.timestamp - t0) * 1000, bytes: e.encodedDataLength });
  });
  return {
    summary() {
      const ms = done.reduce((a, x) => a + x.ms, 0);
      return {
        pulls: done.length,
        pullRequestMs: Math.round(ms),
        slowestPullMs: Math.round(Math.max(0, ...done.map((x) => x.ms))),
        encodedBytes: done.reduce((a, x) => a + x.bytes, 0),
      };
    },
    detach: () => cdp.detach().catch(() => {}),
  };
}

type Device = { context: BrowserContext; page: Page; account: AiPage; close(): Promise<void> };

async function openDevice(appUrl: string): Promise<Device> {
  const { context, close } = await launchApp();
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(appUrl);
  await page.waitForSelector('html[data-ready="1"]', { timeout: 60_000 });
  return { context, page, account: new AiPage(page), close };
}

/** Library counts as the device has them: rows in IndexedDB, rows in the index, the shown count. */
function libraryState(page: Page) {
  return page.evaluate(async () => {
    type Sm = {
      store: { db: { files: { count(): Promise<number> } }; index: { size: number } };
    };
    const sm = (globalThis as unknown as { __samplemind: Sm }).__samplemind;
    const el = document.querySelector('[data-testid="sync-status"]') as HTMLElement | null;
    return {
      idb: await sm.store.db.files.count(),
      index: sm.store.index.size,
      shown: Number(document.querySelector('[data-testid="view-count"]')?.textContent ?? '0'),
      state: el?.dataset.state ?? null,
      pending: Number(document.querySelector('[data-testid="sync-pending"]')?.textContent ?? '0'),
    };
  });
}

/**
 * Signs a fresh device in and waits for the first sync: every sample in IndexedDB, in the index,
 * in the table's count, and the status idle. Times are from the sign-in click.
 */
async function initialSync(
  d: Device,
  serverUrl: string,
  user: { username: string; password: string },
  count: number,
) {
  await d.account.openSettings();
  await d.account.connect(serverUrl);
  const t0 = Date.now();
  await d.account.submitSignIn(user.username, user.password);
  await d.page.locator('[data-testid="settings-signed-in"]').waitFor({ timeout: 60_000 });
  await d.account.closeSettings();
  // Main-thread tasks over 50 ms from here on: what the producer feels as the app freezing.
  await d.page.evaluate(() => {
    const g = globalThis as { __syncLongTasks?: number[] };
    g.__syncLongTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) g.__syncLongTasks!.push(e.duration);
    }).observe({ type: 'longtask' });
  });
  const at: Record<string, number | null> = { signedIn: Date.now() - t0, idb: null, shown: null, idle: null };
  let last = 0;
  for (;;) {
    const s = await libraryState(d.page);
    const now = Date.now() - t0;
    if (at.idb === null && s.idb >= count) at.idb = now;
    if (at.shown === null && s.index >= count && s.shown >= count) at.shown = now;
    if (at.idb !== null && at.shown !== null && s.state === 'idle' && s.pending === 0) {
      at.idle = now;
      break;
    }
    if (now - last > 5000) {
      last = now;
      log(`  ${(now / 1000).toFixed(0)} s: ${s.idb} in IndexedDB, ${s.shown} shown, ${s.state}`);
    }
    if (now > 15 * 60_000) throw new Error(`initial sync not done after 15 min: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const tasks = await d.page.evaluate(
    () => (globalThis as { __syncLongTasks?: number[] }).__syncLongTasks ?? [],
  );
  return { at, longTasks: longTaskStats(tasks) };
}

/** Long tasks (> 50 ms) of the main thread: how many, the longest, p95, their total. */
function longTaskStats(durations: number[]) {
  return {
    count: durations.length,
    maxMs: round(durations.length ? Math.max(...durations) : 0, 0),
    p95Ms: round(pct(durations, 95), 0),
    over200Ms: durations.filter((d) => d > 200).length,
    totalMs: round(
      durations.reduce((a, b) => a + b, 0),
      0,
    ),
  };
}

/** Filters a device's table to one sample by its exact name; resolves once that row shows. */
async function showOnly(d: Device, name: string) {
  await d.page.locator('[data-testid="search"]').fill(name);
  await d.page.waitForFunction(
    (n) => {
      const rows = [...document.querySelectorAll('[role="row"][data-file-id] .name')];
      return rows.some((r) => r.textContent === n);
    },
    name,
    { timeout: 10_000 },
  );
}

/** The header's sync status on a device (state, pending, last synced). */
const statusOf = (page: Page) =>
  page.evaluate(() => ({
    state:
      (document.querySelector('[data-testid="sync-status"]') as HTMLElement | null)?.dataset.state ?? null,
    pending: Number(document.querySelector('[data-testid="sync-pending"]')?.textContent ?? '0'),
    lastSyncedAt: Number(
      (document.querySelector('[data-testid="sync-last-synced"]') as HTMLElement | null)?.dataset.at ?? 0,
    ),
  }));

const LATE_MS = 65_000;

/** True (as the time it saw it) once B's detail panel lists the tag. */
function tagShown({ tag }: { tag: string }): number | null {
  const chips = [...document.querySelectorAll('[data-testid="detail"] [data-testid="detail-tags"] .chip')];
  return chips.some((c) => c.textContent === `#${tag}`) ? Date.now() : null;
}

/**
 * Each edit adds a new tag (bench-<run>-<i>) to one sample on A, through the selection bar; B has
 * the same sample open in its detail panel and watches every frame for the tag. A tag nobody else
 * wrote cannot lose a conflict, so every edit must show up.
 */
async function steadyState(a: Device, b: Device, names: string[]) {
  const latencies: number[] = [];
  /** Edits that took over 15 s: how long they did take (null: not within LATE_MS), and the statuses then. */
  const slow: { name: string; ms: number | null; a: unknown; b: unknown }[] = [];
  const run = Date.now().toString(36);
  for (let i = 0; i < EDITS; i++) {
    const name = names[(i * 7919) % names.length];
    const tag = `bench-${run}-${i}`;
    await Promise.all([showOnly(a, name), showOnly(b, name)]);
    await a.page.locator('[role="row"][data-file-id]', { hasText: name }).first().click();
    await b.page.locator('[role="row"][data-file-id]', { hasText: name }).first().click();
    await b.page.locator('[data-testid="detail"] .detail-name', { hasText: name }).waitFor();
    // B watches its screen every frame; the clock is the machine's, shared by A, B and this script.
    const seen = b.page.waitForFunction(tagShown, { tag }, { polling: 'raf', timeout: 15_000 });
    const input = a.page.locator('[data-testid="tag-input"]');
    await input.fill(tag);
    const t0 = Date.now();
    await input.press('Enter');
    try {
      const at = (await (await seen).jsonValue()) as number;
      latencies.push(at - t0);
    } catch {
      // Late or lost? Look at both devices, then wait long enough for a periodic pull.
      const record = {
        name,
        ms: null as number | null,
        a: await statusOf(a.page),
        b: await statusOf(b.page),
      };
      slow.push(record);
      log(
        `  ${tag} on ${name} not on B after 15 s: A ${JSON.stringify(record.a)}, B ${JSON.stringify(record.b)}`,
      );
      const late = await b.page
        .waitForFunction(tagShown, { tag }, { polling: 250, timeout: LATE_MS })
        .then((h) => h.jsonValue() as Promise<number>)
        .catch(() => null);
      record.ms = late === null ? null : late - t0;
      log(
        `  … ${late === null ? `still not there after ${LATE_MS / 1000} s more` : `arrived after ${record.ms} ms`}`,
      );
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { latencies, slow };
}

async function main() {
  ensureBuilt(log);
  const preview = await startPreview();
  const user = newUser('bench');
  let server: SyncServer | null = null;
  let counter: Awaited<ReturnType<typeof startByteCounter>> | null = null;
  const devices: Device[] = [];
  try {
    log(`seeding ${COUNT} samples (${USE_REDIS ? 'embedded documents + Redis' : 'embedded stores'})…`);
    const seeds: SeedResult[] = [];
    server = await startSyncServer({
      redis: USE_REDIS,
      prepare: async (env) => {
        seeds.push(await seedLibrary(env, user, COUNT, (l) => log(`  ${l}`)));
      },
    });
    const seeded = seeds[0];
    log(`seeded in ${(seeded.elapsedMs / 1000).toFixed(1)} s: ${JSON.stringify(seeded.counts)}`);
    counter = await startByteCounter(server.port);

    // 1. initial sync on a fresh device.
    const a = await openDevice(preview.url);
    devices.push(a);
    const pulls = await watchPulls(a.context, a.page);
    counter.reset();
    const load0 = loadavg()[0];
    const cpu0 = server.cpuSeconds();
    log(`initial sync of ${COUNT} samples on device A…`);
    // --cpu-profile FILE: a V8 CPU profile of the page's main thread during device A's first sync.
    const profileFile = opt('cpu-profile', '');
    const cdp = profileFile ? await a.context.newCDPSession(a.page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const { at: timesA, longTasks } = await initialSync(a, counter.url, user, COUNT);
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      await writeFile(profileFile, JSON.stringify(profile));
      log(`  CPU profile of the first sync: ${profileFile}`);
    }
    const cpu1 = server.cpuSeconds();
    const wire = { ...counter.bytes };
    const pullStats = pulls.summary();
    await pulls.detach();
    const initial = {
      samples: COUNT,
      signedInMs: timesA.signedIn,
      allInIndexedDbMs: timesA.idb,
      allShownMs: timesA.shown,
      idleMs: timesA.idle,
      seconds: round(Math.max(timesA.idb ?? 0, timesA.shown ?? 0) / 1000, 2),
      wireBytesFromServer: wire.fromServer,
      wireBytesToServer: wire.toServer,
      wireMB: round((wire.fromServer + wire.toServer) / 1048576, 2),
      serverCpuSeconds: round(cpu1 - cpu0, 2),
      mainThreadLongTasks: longTasks,
      ...pullStats,
      /**
       * Upper bound of the wall time spent waiting on the network alone: the client fetches the
       * next page while it stores the current one, so in-flight time overlaps the device's work
       * and cannot be subtracted from the total.
       */
      pullsInFlightShare: timesA.idle ? round(pullStats.pullRequestMs / timesA.idle, 2) : null,
    };
    log(
      `  done: ${initial.seconds} s, ${initial.wireMB} MB on the wire, server CPU ${initial.serverCpuSeconds} s`,
    );
    log(
      `  main thread: ${longTasks.count} long tasks (> 50 ms), longest ${longTasks.maxMs} ms, p95 ${longTasks.p95Ms} ms, ${longTasks.over200Ms} over 200 ms, ${longTasks.totalMs} ms in all`,
    );

    // 2. steady state between A and a second device B.
    let steady: Record<string, unknown> | null = null;
    if (!flag('skip-steady') && EDITS > 0) {
      const b = await openDevice(preview.url);
      devices.push(b);
      log('initial sync on device B…');
      const { at: timesB } = await initialSync(b, counter.url, user, COUNT);
      const names = await a.page.evaluate(() => {
        const index = (
          globalThis as unknown as { __samplemind: { store: { index: { name: string[]; size: number } } } }
        ).__samplemind.store.index;
        const seen = new Map<string, number>();
        for (let r = 0; r < index.size; r++) seen.set(index.name[r], (seen.get(index.name[r]) ?? 0) + 1);
        // Unique names only, so a search shows exactly one row.
        return [...seen].filter(([, n]) => n === 1).map(([name]) => name);
      });
      log(`${EDITS} edits on A, each timed until B shows it…`);
      const { latencies, slow } = await steadyState(a, b, names);
      // Every edit counts in the percentiles: slow ones with their time, lost ones as infinite.
      const all = [...latencies, ...slow.map((x) => x.ms ?? Number.POSITIVE_INFINITY)];
      const lost = slow.filter((x) => x.ms === null).length;
      steady = {
        edits: EDITS,
        within15s: latencies.length,
        /** Took over 15 s (ms: how long; null = not even after 65 s more), with both statuses then. */
        slow,
        lost,
        p50Ms: pct(all, 50),
        p95Ms: pct(all, 95),
        maxMs: lost ? null : Math.max(...all),
        deviceBInitialSeconds: round(Math.max(timesB.idb ?? 0, timesB.shown ?? 0) / 1000, 2),
      };
    }

    const result = {
      benchmark: 'sync',
      // Other work on the machine slows the device side: the 1-minute load average as the sync began.
      machine: { cpus: cpus().length, loadAverage1m: round(load0, 2) },
      stores: USE_REDIS ? 'sqlite+redis' : 'embedded',
      seed: { samples: seeded.counts.samples, mutations: seeded.counts.mutations, ms: seeded.elapsedMs },
      initial,
      steady,
      targets: TARGETS,
      pass: {
        initialTime: initial.seconds !== null && initial.seconds <= TARGETS.initialSyncSeconds,
        wire: initial.wireMB !== null && initial.wireMB <= TARGETS.wireMB,
        editP95: steady
          ? (steady.p95Ms as number | null) !== null &&
            (steady.p95Ms as number) <= TARGETS.editP95Ms &&
            steady.lost === 0
          : null,
      },
    };
    const json = JSON.stringify(result, null, 2);
    const out = opt('json', '');
    if (out) await writeFile(out, `${json}\n`);
    else console.log(json);

    const ok = (b: boolean | null) => (b === null ? 'skipped' : b ? 'OK' : 'MISS');
    log('');
    log(
      `sync benchmark — ${COUNT.toLocaleString()} samples, ${result.stores} stores (load average ${result.machine.loadAverage1m} on ${result.machine.cpus} CPUs)`,
    );
    log(
      `  initial sync:   ${initial.seconds} s to all in IndexedDB and shown (target <= ${TARGETS.initialSyncSeconds} s) ${ok(result.pass.initialTime)}`,
    );
    log(
      `  on the wire:    ${initial.wireMB} MB (${(wire.fromServer / 1048576).toFixed(2)} MB down, ${(wire.toServer / 1048576).toFixed(2)} MB up; target <= ${TARGETS.wireMB} MB) ${ok(result.pass.wire)}`,
    );
    log(`  server CPU:     ${initial.serverCpuSeconds} s`);
    log(
      `  time split:     ${initial.pulls} pulls took ${(initial.pullRequestMs / 1000).toFixed(1)} s in flight (slowest ${initial.slowestPullMs} ms); overlapping the device's storing and indexing (the next page is fetched while one is stored)`,
    );
    if (steady)
      log(
        `  edit A → B:     p50 ${steady.p50Ms} ms, p95 ${steady.p95Ms} ms, max ${steady.maxMs} ms over ${EDITS} edits, ${steady.lost} lost (target p95 <= ${TARGETS.editP95Ms} ms) ${ok(result.pass.editP95)}`,
      );
    if (COUNT !== 100_000) log(`  (targets are for 100,000 samples; this run had ${COUNT.toLocaleString()})`);
  } finally {
    for (const d of devices) await d.close();
    await counter?.close();
    await server?.stop();
    await preview.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
