#!/usr/bin/env node
// App benchmark (issue 3 §9): the BUILT app in headless Chromium (playwright-core).
//   1. import: N generated one-shots added through the file input -> time until all are analysed
//      and stored, files/s, main-thread long tasks, JS heap.
//   2. library: a seeded 100k-sample library -> cold open to interactive, filter/sort/search p95,
//      similarity p95, long tasks while scrolling.
//   3. bundle: main JS raw/gzip/brotli and every chunk.
// Prints JSON (stdout, or --json FILE) and a summary (stderr).
//
// Usage: node --import tsx web-app/scripts/bench-app.mjs [--n 10000] [--library 100000] [--workers N]
//        [--skip-import] [--skip-library] [--json out.json]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { launchApp } from './app-browser.ts';
import { ensureBuilt, startPreview } from './app-server.mjs';
import { encodeWav, oneShot } from './wav.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const flag = (name) => args.includes(`--${name}`);
const N = Number(opt('n', '10000'));
const LIBRARY = Number(opt('library', '100000'));
const WORKERS = opt('workers', null);
const log = (...a) => console.error(...a);
const webApp = dirname(dirname(fileURLToPath(import.meta.url)));

const TARGETS = {
  importSeconds10k: 60,
  coldOpenMs: 1500,
  queryP95Ms: 50,
  similarityP95Ms: 20,
  longTaskMaxMs: 50,
  mainJsBrotliKB: 150,
};

const pct = (xs, p) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const round = (x, d = 1) => (x === null || x === undefined ? null : Number(x.toFixed(d)));

/** Records long tasks from page start (before any app code runs). */
const LONGTASK_INIT = () => {
  globalThis.__longtasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      globalThis.__longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
};

async function heapMB(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  return round(used / 1048576);
}

async function longTasksSince(page, t0) {
  // Picking thousands of files makes the browser build the FileList in one long task of its own,
  // before the app's change handler runs; that task is reported apart.
  const received = await page.evaluate(
    () => performance.getEntriesByName('sm:files-received').at(-1)?.startTime ?? null,
  );
  const all = await page.evaluate((t) => globalThis.__longtasks.filter((x) => x.start >= t), t0);
  const browserOwn =
    received === null ? [] : all.filter((x) => x.start <= received && x.start + x.duration >= received);
  const tasks = all.filter((x) => !browserOwn.includes(x));
  return {
    count: tasks.length,
    maxMs: round(Math.max(0, ...tasks.map((x) => x.duration))),
    totalMs: round(tasks.reduce((s, x) => s + x.duration, 0)),
    over50: tasks.filter((x) => x.duration > 50).length,
    fileListTaskMs: browserOwn.length ? round(browserOwn[0].duration) : null,
  };
}

async function benchImport(url) {
  const dir = join(tmpdir(), `samplemind-bench-${process.pid}`);
  await mkdir(dir, { recursive: true });
  log(`import: writing ${N} one-shots to ${dir}…`);
  const paths = [];
  let bytes = 0;
  for (let i = 0; i < N; i++) {
    const wav = encodeWav([oneShot(i)]);
    bytes += wav.length;
    const p = join(dir, `shot-${String(i).padStart(5, '0')}.wav`);
    await writeFile(p, wav);
    paths.push(p);
  }
  const { context, close } = await launchApp();
  try {
    await context.addInitScript(LONGTASK_INIT);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${url}${WORKERS ? `?workers=${WORKERS}` : ''}`);
    await page.waitForSelector('html[data-ready="1"]');
    const workers = await page.evaluate(() => globalThis.__samplemind.importer.deps?.poolSize ?? null);
    log(`import: adding ${N} files (${(bytes / 1048576).toFixed(0)} MB) with ${workers ?? '?'} worker(s)…`);
    const t0 = await page.evaluate(() => performance.now());
    const wall0 = Date.now();
    await page.locator('[data-testid="file-input"]').setInputFiles(paths);
    let lastLog = 0;
    for (;;) {
      const p = await page.evaluate(() => globalThis.__samplemind.importer.progress());
      if (p.total >= N && !p.isActive && p.running === 0) break;
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        log(`  ${p.done + p.failed} / ${p.total} · ${p.filesPerSec.toFixed(0)} files/s`);
      }
      if (Date.now() - wall0 > 30 * 60_000) throw new Error('import did not finish in 30 min');
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (Date.now() - wall0) / 1000;
    const p = await page.evaluate(() => globalThis.__samplemind.importer.progress());
    const stored = await page.evaluate(async () => {
      const db = globalThis.__samplemind.store.db;
      return {
        files: await db.files.count(),
        queue: await db.queue.count(),
        samples: await db.samples.count(),
      };
    });
    return {
      files: N,
      megabytes: round(bytes / 1048576),
      workers,
      seconds: round(seconds, 2),
      filesPerSec: round(N / seconds),
      done: p.done,
      failed: p.failed,
      stored,
      longTasks: await longTasksSince(page, t0),
      jsHeapMB: await heapMB(page),
    };
  } finally {
    await close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchLibrary(url) {
  const { context, close } = await launchApp();
  try {
    await context.addInitScript(LONGTASK_INIT);
    const page = context.pages()[0] ?? (await context.newPage());
    log(`library: seeding ${LIBRARY} samples…`);
    const s0 = Date.now();
    await page.goto(`${url}seed.html?n=${LIBRARY}`);
    await page.waitForSelector('html[data-seeded]', { timeout: 20 * 60_000 });
    const seeded = await page.locator('#out').textContent();
    if (!seeded?.startsWith('seeded')) throw new Error(`seeding failed: ${seeded}`);
    log(`library: ${seeded} (${((Date.now() - s0) / 1000).toFixed(0)} s wall)`);

    // Cold open: a fresh navigation to the app, three times (the first also fills the HTTP/SW cache).
    const opens = [];
    for (let i = 0; i < 3; i++) {
      await page.goto('about:blank');
      await page.goto(url);
      await page.waitForSelector('html[data-ready="1"]', { timeout: 60_000 });
      opens.push(
        await page.evaluate(() => ({
          interactiveMs: performance.getEntriesByName('sm:interactive')[0]?.startTime ?? null,
          loadIndexMs: performance.getEntriesByName('sm:load-index')[0]?.duration ?? null,
          rows: globalThis.__samplemind.store.index.size,
        })),
      );
    }
    const openLong = await longTasksSince(page, 0);

    // Filter / sort / search: each change timed from setQuery to the next frame (React commit included).
    const queries = await page.evaluate(async () => {
      const { store } = globalThis.__samplemind;
      const base = { ...store.query };
      const cases = [];
      const types = ['kick', 'snare', 'hihat', 'bass', 'melodic', 'drum-loop', 'music-loop', 'fx'];
      for (const t of types) cases.push(['filter', { types: [t] }]);
      for (const [lo, hi] of [
        [80, 100],
        [118, 122],
        [170, 180],
        [60, 200],
      ]) {
        cases.push(['filter', { bpmMin: lo, bpmMax: hi, halfDouble: false }]);
        cases.push(['filter', { bpmMin: lo, bpmMax: hi, halfDouble: true }]);
      }
      for (const k of [[18], [0, 1], [9, 17]]) cases.push(['filter', { keys: k, compatible: true }]);
      cases.push(
        ['filter', { loop: 'loop' }],
        ['filter', { durMax: 0.5 }],
        ['filter', { status: 'favourites' }],
      );
      for (const q of ['kick', 'dusty', 'warm bass', 'drums/loops', 'tape 12', 'zzz', 'a'])
        cases.push(['search', { text: q }]);
      for (const f of ['name', 'type', 'bpm', 'key', 'duration', 'lufs', 'root', 'added']) {
        cases.push(['sort', { sort: f, desc: false }]);
        cases.push(['sort', { sort: f, desc: true }]);
      }
      const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));
      const table = document.querySelector('[data-testid="table-body"]');
      const out = [];
      for (let round = 0; round < 2; round++) {
        for (const [kind, patch] of cases) {
          store.setQuery({ ...base });
          await frame();
          await new Promise((r) => setTimeout(r, 20));
          const committed = new Promise((r) => {
            globalThis.__samplemindTableCommit = () => r(undefined);
          });
          const t0 = performance.now();
          store.setQuery({ ...base, ...patch });
          // Until the table committed the new rows and they are laid out.
          await committed;
          globalThis.__samplemindTableCommit = undefined;
          const computeMs = store.lastQueryMs;
          void table.scrollHeight;
          void table.querySelector('[role="row"]')?.getBoundingClientRect();
          const domMs = performance.now() - t0;
          await frame();
          out.push({
            kind,
            round,
            ms: domMs,
            frameMs: performance.now() - t0,
            computeMs,
            rows: store.view().rows.length,
          });
        }
      }
      store.setQuery({ ...base });
      return out;
    });
    const byKind = (k) => queries.filter((q) => q.kind === k).map((q) => q.ms);
    const all = queries.map((q) => q.ms);

    // Similarity: first call loads the vectors into the worker; then timed queries.
    const sim = await page.evaluate(async () => {
      const { store, similar } = globalThis.__samplemind;
      const ix = store.index;
      const t0 = performance.now();
      await similar(ix.hash[0]);
      const loadMs = performance.now() - t0;
      const times = [];
      const workerMs = [];
      for (let i = 0; i < 60; i++) {
        const h = ix.hash[Math.floor((i * 7919) % ix.size)];
        const a = performance.now();
        const res = await similar(h, 40);
        times.push(performance.now() - a);
        workerMs.push(res?.ms ?? -1);
      }
      return { loadMs, times, workerMs };
    });

    // Scrolling: the table scrolled by a screen per frame for ~3 s.
    const scroll = await page.evaluate(async () => {
      const el = document.querySelector('[data-testid="table-body"]');
      const t0 = performance.now();
      const frames = [];
      let last = t0;
      for (let i = 0; i < 180; i++) {
        el.scrollTop += el.clientHeight;
        await new Promise((r) => requestAnimationFrame(() => r(undefined)));
        const now = performance.now();
        frames.push(now - last);
        last = now;
      }
      return { t0, frames };
    });
    const scrollLong = await longTasksSince(page, scroll.t0);

    return {
      samples: LIBRARY,
      coldOpen: {
        firstMs: round(opens[0].interactiveMs),
        medianMs: round(
          pct(
            opens.map((o) => o.interactiveMs),
            50,
          ),
        ),
        loadIndexMs: opens.map((o) => round(o.loadIndexMs)),
        rows: opens[0].rows,
        longTasks: openLong,
      },
      query: {
        p95Ms: round(pct(all, 95)),
        maxMs: round(Math.max(...all)),
        filterP95Ms: round(pct(byKind('filter'), 95)),
        searchP95Ms: round(pct(byKind('search'), 95)),
        sortP95Ms: round(pct(byKind('sort'), 95)),
        computeP95Ms: round(
          pct(
            queries.map((q) => q.computeMs),
            95,
          ),
        ),
        toNextFrameP95Ms: round(
          pct(
            queries.map((q) => q.frameMs),
            95,
          ),
        ),
        count: queries.length,
      },
      similarity: {
        loadMs: round(sim.loadMs),
        p95Ms: round(pct(sim.times, 95)),
        medianMs: round(pct(sim.times, 50)),
        workerP95Ms: round(pct(sim.workerMs, 95)),
      },
      scroll: {
        frames: scroll.frames.length,
        frameP95Ms: round(pct(scroll.frames, 95)),
        longTasks: scrollLong,
      },
      jsHeapMB: await heapMB(page),
    };
  } finally {
    await close();
  }
}

function bundleSizes() {
  const dist = join(webApp, 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const mainFiles = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const size = (rel) => {
    const buf = readFileSync(join(dist, rel));
    return {
      file: rel,
      raw: buf.length,
      gzip: gzipSync(buf, { level: 9 }).length,
      brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  };
  const main = mainFiles.map(size);
  const sum = (k) => main.reduce((s, f) => s + f[k], 0);
  const chunks = readdirSync(join(dist, 'assets'))
    .filter((f) => /\.(js|css|wasm)$/.test(f))
    .map((f) => size(`assets/${f}`))
    .sort((a, b) => b.raw - a.raw);
  const kb = (n) => round(n / 1024);
  return {
    mainJs: { files: mainFiles, rawKB: kb(sum('raw')), gzipKB: kb(sum('gzip')), brotliKB: kb(sum('brotli')) },
    chunks: chunks.map((c) => ({
      file: c.file,
      rawKB: kb(c.raw),
      gzipKB: kb(c.gzip),
      brotliKB: kb(c.brotli),
    })),
    totalDistKB: kb(
      readdirSync(join(dist, 'assets'))
        .filter((f) => !/\.(gz|br)$/.test(f))
        .reduce((s, f) => s + statSync(join(dist, 'assets', f)).size, 0),
    ),
  };
}

async function main() {
  ensureBuilt(log);
  const server = await startPreview();
  const result = { machine: { cores: (await import('node:os')).cpus().length }, targets: TARGETS };
  try {
    if (!flag('skip-import')) result.import = await benchImport(server.url);
    if (!flag('skip-library')) result.library = await benchLibrary(server.url);
    result.bundle = bundleSizes();
  } finally {
    await server.close();
  }
  const json = JSON.stringify(result, null, 2);
  const out = opt('json', null);
  if (out) await writeFile(out, json);
  else console.log(json);
  summary(result);
}

function summary(r) {
  const ok = (cond) => (cond ? 'ok ' : 'MISS');
  const lines = ['', 'SampleMind app benchmark'];
  if (r.import) {
    const i = r.import;
    const scaled = (i.seconds * 10000) / i.files;
    lines.push(
      `  import ${i.files} one-shots: ${i.seconds} s (${i.filesPerSec} files/s, ${i.workers} worker(s)); ${i.failed} failed; heap ${i.jsHeapMB} MB`,
      `    ${ok(scaled <= TARGETS.importSeconds10k)} 10k in ${scaled.toFixed(0)} s (target <= ${TARGETS.importSeconds10k} s)`,
      `    ${ok(i.longTasks.maxMs <= TARGETS.longTaskMaxMs)} longest main-thread task ${i.longTasks.maxMs} ms (${i.longTasks.over50} over 50 ms, ${i.longTasks.count} long tasks)${i.longTasks.fileListTaskMs ? `; the browser's own FileList task: ${i.longTasks.fileListTaskMs} ms` : ''}`,
    );
  }
  if (r.library) {
    const l = r.library;
    lines.push(
      `  library of ${l.samples}:`,
      `    ${ok(l.coldOpen.medianMs <= TARGETS.coldOpenMs)} cold open to interactive ${l.coldOpen.medianMs} ms median (first ${l.coldOpen.firstMs} ms; index load ${l.coldOpen.loadIndexMs.join('/')} ms)`,
      `    ${ok(l.query.p95Ms <= TARGETS.queryP95Ms)} filter/sort/search p95 ${l.query.p95Ms} ms to new rows in the DOM (filter ${l.query.filterP95Ms}, search ${l.query.searchP95Ms}, sort ${l.query.sortP95Ms}; query compute p95 ${l.query.computeP95Ms}; to next frame p95 ${l.query.toNextFrameP95Ms})`,
      `    ${ok(l.similarity.p95Ms <= TARGETS.similarityP95Ms)} similarity p95 ${l.similarity.p95Ms} ms round trip (worker ${l.similarity.workerP95Ms} ms; vectors loaded in ${l.similarity.loadMs} ms)`,
      `    ${ok(l.scroll.longTasks.maxMs <= TARGETS.longTaskMaxMs)} scrolling: frame p95 ${l.scroll.frameP95Ms} ms, longest task ${l.scroll.longTasks.maxMs} ms`,
    );
  }
  const b = r.bundle;
  lines.push(
    `  ${ok(b.mainJs.brotliKB <= TARGETS.mainJsBrotliKB)} main JS ${b.mainJs.rawKB} KB raw / ${b.mainJs.gzipKB} KB gzip / ${b.mainJs.brotliKB} KB brotli (${b.mainJs.files.length} files)`,
    `  largest chunks: ${b.chunks
      .slice(0, 4)
      .map((c) => `${c.file.replace('assets/', '')} ${c.brotliKB} KB br`)
      .join(', ')}`,
  );
  log(lines.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
