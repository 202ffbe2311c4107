import type { Locator, Page } from 'playwright-core';
import type { FileSpec } from '../fixtures';

export type RowValues = {
  name: string;
  type: string;
  bpm: string;
  key: string;
  root: string;
  error: string | null;
};

/** Page object for the library screen; specs talk to it, not to selectors. */
export class LibraryPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open(query = ''): Promise<void> {
    await this.page.goto(`${this.baseUrl}${query}`);
    await this.waitReady();
  }

  async waitReady(): Promise<void> {
    await this.page.waitForSelector('html[data-ready="1"]', { timeout: 30_000 });
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitReady();
  }

  /** Rows in the library (all of them, not just the current view). */
  librarySize(): Promise<number> {
    return this.page.evaluate(
      () =>
        (globalThis as unknown as { __samplemind: { store: { index: { size: number } } } }).__samplemind.store
          .index.size,
    );
  }

  private async waitForSize(n: number) {
    await this.page.waitForFunction(
      (n) =>
        (globalThis as unknown as { __samplemind: { store: { index: { size: number } } } }).__samplemind.store
          .index.size >= n,
      n,
      { timeout: 30_000 },
    );
  }

  /** Drops files on the window the way a drag from the desktop does; resolves once they are registered. */
  async drop(files: FileSpec[]): Promise<void> {
    const before = await this.librarySize();
    const payload = files.map((f) => ({
      name: f.name,
      type: f.type ?? '',
      b64: Buffer.from(f.bytes).toString('base64'),
    }));
    await this.page.evaluate((list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bin = atob(f.b64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        dt.items.add(new File([bytes], f.name, { type: f.type, lastModified: 1_700_000_000_000 }));
      }
      const zone = document.querySelector('[data-testid="drop-zone"]')!;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, payload);
    await this.waitForSize(before + files.length);
  }

  /**
   * Drops `count` WAV tones generated inside the page (no transfer from the test process), named
   * "gen-0001.wav"…, each `seconds` long.
   */
  async dropGenerated(count: number, seconds: number): Promise<void> {
    const before = await this.librarySize();
    await this.page.evaluate(
      ({ count, seconds }) => {
        const sr = 44100;
        const dt = new DataTransfer();
        for (let k = 0; k < count; k++) {
          const n = Math.round(seconds * sr);
          const buf = new ArrayBuffer(44 + n * 2);
          const v = new DataView(buf);
          const put = (o: number, s: string) => {
            for (let i = 0; i < s.length; i++) v.setUint8(o + i, s.charCodeAt(i));
          };
          put(0, 'RIFF');
          v.setUint32(4, 36 + n * 2, true);
          put(8, 'WAVEfmt ');
          v.setUint32(16, 16, true);
          v.setUint16(20, 1, true);
          v.setUint16(22, 1, true);
          v.setUint32(24, sr, true);
          v.setUint32(28, sr * 2, true);
          v.setUint16(32, 2, true);
          v.setUint16(34, 16, true);
          put(36, 'data');
          v.setUint32(40, n * 2, true);
          const f = 110 * 2 ** ((k % 36) / 12);
          for (let i = 0; i < n; i++) {
            const t = i / sr;
            v.setInt16(
              44 + 2 * i,
              Math.round(12000 * Math.exp(-t * 2) * Math.sin(2 * Math.PI * f * t + k)),
              true,
            );
          }
          dt.items.add(new File([buf], `gen-${String(k).padStart(4, '0')}.wav`, { type: 'audio/wav' }));
        }
        document
          .querySelector('[data-testid="drop-zone"]')!
          .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      { count, seconds },
    );
    await this.waitForSize(before + count);
  }

  /** Row counts straight from IndexedDB (files, queue, samples). */
  dbCounts(): Promise<{
    files: number;
    queue: number;
    samples: number;
    done: number;
    distinctPaths: number;
  }> {
    return this.page.evaluate(async () => {
      type Table = { count(): Promise<number>; toArray(): Promise<{ path: string; status: string }[]> };
      const db = (globalThis as unknown as { __samplemind: { store: { db: Record<string, Table> } } })
        .__samplemind.store.db;
      const files = await db.files.toArray();
      return {
        files: files.length,
        queue: await db.queue.count(),
        samples: await db.samples.count(),
        done: files.filter((f) => f.status === 'done').length,
        distinctPaths: new Set(files.map((f) => f.path)).size,
      };
    });
  }

  /** Picks files from disk through the "Add files" input. */
  async addFiles(paths: string[]): Promise<void> {
    await this.page.locator('[data-testid="file-input"]').setInputFiles(paths);
  }

  /** Waits until nothing is queued, running or unsaved. */
  async waitForImportIdle(timeout = 60_000): Promise<void> {
    await this.page.waitForFunction(
      () => {
        const sm = (
          globalThis as unknown as {
            __samplemind?: {
              importer: { progress(): { isActive: boolean; running: number; total: number } };
            };
          }
        ).__samplemind;
        const p = sm?.importer.progress();
        return !!p && !p.isActive && p.running === 0;
      },
      undefined,
      { timeout, polling: 200 },
    );
  }

  progress() {
    return this.page.evaluate(() =>
      (
        globalThis as unknown as {
          __samplemind: { importer: { progress(): Record<string, number | boolean | null> } };
        }
      ).__samplemind.importer.progress(),
    );
  }

  rows(): Locator {
    return this.page.locator('[role="row"][data-file-id]');
  }

  row(name: string): Locator {
    return this.page
      .locator('[role="row"][data-file-id]')
      .filter({ has: this.page.locator('.name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
  }

  /**
   * Waits until the UI reflects the last action: store updates flush React before the next frame,
   * so two frames later the DOM is current (even on a busy machine).
   */
  async settle(): Promise<void> {
    await this.page.evaluate(
      () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
    );
  }

  /** Names of the rows in display order (the test libraries fit on one screen). */
  async rowNames(): Promise<string[]> {
    await this.settle();
    return this.page.$$eval('[role="row"][data-file-id]', (rows) =>
      rows
        .map((r) => ({
          y: (r as HTMLElement).getBoundingClientRect().top,
          name: r.querySelector('.name')?.textContent ?? '',
        }))
        .sort((a, b) => a.y - b.y)
        .map((r) => r.name),
    );
  }

  async rowValues(name: string): Promise<RowValues> {
    await this.settle();
    const row = this.row(name);
    await row.waitFor();
    return row.evaluate((el) => {
      const text = (col: string) => el.querySelector(`[data-col="${col}"]`)?.textContent?.trim() ?? '';
      return {
        name: el.querySelector('.name')?.textContent ?? '',
        type: text('type'),
        bpm: text('bpm'),
        key: text('key'),
        root: text('root'),
        error: el.querySelector('[data-testid="row-error"]')?.textContent ?? null,
      };
    });
  }

  async viewCount(): Promise<number> {
    return Number(await this.page.locator('[data-testid="view-count"]').textContent());
  }

  async search(text: string): Promise<void> {
    await this.page.locator('[data-testid="search"]').fill(text);
    await this.page.waitForFunction(
      (t) => new URLSearchParams(location.search).get('q') === (t || null),
      text,
    );
    await this.settle();
  }

  async toggleType(type: string): Promise<void> {
    await this.page.locator(`[data-testid="type-${type}"]`).click();
    await this.settle();
  }

  async setBpmRange(min: number | null, max: number | null, halfDouble = false): Promise<void> {
    await this.page.locator('[data-testid="bpm-min"]').fill(min === null ? '' : String(min));
    await this.page.locator('[data-testid="bpm-max"]').fill(max === null ? '' : String(max));
    const box = this.page.locator('[data-testid="bpm-halfdouble"]');
    if ((await box.isChecked()) !== halfDouble) await box.click();
    await this.settle();
  }

  async sortBy(field: string): Promise<void> {
    await this.page.locator(`[data-sort="${field}"]`).click();
    await this.settle();
  }

  /** Clicks a row; with no modifier, waits until it is focused and the detail panel shows it. */
  async select(name: string, modifiers: ('Shift' | 'Control')[] = []): Promise<void> {
    await this.row(name).click({ modifiers });
    if (modifiers.length) return this.settle();
    await this.page.waitForFunction(
      (n) => {
        const focused = document.querySelector('.t-row.focused .name')?.textContent;
        const detail = document.querySelector('[data-testid="detail"]');
        return focused === n && (!detail || detail.querySelector('.detail-name')?.textContent === n);
      },
      name,
      { timeout: 15_000 },
    );
  }

  async addTag(tag: string): Promise<void> {
    const input = this.page.locator('[data-testid="tag-input"]');
    await input.fill(tag);
    await input.press('Enter');
    // Saved once the input is cleared and the tag shows in the filters.
    await this.page.waitForFunction(
      () => (document.querySelector('[data-testid="tag-input"]') as HTMLInputElement).value === '',
    );
    await this.settle();
  }

  async newCollection(name: string): Promise<void> {
    await this.page.locator('[data-testid="collection-add"]').selectOption('new');
    const input = this.page.locator('[data-testid="collection-name"]');
    await input.fill(name);
    await input.press('Enter');
  }

  async isPlaying(): Promise<boolean> {
    return this.page.evaluate(() => {
      const p = (
        globalThis as unknown as {
          __samplemindPlayer?: { state: { isPlaying: boolean }; context: AudioContext | null };
        }
      ).__samplemindPlayer;
      return !!p && p.state.isPlaying && p.context?.state === 'running';
    });
  }

  /** Clicks a download button and returns the downloaded file's text. */
  async download(testId: string): Promise<string> {
    const [dl] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.locator(`[data-testid="${testId}"]`).click(),
    ]);
    const stream = await dl.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
}

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
