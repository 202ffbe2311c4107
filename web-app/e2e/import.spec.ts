import { afterEach, describe, expect, it } from 'vitest';
import { type AppSession, openApp } from './browser';
import { BAD, GOOD } from './fixtures';

let s: AppSession | null = null;
afterEach(async () => {
  await s?.close();
  s = null;
});

describe('importing', () => {
  it('shows dropped files at once, then their values; bad files fail alone with a readable reason', async () => {
    s = await openApp();
    const { app } = s;
    await app.drop([GOOD.kick, BAD.empty, GOOD.loop, BAD.text, GOOD.tone, BAD.truncated]);
    // Registered before analysis: all six rows exist.
    await expect.poll(() => app.rows().count()).toBe(6);
    await app.waitForImportIdle();

    const kick = await app.rowValues('Big Kick.wav');
    expect(kick.error).toBeNull();
    expect(kick.type, JSON.stringify(kick)).toBe('kick');
    const loop = await app.rowValues('Groove 120.wav');
    expect(loop.type, JSON.stringify(loop)).toBe('drum-loop');
    expect(Math.abs(Number(loop.bpm) - 120)).toBeLessThanOrEqual(1);
    const tone = await app.rowValues('Pluck A3.wav');
    expect(tone.root, JSON.stringify(tone)).toBe('A3');

    for (const bad of [BAD.empty, BAD.text, BAD.truncated]) {
      const v = await app.rowValues(bad.name);
      expect(v.error, bad.name).toBeTruthy();
      // A sentence for people, not a code or a stack trace.
      expect(v.error!.length, bad.name).toBeGreaterThan(10);
      expect(v.error, bad.name).not.toMatch(/Error:|at \w+ \(|undefined/);
    }
    expect(await app.progress()).toMatchObject({ total: 6, done: 3, failed: 3, isActive: false });
    await expect
      .poll(() => app.page.locator('[data-testid="progress-text"]').textContent())
      .toContain('6 / 6');
  });

  it('finds duplicates by content and does not analyse them twice', async () => {
    s = await openApp();
    const { app } = s;
    await app.drop([GOOD.kick]);
    await app.waitForImportIdle();
    await app.drop([{ ...GOOD.kick, name: 'Kick Copy.wav' }]);
    await expect.poll(() => app.dbCounts().then((c) => c.done)).toBe(2);
    await app.waitForImportIdle();
    await expect.poll(() => app.rows().count()).toBe(2);
    await expect.poll(() => app.row('Kick Copy.wav').locator('.badge').textContent()).toBe('×2');
    await app.page.locator('[data-testid="status-duplicates"]').click();
    expect(await app.viewCount()).toBe(2);
  });
});

describe('a crashing worker', () => {
  it('marks only its own file failed, with the reason, and the import goes on', async () => {
    s = await openApp();
    const { app, page } = s;
    await page.evaluate(() => {
      (globalThis as { __samplemindCrashOn?: string }).__samplemindCrashOn = 'Crasher';
    });
    await app.drop([GOOD.kick, { ...GOOD.tone, name: 'Crasher.wav' }, GOOD.loop, GOOD.hat]);
    await app.waitForImportIdle();
    const crashed = await app.rowValues('Crasher.wav');
    expect(crashed.error).toMatch(/worker crashed/);
    for (const name of ['Big Kick.wav', 'Groove 120.wav', 'Closed Hat.wav']) {
      expect((await app.rowValues(name)).error, name).toBeNull();
    }
    expect(await app.progress()).toMatchObject({ total: 4, done: 3, failed: 1 });
  });
});
