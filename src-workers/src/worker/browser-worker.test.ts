// The worker path in real Chromium: the harness page (browser-harness/) runs the real module
// worker behind the real pool; results must equal the Node engine's for the same bytes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../analyse';
import { launchChromium } from '../node/chromium';
import { serveStatic } from '../node/static-server';
import {
  BACKBEAT,
  channels,
  drumLoop,
  encodeFlac,
  encodeMp3,
  encodeOggVorbis,
  encodeWav,
  note,
} from '../testing';
import type { HarnessWindow } from './harness-types';

// page.evaluate callbacks run in the page; this file is type-checked without the DOM library.
declare const window: HarnessWindow;

const engineRoot = resolve(import.meta.dirname, '../..');
const files: Record<string, Uint8Array> = {};
let browser: Awaited<ReturnType<typeof launchChromium>>;
let server: Awaited<ReturnType<typeof serveStatic>>;
let page: Page;
let dir: string;

beforeAll(async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'samplemind-harness-'));
  dir = await mkdtemp(join(tmpdir(), 'samplemind-audio-'));
  await build({
    configFile: join(engineRoot, 'vite.harness.config.ts'),
    build: { outDir },
    logLevel: 'error',
  });
  const sr = 44100;
  const loop = channels(drumLoop(BACKBEAT, { bpm: 110, bars: 4 }), 2);
  files['loop.wav'] = encodeWav(loop, sr, { format: 's24' });
  files['tone.flac'] = encodeFlac([note(64, 1, { harmonics: [1, 0.3] })], sr);
  files['tone.mp3'] = await encodeMp3([note(52, 1, { harmonics: [1, 0.3] })], sr);
  files['tone.ogg'] = await encodeOggVorbis([note(72, 1, { harmonics: [1, 0.3] })], sr);
  files['long.wav'] = encodeWav(channels(drumLoop(BACKBEAT, { bpm: 120, bars: 60 }), 2), sr);
  files['broken.wav'] = new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WAVEnope');
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
  server = await serveStatic({ '/audio/': dir, '/': outDir });
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.goto(`${server.url}/`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.evaluate(() => window.engineHarness.warmUp(2));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * Same structure and values; numbers may differ in the last bits because V8 versions differ in
 * Math.exp/log/pow (Node's V8 is not Chromium's), so compare them to 1e-9 relative.
 */
function expectSameValues(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), path).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
  } else if (Array.isArray(expected) || (expected && typeof expected === 'object')) {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const k of Object.keys(expected)) {
      expectSameValues(
        (actual as Record<string, unknown>)[k],
        (expected as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
    }
  } else expect(actual, path).toEqual(expected);
}

describe('engine in a Chromium module worker', () => {
  it('gives exactly the results the Node engine gives for every format', async () => {
    const names = Object.keys(files).filter((n) => n !== 'long.wav');
    const report = await page.evaluate(
      (urls) => window.engineHarness.analyseUrls(urls),
      names.map((n) => `/audio/${n}`),
    );
    expect(report.outcomes).toHaveLength(names.length);
    for (const { url, outcome } of report.outcomes) {
      const name = url.replace('/audio/', '');
      const node = await analyse(files[name], { path: url }).then(
        (result) => ({ ok: true as const, result }),
        (err) => ({ ok: false as const, error: { code: err.code, message: err.message } }),
      );
      if (!node.ok || !outcome.ok) {
        expect(outcome, name).toEqual(node);
        continue;
      }
      const { elapsedMs: _b, ...inBrowser } = outcome.result;
      const { elapsedMs: _n, ...inNode } = node.result;
      expectSameValues(inBrowser, inNode, name);
    }
    const byName = Object.fromEntries(report.outcomes.map((o) => [o.url.replace('/audio/', ''), o.outcome]));
    expect(byName['broken.wav']).toMatchObject({ ok: false, error: { code: 'corrupt' } });
    expect(byName['tone.flac']).toMatchObject({ ok: true, result: { pitch: { midiNote: 64 } } });
    expect(report.mainThreadLongTasks.filter((d) => d > 50)).toEqual([]);
  });

  it('transfers the audio to the worker instead of copying it', async () => {
    expect(await page.evaluate(() => window.engineHarness.isTransferred('/audio/loop.wav'))).toBe(true);
  });

  it('cancels a running analysis', async () => {
    const outcome = await page.evaluate(() => window.engineHarness.analyseAndCancel('/audio/long.wav', 30));
    expect(outcome).toMatchObject({ ok: false, error: { code: 'aborted' } });
    const stats = await page.evaluate(() => window.engineHarness.stats());
    expect(stats).toMatchObject({ workers: 2, running: 0 });
  });
});
