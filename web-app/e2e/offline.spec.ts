import { afterEach, describe, expect, it } from 'vitest';
import { type AppSession, openApp } from './browser';
import { GOOD } from './fixtures';

let s: AppSession | null = null;
afterEach(async () => {
  await s?.close();
  s = null;
});

describe('offline (service worker)', () => {
  it('reopens with the network off and still analyses a new file', async () => {
    s = await openApp();
    const { app, context, page } = s;
    // Wait until the service worker has precached everything and controls the page.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await app.reload();
    expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

    await context.setOffline(true);
    // Anything that would reach the server fails; only the service worker can answer.
    await context.route('**/*', (route) => route.abort('internetdisconnected'));
    await app.reload();
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);

    await app.drop([GOOD.loop]);
    await app.waitForImportIdle();
    const loop = await app.rowValues('Groove 120.wav');
    expect(loop.error).toBeNull();
    expect(loop.type).toBe('drum-loop');
  });
});
