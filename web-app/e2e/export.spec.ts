import { afterEach, describe, expect, it } from 'vitest';
import { type AppSession, openApp } from './browser';
import { GOOD, LOOPS } from './fixtures';

const sessions: AppSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

/** Minimal RFC 4180 reader for the exported CSV. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

describe('export', () => {
  it('exports the current view as CSV and JSON with the values the table shows', async () => {
    const s = await openApp();
    sessions.push(s);
    const { app, page } = s;
    await app.drop([GOOD.kick, GOOD.tone, LOOPS.slow, LOOPS.groove]);
    await app.waitForImportIdle();
    await app.select('Slow 90.wav');
    const measured = Number((await app.rowValues('Slow 90.wav')).bpm);
    await page.locator('[data-testid="bpm-half"]').click();
    await expect
      .poll(() => app.rowValues('Slow 90.wav').then((v) => Number(v.bpm)))
      .toBeCloseTo(measured / 2, 0);
    await app.select('Slow 90.wav');
    await app.addTag('half "time", slow');
    await app.toggleType('drum-loop');
    await app.sortBy('bpm');
    await page.locator('.t-row').first().click(); // focus stays; selection cleared below
    await page.evaluate(() => {
      const store = (
        globalThis as unknown as { __samplemind: { store: { selection: Set<number>; emit(): void } } }
      ).__samplemind.store;
      store.selection = new Set();
      store.emit();
    });
    const shown = await app.rowNames();
    const shownValues = await Promise.all(shown.map((n) => app.rowValues(n)));

    const csv = parseCsv(await app.download('export-csv'));
    expect(csv.map((r) => r.name)).toEqual(shown);
    csv.forEach((r, i) => {
      expect(Math.abs(Number(r.bpm) - Number(shownValues[i].bpm))).toBeLessThan(0.1);
      expect(r.type).toBe(shownValues[i].type);
    });
    expect(csv.find((r) => r.name === 'Slow 90.wav')!.tags).toBe('half "time", slow');

    const json = JSON.parse(await app.download('export-json')) as {
      name: string;
      bpm: number;
      tags: string[];
    }[];
    expect(json.map((r) => r.name)).toEqual(shown);
    const slow = json.find((r) => r.name === 'Slow 90.wav')!;
    expect(slow.bpm).toBeCloseTo(measured / 2, 1);
    expect(slow.tags).toEqual(['half "time", slow']);
  });

  it('exports the whole library as JSON and imports it into an empty one', async () => {
    const a = await openApp();
    sessions.push(a);
    await a.app.drop([GOOD.kick, LOOPS.groove]);
    await a.app.waitForImportIdle();
    await a.app.select('Groove 120.wav');
    const measured = Number((await a.app.rowValues('Groove 120.wav')).bpm);
    await a.page.locator('[data-testid="bpm-double"]').click();
    await expect
      .poll(() => a.app.rowValues('Groove 120.wav').then((v) => Number(v.bpm)))
      .toBeCloseTo(measured * 2, 0);
    await a.app.addTag('keeper');
    await a.page.locator('[data-testid="menu"]').click();
    const text = await a.app.download('export-library');
    const lib = JSON.parse(text);
    expect(lib.format).toBe('samplemind-library');
    expect(lib.files).toHaveLength(2);

    const b = await openApp();
    sessions.push(b);
    await b.page.locator('[data-testid="menu"]').click();
    await b.page.locator('[data-testid="import-library"]').setInputFiles({
      name: 'library.json',
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    });
    await expect.poll(() => b.app.rows().count()).toBe(2);
    expect(Number((await b.app.rowValues('Groove 120.wav')).bpm)).toBeCloseTo(measured * 2, 0);
    await b.page.locator('[data-testid="tag-keeper"]').click();
    expect(await b.app.rowNames()).toEqual(['Groove 120.wav']);
  });
});
