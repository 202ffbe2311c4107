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
