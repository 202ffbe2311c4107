// Engine speed benchmark (issue 2 §6): one-shots/s and loops' ×realtime per core, in Node (one
// worker thread) and in a Chromium module worker (pool of one), with peak memory and the decode-
// only floors (ffmpeg, and our own decoder) on the same files. Prints JSON and a table.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openAudio } from '../src-workers/src/decode/index';
import { launchChromium } from '../src-workers/src/node/chromium';
import { createNodePool } from '../src-workers/src/node/node-pool';
import { serveStatic } from '../src-workers/src/node/static-server';

const root = resolve(import.meta.dirname, '..');
const corpus = process.env.SAMPLEMIND_DEV_CORPUS ?? '/tmp/samplemind-dev-corpus';
const shared = process.env.SAMPLEMIND_SHARED ?? resolve(root, '..', 'shared');
const outDir = join(root, '.bench');
mkdirSync(outDir, { recursive: true });
if (!existsSync(join(corpus, 'labels.csv'))) {
  const built = spawnSync('bash', [join(shared, 'corpus', 'build.sh')], {
    stdio: 'inherit',
    env: { ...process.env, SAMPLEMIND_DEV_CORPUS: corpus },
  });
  if (built.status !== 0) process.exit(1);
}

// Split by the corpus' loop label only to form the two workloads; nothing is scored here.
const rows = readFileSync(join(corpus, 'labels.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','));
const pick = (isLoop: string) =>
  rows.filter((r) => r[3] === isLoop && !r[0].startsWith('edge/')).map((r) => r[0]);
const oneShots = pick('0');
const loops = pick('1');

type Run = { files: number; audioSec: number; wallSec: number };
const perSec = (r: Run) => r.files / r.wallSec;
const xRealtime = (r: Run) => r.audioSec / r.wallSec;

async function nodeRun(paths: string[]): Promise<Run> {
  const pool = createNodePool({ size: 1 });
  await pool.submit(new ArrayBuffer(0)).done; // worker start-up and WASM compile are not measured
  const buffers = paths.map((p) => readFileSync(join(corpus, p)));
  const t0 = performance.now();
  let audioSec = 0;
  for (const [i, b] of buffers.entries()) {
    const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    const o = await pool.submit(ab, { path: paths[i] }).done;
    if (o.ok) audioSec += o.result.format.durationSec;
  }
  const wallSec = (performance.now() - t0) / 1000;
  pool.close();
  return { files: paths.length, audioSec, wallSec };
}

async function decodeOnlyRun(paths: string[]): Promise<Run> {
  const buffers = paths.map((p) => new Uint8Array(readFileSync(join(corpus, p))));
  const t0 = performance.now();
  let audioSec = 0;
  for (const b of buffers) {
    const source = await openAudio(b);
    let frames = 0;
    for await (const c of source.chunks()) frames += c[0].length;
    audioSec += frames / source.info.sampleRate;
  }
  return { files: paths.length, audioSec, wallSec: (performance.now() - t0) / 1000 };
}

function ffmpegRun(paths: string[], audioSec: number): Run | null {
  if (spawnSync('ffmpeg', ['-version']).status !== 0) return null;
  // Many inputs per process (each decoded to its own null output), so process start-up does not
  // swamp the per-file cost of short one-shots; single-threaded like one engine worker.
  const batch = 40;
  const t0 = performance.now();
  for (let i = 0; i < paths.length; i += batch) {
    const part = paths.slice(i, i + batch);
    const args = ['-v', 'error', '-threads', '1'];
    for (const p of part) args.push('-i', join(corpus, p));
    for (let j = 0; j < part.length; j++) args.push('-map', `${j}:a`, '-threads', '1', '-f', 'null', '-');
    spawnSync('ffmpeg', args);
  }
  return { files: paths.length, audioSec, wallSec: (performance.now() - t0) / 1000 };
}

async function browserRun(): Promise<{
  oneShots: Run;
  loops: Run;
  longTasks: number;
  jsHeapMb: number;
} | null> {
  const build = spawnSync('npx', ['vite', 'build', '-c', 'src-workers/vite.harness.config.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('harness build failed');
  const server = await serveStatic({ '/corpus/': corpus, '/': join(root, 'src-workers', 'dist-harness') });
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.evaluate(() => window.engineHarness.warmUp(1));
    const run = async (paths: string[]): Promise<Run> => {
      const report = await page.evaluate(
        (urls) => window.engineHarness.analyseUrls(urls),
        paths.map((p) => `/corpus/${p}`),
      );
      const audioSec = report.outcomes.reduce(
        (s, o) => s + (o.outcome.ok ? o.outcome.result.format.durationSec : 0),
        0,
      );
      return { files: paths.length, audioSec, wallSec: report.ms / 1000 };
    };
    const os = await run(oneShots);
    const lp = await run(loops);
    const longTasks = await page.evaluate(() =>
      window.engineHarness.analyseUrls([]).then((r) => r.mainThreadLongTasks.length),
    );
    const client = await browser.context.newCDPSession(page);
    await client.send('Performance.enable');
    const metrics = (await client.send('Performance.getMetrics')).metrics;
    const heap = metrics.find((m) => m.name === 'JSHeapTotalSize')?.value ?? 0;
    return { oneShots: os, loops: lp, longTasks, jsHeapMb: heap / 1e6 };
  } finally {
    await browser.close();
    await server.close();
  }
}

const nodeOneShots = await nodeRun(oneShots);
const nodeLoops = await nodeRun(loops);
const decodeOneShots = await decodeOnlyRun(oneShots);
const decodeLoops = await decodeOnlyRun(loops);
const ffOneShots = ffmpegRun(oneShots, nodeOneShots.audioSec);
const ffLoops = ffmpegRun(loops, nodeLoops.audioSec);
const browser = await browserRun();

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const report = {
  corpus: { oneShots: oneShots.length, loops: loops.length, loopAudioSec: round(nodeLoops.audioSec) },
  perCore: {
    node: { oneShotsPerSec: round(perSec(nodeOneShots)), loopsXRealtime: round(xRealtime(nodeLoops)) },
    browserWorker: browser && {
      oneShotsPerSec: round(perSec(browser.oneShots)),
      loopsXRealtime: round(xRealtime(browser.loops)),
    },
    ourDecodeOnly: {
      oneShotsPerSec: round(perSec(decodeOneShots)),
      loopsXRealtime: round(xRealtime(decodeLoops)),
    },
    ffmpegDecodeFloor: ffOneShots &&
      ffLoops && { oneShotsPerSec: round(perSec(ffOneShots)), loopsXRealtime: round(xRealtime(ffLoops)) },
  },
  memory: {
    nodeMainPeakRssMb: round(process.resourceUsage().maxRSS / 1024),
    browserPageJsHeapMb: browser && round(browser.jsHeapMb),
    browserMainThreadLongTasks: browser?.longTasks ?? null,
  },
  targets: { oneShotsPerSecPerCore: 100, loopsXRealtimePerCore: 100 },
};
writeFileSync(join(outDir, 'engine.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report));
console.log('\nENGINE SPEED, one core                one-shots/s   loops ×realtime');
const line = (name: string, v: { oneShotsPerSec: number; loopsXRealtime: number } | null | undefined) =>
  console.log(
    `  ${name.padEnd(34)} ${v ? String(v.oneShotsPerSec).padStart(11) : '        n/a'}   ${v ? String(v.loopsXRealtime).padStart(14) : 'n/a'}`,
  );
line('browser worker (Chromium)', report.perCore.browserWorker);
line('node worker thread', report.perCore.node);
line('decode only (our decoders)', report.perCore.ourDecodeOnly);
line('decode floor (ffmpeg to null)', report.perCore.ffmpegDecodeFloor);
console.log(`  targets: >= 100 one-shots/s and >= 100× realtime per core in the browser worker`);
console.log(
  `  memory: node peak RSS ${report.memory.nodeMainPeakRssMb} MB, browser page JS heap ${report.memory.browserPageJsHeapMb} MB`,
);
