import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Flags that keep Chromium quiet on a machine whose only network is loopback. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The system Chromium (playwright-core never downloads one): CHROMIUM_PATH, else a known place. */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found)
    throw new Error('Chromium not found: install it (apt-get install chromium) or set CHROMIUM_PATH');
  return found;
}

type ContextOptions = Omit<
  NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>,
  'executablePath' | 'args' | 'headless'
>;

/**
 * The system Chromium on a fresh profile directory (empty IndexedDB, no service workers), thrown
 * away on close. `args` are added to CHROMIUM_ARGS.
 */
export async function launchChromium(
  options: { args?: string[]; context?: ContextOptions } = {},
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'samplemind-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...options.context,
    executablePath: chromiumPath(),
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    headless: true,
  });
  return {
    context,
    async close() {
      // A browser that already crashed has nothing left to close; the profile still goes.
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
}
