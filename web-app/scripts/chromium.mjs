// Launches the system Chromium through playwright-core (no browser download), fresh profile each time.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

export function chromiumPath() {
  const found = CANDIDATES.find((p) => p && existsSync(p));
  if (!found)
    throw new Error('Chromium not found: install it (apt-get install chromium) or set CHROMIUM_PATH');
  return found;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * A persistent context on a fresh profile directory: real IndexedDB and service workers, thrown
 * away on close.
 */
export async function launchApp(options = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'samplemind-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    viewport: { width: 1400, height: 900 },
    serviceWorkers: 'allow',
    acceptDownloads: true,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
