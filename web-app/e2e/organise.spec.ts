import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, openApp } from './browser';
import { GOOD, LOOPS } from './fixtures';
import type { LibraryPage } from './pages/library-page';

let s: AppSession;
let app: LibraryPage;

beforeAll(async () => {
  s = await openApp();
  app = s.app;
  await app.drop([GOOD.kick, GOOD.hat, GOOD.tone, LOOPS.groove]);
  await app.waitForImportIdle();
});
afterAll(async () => {
  await s?.close();
});

describe('tags, favourites, edits and collections', () => {
  it('are applied in bulk and in the detail panel, and survive a reload and a re-analysis', async () => {
    const { page } = app;
    // Bulk: two rows selected, one tag and a favourite for both.
    await app.select('Big Kick.wav');
    await app.select('Closed Hat.wav', ['Control']);
    await app.addTag('drums');
    await page.locator('[data-testid="favourite"]').click();
    await app.newCollection('Set A');
    await expect.poll(() => app.row('Big Kick.wav').locator('.c-fav').textContent()).toBe('★');

    // Corrections: BPM ×2, key and type overrides.
    await app.select('Groove 120.wav');
    const measured = Number((await app.rowValues('Groove 120.wav')).bpm);
    const doubled = String(measured * 2);
    await page.locator('[data-testid="bpm-double"]').click();
    await expect.poll(() => app.rowValues('Groove 120.wav').then((v) => v.bpm)).toBe(doubled);
    await app.select('Pluck A3.wav');
    await page.locator('[data-testid="key-override"]').selectOption({ label: 'Cm (5A)' });
    await expect.poll(() => app.rowValues('Pluck A3.wav').then((v) => v.key)).toBe('Cm');
    await app.select('Closed Hat.wav');
    await page.locator('[data-testid="type-override"]').selectOption('cymbal');
    await expect.poll(() => app.rowValues('Closed Hat.wav').then((v) => v.type)).toBe('cymbal');

    await app.reload();

    expect((await app.rowValues('Groove 120.wav')).bpm).toBe(doubled);
    expect((await app.rowValues('Pluck A3.wav')).key).toBe('Cm');
    expect((await app.rowValues('Closed Hat.wav')).type).toBe('cymbal');
    await page.locator('[data-testid="tag-drums"]').click();
    expect((await app.rowNames()).sort()).toEqual(['Big Kick.wav', 'Closed Hat.wav']);
    await page.locator('[data-testid="tag-drums"]').click();
    await page.locator('[data-testid="status-favourites"]').click();
    expect((await app.rowNames()).sort()).toEqual(['Big Kick.wav', 'Closed Hat.wav']);
    await page.locator('[data-testid="status-any"]').click();
    await page.locator('[data-testid="collection-Set A"]').click();
    expect((await app.rowNames()).sort()).toEqual(['Big Kick.wav', 'Closed Hat.wav']);
    await page.locator('[data-testid="collection-Set A"]').click();

    // Re-analysis replaces measured values, never the user's.
    await app.select('Groove 120.wav');
    await page.getByRole('button', { name: 'Re-analyse' }).click();
    await expect.poll(() => app.dbCounts().then((c) => c.queue), { timeout: 30_000 }).toBe(0);
    await app.waitForImportIdle();
    expect((await app.rowValues('Groove 120.wav')).bpm).toBe(doubled);
  });

  it('removes a tag from the selection', async () => {
    await app.select('Big Kick.wav');
    await app.page.locator('[data-testid="tag-remove"]').selectOption({ label: '#drums' });
    await app.page.locator('[data-testid="tag-drums"]').click();
    expect(await app.rowNames()).toEqual(['Closed Hat.wav']);
    await app.page.locator('[data-testid="tag-drums"]').click();
  });
});
