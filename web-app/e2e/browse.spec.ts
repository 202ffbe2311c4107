import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, openApp } from './browser';
import { GOOD, LOOPS } from './fixtures';
import type { LibraryPage } from './pages/library-page';

let s: AppSession;
let app: LibraryPage;
const ALL = [
  'Big Kick.wav',
  'Closed Hat.wav',
  'Pluck A3.wav',
  'Slow 90.wav',
  'Groove 120.wav',
  'Fast 140.wav',
];

beforeAll(async () => {
  s = await openApp();
  app = s.app;
  await app.drop([GOOD.kick, GOOD.hat, GOOD.tone, LOOPS.slow, LOOPS.groove, LOOPS.fast]);
  await app.waitForImportIdle();
});
afterAll(async () => {
  await s?.close();
});

describe('browsing', () => {
  it('filters by type', async () => {
    await app.toggleType('kick');
    expect(await app.rowNames()).toEqual(['Big Kick.wav']);
    await app.toggleType('kick');
    await app.toggleType('drum-loop');
    expect((await app.rowNames()).sort()).toEqual(['Fast 140.wav', 'Groove 120.wav', 'Slow 90.wav']);
    await app.toggleType('drum-loop');
    expect(await app.viewCount()).toBe(ALL.length);
  });

  it('filters a BPM range, with half/double time on request', async () => {
    // Expectations follow the tempi the engine reported, so this checks the filter, not the engine.
    const loops = ['Slow 90.wav', 'Groove 120.wav', 'Fast 140.wav'];
    const bpm = new Map<string, number>();
    for (const n of loops) bpm.set(n, Number((await app.rowValues(n)).bpm));
    const expected = (lo: number, hi: number, hd: boolean) =>
      loops
        .filter((n) => {
          const b = bpm.get(n)!;
          const within = (x: number) => x >= lo && x <= hi;
          return within(b) || (hd && (within(b * 2) || within(b / 2)));
        })
        .sort();
    const slow = bpm.get('Slow 90.wav')!;
    for (const [lo, hi, hd] of [
      [slow * 2 - 3, slow * 2 + 3, false],
      [slow * 2 - 3, slow * 2 + 3, true],
      [slow - 3, slow + 3, false],
      [slow / 2 - 2, slow / 2 + 2, true],
    ] as const) {
      await app.setBpmRange(lo, hi, hd);
      expect((await app.rowNames()).sort(), `${lo}-${hi}${hd ? ' half/double' : ''}`).toEqual(
        expected(lo, hi, hd),
      );
    }
    // The toggle matters: double the slow loop's tempo finds it only with half/double on.
    expect(expected(slow * 2 - 3, slow * 2 + 3, true)).toContain('Slow 90.wav');
    expect(expected(slow * 2 - 3, slow * 2 + 3, false)).not.toContain('Slow 90.wav');
    await app.setBpmRange(null, null, false);
  });

  it('searches names', async () => {
    await app.search('groove');
    expect(await app.rowNames()).toEqual(['Groove 120.wav']);
    await app.search('a3 pluck');
    expect(await app.rowNames()).toEqual(['Pluck A3.wav']);
    await app.search('');
    expect(await app.viewCount()).toBe(ALL.length);
  });

  it('sorts by a column both ways, missing values last', async () => {
    await app.sortBy('name');
    expect(await app.rowNames()).toEqual([...ALL].sort((a, b) => a.localeCompare(b)));
    await app.sortBy('name');
    expect(await app.rowNames()).toEqual([...ALL].sort((a, b) => b.localeCompare(a)));
    await app.sortBy('bpm');
    const loops = ['Slow 90.wav', 'Groove 120.wav', 'Fast 140.wav'];
    const bpms = await Promise.all(loops.map(async (n) => Number((await app.rowValues(n)).bpm)));
    const byBpm = loops.map((n, i) => [n, bpms[i]] as const).sort((a, b) => a[1] - b[1]);
    // Ascending, loops (with a tempo) first, one-shots (no tempo) after them.
    expect((await app.rowNames()).slice(0, 3)).toEqual(byBpm.map(([n]) => n));
  });

  it('keeps the view in the URL across a reload', async () => {
    await app.toggleType('drum-loop');
    await app.sortBy('bpm'); // now descending
    // Descending is the default direction, so only "sort=bpm" appears.
    await app.page.waitForFunction(
      () => location.search.includes('sort=bpm') && !location.search.includes('dir=asc'),
    );
    const url = app.page.url();
    expect(url).toContain('type=drum-loop');
    expect(url).toContain('sort=bpm');
    const shown = await app.rowNames();
    expect(shown.sort()).toEqual(['Fast 140.wav', 'Groove 120.wav', 'Slow 90.wav']);
    const before = await app.rowNames();
    await app.reload();
    expect(await app.rowNames()).toEqual(before);
    expect(await app.page.locator('[data-testid="type-drum-loop"]').isChecked()).toBe(true);
    await app.open();
  });

  it('moves with the arrow keys and plays with space (loops loop)', async () => {
    await app.sortBy('name');
    const names = await app.rowNames();
    await app.select(names[0]);
    await app.page.keyboard.press('ArrowDown');
    await expect.poll(() => app.page.locator('.t-row.focused .name').textContent()).toBe(names[1]);
    await app.page.keyboard.press('ArrowDown');
    await expect.poll(() => app.page.locator('.t-row.focused .name').textContent()).toBe(names[2]);
    await app.page.keyboard.press(' ');
    await expect.poll(() => app.isPlaying(), { timeout: 10_000 }).toBe(true);
    await app.page.keyboard.press(' ');
    await expect.poll(() => app.isPlaying()).toBe(false);

    await app.select('Groove 120.wav');
    await app.page.locator('[data-testid="play"]').click();
    await expect.poll(() => app.isPlaying(), { timeout: 10_000 }).toBe(true);
    const looping = await app.page.evaluate(
      () =>
        (globalThis as unknown as { __samplemindPlayer: { state: { isLooping: boolean } } })
          .__samplemindPlayer.state.isLooping,
    );
    expect(looping).toBe(true);
    // A 4 s loop is still playing after it would have ended once.
    await app.page.waitForTimeout(4500);
    expect(await app.isPlaying()).toBe(true);
  });

  it('shows the stored waveform and the detail values', async () => {
    await app.select('Pluck A3.wav');
    await expect
      .poll(() =>
        app.page.locator('[data-testid="detail"] [data-testid="waveform"]').getAttribute('data-has-peaks'),
      )
      .toBe('1');
    await expect
      .poll(() => app.page.locator('[data-testid="detail-type"]').textContent())
      .toMatch(/melodic|bass/);
  });
});
