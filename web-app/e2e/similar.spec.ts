import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drumLoop, encodeWav, hat, kick, tone } from '../scripts/wav.mjs';
import { type AppSession, openApp } from './browser';
import type { FileSpec } from './fixtures';
import type { LibraryPage } from './pages/library-page';

let s: AppSession;
let app: LibraryPage;
const f = (name: string, x: Float32Array): FileSpec => ({ name, bytes: encodeWav([x]), type: 'audio/wav' });

beforeAll(async () => {
  s = await openApp();
  app = s.app;
  await app.drop([
    f('Kick A.wav', kick(0.4)),
    f('Kick B.wav', kick(0.35)),
    f('Kick C.wav', kick(0.3)),
    f('Hat A.wav', hat(0.12, 1)),
    f('Hat B.wav', hat(0.1, 2)),
    f('Hat C.wav', hat(0.14, 3)),
    f('Tone A.wav', tone(57, 1)),
    f('Tone B.wav', tone(62, 1)),
    f('Loop A.wav', drumLoop(100, 2)),
  ]);
  await app.waitForImportIdle();
});
afterAll(async () => {
  await s?.close();
});

describe('similar sounds and the map', () => {
  it('lists the other kicks first for a kick ("more like this", computed in a worker)', async () => {
    await app.select('Kick A.wav');
    await app.page.locator('[data-testid="more-like-this"]').click();
    const list = app.page.locator('[data-testid="similar"] .similar-list li .link');
    await expect.poll(() => list.count(), { timeout: 20_000 }).toBe(8);
    const names = await list.allTextContents();
    expect(names.slice(0, 2).sort()).toEqual(['Kick B.wav', 'Kick C.wav']);
    expect(names).not.toContain('Kick A.wav');
  });

  it('draws the map in a worker and plays the sound under a click', async () => {
    await app.page.locator('[data-testid="tab-map"]').click();
    await app.page.locator('[data-testid="map-compute"]').click();
    await expect
      .poll(() => app.page.locator('[data-testid="map"] .map-head').textContent(), { timeout: 60_000 })
      .toContain('9 sounds');
    // Find a drawn point by its pixels and click it.
    const point = await app.page.evaluate(() => {
      const c = document.querySelector('.map-canvas') as HTMLCanvasElement;
      const g = c.getContext('2d')!;
      const { data, width, height } = g.getImageData(0, 0, c.width, c.height);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++)
          if (data[(y * width + x) * 4 + 3] > 0) {
            const r = c.getBoundingClientRect();
            return { x: r.left + (x + 2) * (r.width / width), y: r.top + (y + 2) * (r.height / height) };
          }
      return null;
    });
    expect(point).not.toBeNull();
    await app.page.mouse.click(point!.x, point!.y);
    await expect.poll(() => app.isPlaying(), { timeout: 10_000 }).toBe(true);
  });
});
