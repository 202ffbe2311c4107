import { afterEach, describe, expect, it } from 'vitest';
import { type AppSession, openApp } from './browser';

let s: AppSession | null = null;
afterEach(async () => {
  await s?.close();
  s = null;
});

describe('an import interrupted by a reload', () => {
  it('resumes after the reload and finishes with nothing lost or duplicated', async () => {
    s = await openApp();
    const { app } = s;
    const N = 160;
    await app.dropGenerated(N, 2.5);
    await expect.poll(() => app.rows().count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // Reload as soon as part of the import is stored.
    await app.page.waitForFunction(
      () => {
        const p = (
          globalThis as unknown as { __samplemind: { importer: { progress(): { done: number } } } }
        ).__samplemind.importer.progress();
        return p.done >= 5;
      },
      undefined,
      { timeout: 60_000, polling: 50 },
    );
    const before = await app.dbCounts();
    expect(before.files).toBe(N);
    expect(before.done).toBeLessThan(N); // really mid-import
    await app.reload();
    const resumed = await app.progress();
    expect(resumed.total).toBeGreaterThan(0);
    expect(resumed.total).toBeLessThanOrEqual(N - before.done);
    await app.waitForImportIdle(120_000);
    const after = await app.dbCounts();
    expect(after).toMatchObject({ files: N, queue: 0, done: N, distinctPaths: N });
    expect(await app.viewCount()).toBe(N);
  });
});

describe('pause, resume and cancel', () => {
  it('stops taking new files while paused, goes on when resumed, and cancel leaves the rest unanalysed', async () => {
    s = await openApp();
    const { app, page } = s;
    await app.dropGenerated(120, 2);
    await page.locator('[data-testid="import-pause"]').click();
    await expect.poll(() => page.locator('[data-testid="progress-text"]').textContent()).toContain('paused');
    // Files already in a worker may still land; after that nothing moves.
    await page.waitForTimeout(1500);
    const paused = (await app.progress()).done as number;
    await page.waitForTimeout(1500);
    expect((await app.progress()).done).toBe(paused);
    expect(paused).toBeLessThan(120);

    await page.locator('[data-testid="import-resume"]').click();
    await expect
      .poll(async () => (await app.progress()).done as number, { timeout: 60_000 })
      .toBeGreaterThan(paused);

    await page.locator('[data-testid="import-cancel"]').click();
    await app.waitForImportIdle();
    const c = await app.dbCounts();
    expect(c.queue).toBe(0);
    expect(c.files).toBe(120);
    expect(c.done).toBeLessThan(120);
    await page.locator('[data-testid="status-error"]').click();
    expect(await app.viewCount()).toBe(120 - c.done);
    expect((await app.rowValues((await app.rowNames())[0])).error).toMatch(/cancelled/);
  });
});
