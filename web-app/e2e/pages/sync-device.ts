// One device in the sync specs: its own Chromium profile (own IndexedDB), the built app open, and
// what a producer does with sync: connect to a server, sign in, edit, go offline, watch the sync
// status. Specs talk to this and to LibraryPage, not to selectors.
import type { Locator, Request } from 'playwright-core';
import { type AppSession, openApp } from '../browser';
import { AiPage } from './ai-page';
import { LibraryPage } from './library-page';
import type { TestUser } from './sync-api';

export type SyncState = 'off' | 'offline' | 'idle' | 'syncing' | 'error' | 'follower';

export type SyncStatusView = {
  state: SyncState;
  pending: number;
  /** ms since epoch of the last completed sync, null when never. */
  lastSyncedAt: number | null;
  error: string | null;
};

/** What one row shows, as compared between devices. */
export type SampleView = {
  name: string;
  type: string;
  bpm: string;
  key: string;
  favourite: boolean;
  notOnDevice: boolean;
  tags: string[];
};

export class SyncDevice {
  readonly app: LibraryPage;
  readonly account: AiPage;
  /** Every request the device sent (page and workers), for checks on refreshes and pushes. */
  readonly requests: { url: string; method: string; at: number }[] = [];

  private constructor(
    readonly label: string,
    readonly session: AppSession,
  ) {
    this.app = session.app;
    this.account = new AiPage(session.page);
    const record = (r: Request) => this.requests.push({ url: r.url(), method: r.method(), at: Date.now() });
    session.context.on('request', record);
  }

  static async open(label: string): Promise<SyncDevice> {
    return new SyncDevice(label, await openApp());
  }

  /** A second tab of the app on this device (same profile and IndexedDB); closing it closes the tab. */
  async openTab(label: string): Promise<SyncDevice> {
    const page = await this.session.context.newPage();
    const app = new LibraryPage(page, this.app.baseUrl);
    await app.open();
    return new SyncDevice(label, {
      context: this.session.context,
      page,
      app,
      close: () => page.close(),
    });
  }

  get page() {
    return this.session.page;
  }

  close(): Promise<void> {
    return this.session.close();
  }

  private t(id: string): Locator {
    return this.page.locator(`[data-testid="${id}"]`);
  }

  // --- account --------------------------------------------------------------------------------

  /** Connects to the server and creates the account (then signed in), through the settings dialog. */
  async signUp(serverUrl: string, user: TestUser): Promise<void> {
    await this.account.openSettings();
    await this.account.connect(serverUrl);
    await this.account.signUp(user);
    await this.account.closeSettings();
  }

  async signIn(serverUrl: string, user: TestUser): Promise<void> {
    await this.account.openSettings();
    await this.account.connect(serverUrl);
    await this.account.signIn(user.username, user.password);
    await this.account.closeSettings();
  }

  async signedInAs(): Promise<string | null> {
    await this.account.openSettings();
    const who = await this.account.signedInAs();
    await this.account.closeSettings();
    return who;
  }

  /** "Your session ended…" in settings: the app lost its session and wants a new sign-in. */
  async sessionEnded(): Promise<boolean> {
    await this.account.openSettings();
    const ended = (await this.t('settings-session-ended').count()) > 0;
    await this.account.closeSettings();
    return ended;
  }

  // --- sync status ----------------------------------------------------------------------------

  statusLocator(): Locator {
    return this.t('sync-status');
  }

  async status(): Promise<SyncStatusView> {
    await this.t('sync-status').waitFor({ state: 'attached', timeout: 15_000 });
    return this.page.evaluate(() => {
      const q = (id: string) => document.querySelector(`[data-testid="${id}"]`);
      const at = (q('sync-last-synced') as HTMLElement | null)?.dataset.at;
      return {
        state: (q('sync-status') as HTMLElement).dataset.state as SyncState,
        pending: Number(q('sync-pending')?.textContent ?? '0'),
        lastSyncedAt: at ? Number(at) : null,
        error: q('sync-error')?.textContent ?? null,
      };
    });
  }

  async waitForState(states: SyncState[], timeout = 30_000): Promise<SyncState> {
    const handle = await this.page.waitForFunction(
      (want: string[]) => {
        const s = (document.querySelector('[data-testid="sync-status"]') as HTMLElement | null)?.dataset
          .state;
        return s && want.includes(s) ? s : null;
      },
      states as string[],
      { timeout, polling: 100 },
    );
    return (await handle.jsonValue()) as SyncState;
  }

  /**
   * Waits until everything made here is on the server and a sync finished after `since` (ms since
   * epoch; the browser and the test share the clock): state idle or follower, nothing pending, the
   * same on two looks 300 ms apart (a change made just before the call has had time to show in the
   * status). Pass a `since` taken BEFORE the change being waited for. On a timeout the error names
   * the last status and any sync error shown meanwhile.
   */
  async waitSynced(since: number, timeout = 60_000): Promise<SyncStatusView> {
    const until = Date.now() + timeout;
    const isSettled = (s: SyncStatusView) =>
      (s.state === 'idle' || s.state === 'follower') &&
      s.pending === 0 &&
      s.lastSyncedAt !== null &&
      s.lastSyncedAt >= since;
    let last: SyncStatusView | null = null;
    let settledSince: number | null = null;
    const errors = new Set<string>();
    for (;;) {
      last = await this.status();
      if (last.error) errors.add(last.error);
      if (isSettled(last)) {
        settledSince ??= Date.now();
        if (Date.now() - settledSince >= 300) return last;
      } else settledSince = null;
      if (Date.now() > until)
        throw new Error(
          `${this.label}: not synced after ${timeout} ms: ${JSON.stringify(last)}; errors shown: ${[...errors].join(' | ') || 'none'}`,
        );
      await this.page.waitForTimeout(100);
    }
  }

  /**
   * Starts recording every state the sync indicator shows (from now on, in this page), so a spec
   * can check that it never showed an error.
   */
  async recordStates(): Promise<void> {
    await this.page.evaluate(() => {
      const g = globalThis as { __syncStates?: string[]; __syncErrors?: string[] };
      g.__syncStates = [];
      g.__syncErrors = [];
      const look = () => {
        const el = document.querySelector('[data-testid="sync-status"]') as HTMLElement | null;
        const s = el?.dataset.state;
        if (s && g.__syncStates!.at(-1) !== s) g.__syncStates!.push(s);
        const err = document.querySelector('[data-testid="sync-error"]')?.textContent;
        if (err && g.__syncErrors!.at(-1) !== err) g.__syncErrors!.push(err);
      };
      look();
      new MutationObserver(look).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-state'],
        characterData: true,
      });
    });
  }

  recordedStates(): Promise<{ states: string[]; errors: string[] }> {
    return this.page.evaluate(() => {
      const g = globalThis as { __syncStates?: string[]; __syncErrors?: string[] };
      return { states: g.__syncStates ?? [], errors: g.__syncErrors ?? [] };
    });
  }

  /** "Sync now" in Settings; resolves once the button is usable again (that sync finished). */
  async syncNow(): Promise<void> {
    await this.account.openSettings();
    const button = this.t('settings-sync-now');
    await button.click();
    await this.page.waitForFunction(
      () => document.querySelector('[data-testid="settings-sync-now"]')?.textContent === 'Sync now',
    );
    await this.account.closeSettings();
  }

  async retry(): Promise<void> {
    await this.t('sync-retry').click();
  }

  /**
   * Waits until the service worker has precached the app, then reopens the app under it, so it can
   * reopen with the network off. (The reopened app syncs on start.)
   */
  async reopenUnderServiceWorker(): Promise<void> {
    await this.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await this.app.reload();
    if (!(await this.page.evaluate(() => !!navigator.serviceWorker.controller)))
      throw new Error(`${this.label}: the service worker does not control the reopened app`);
  }

  /** Cuts (or restores) this device's network, as unplugging it would. */
  async setOffline(offline: boolean): Promise<void> {
    await this.session.context.setOffline(offline);
  }

  /** Requests sent to a path (e.g. '/api/v1/auth/refresh') since `since`. */
  requestsTo(path: string, since = 0): number {
    return this.requests.filter((r) => r.at >= since && new URL(r.url).pathname === path).length;
  }

  // --- the library ----------------------------------------------------------------------------

  /** Waits until the library holds `n` samples (synced ones included). */
  async waitForLibrarySize(n: number, timeout = 60_000): Promise<void> {
    await this.page.waitForFunction(
      (n) =>
        (globalThis as unknown as { __samplemind: { store: { index: { size: number } } } }).__samplemind.store
          .index.size === n,
      n,
      { timeout, polling: 100 },
    );
  }

  async isNotOnDevice(name: string): Promise<boolean> {
    await this.app.settle();
    return (await this.app.row(name).locator('[data-testid="not-on-device"]').count()) > 0;
  }

  /** Tag names on a sample, as the detail panel lists them (sorted). */
  async tagsOf(name: string): Promise<string[]> {
    await this.app.select(name);
    await this.app.settle();
    const tags = await this.t('detail')
      .locator('[data-testid="detail-tags"] .chip')
      .evaluateAll((els) => els.map((e) => (e.textContent ?? '').replace(/^#/, '')));
    return tags.sort();
  }

  async view(name: string): Promise<SampleView> {
    const v = await this.app.rowValues(name);
    const favourite = ((await this.app.row(name).locator('.c-fav').textContent()) ?? '') === '★';
    return {
      name: v.name,
      type: v.type,
      bpm: v.bpm,
      key: v.key,
      favourite,
      notOnDevice: await this.isNotOnDevice(name),
      tags: await this.tagsOf(name),
    };
  }

  /** Names of the samples a search shows (the search is cleared afterwards). */
  async searchNames(text: string): Promise<string[]> {
    await this.app.search(text);
    const names = (await this.app.rowNames()).sort();
    await this.app.search('');
    return names;
  }

  // --- edits (through the UI) -----------------------------------------------------------------

  async addTag(names: string[], tag: string): Promise<void> {
    await this.app.select(names[0]);
    for (const n of names.slice(1)) await this.app.select(n, ['Control']);
    await this.app.addTag(tag);
  }

  async removeTag(name: string, tag: string): Promise<void> {
    await this.app.select(name);
    await this.t('tag-remove').selectOption({ label: `#${tag}` });
    await this.app.settle();
  }

  /** Toggles the favourite star of one sample and waits for the row to show it. */
  async toggleFavourite(name: string): Promise<boolean> {
    await this.app.select(name);
    const was = ((await this.app.row(name).locator('.c-fav').textContent()) ?? '') === '★';
    await this.t('favourite').click();
    await this.page.waitForFunction(
      ({ n, want }) => {
        const rows = [...document.querySelectorAll('[role="row"][data-file-id]')];
        const row = rows.find((r) => r.querySelector('.name')?.textContent === n);
        return (row?.querySelector('.c-fav')?.textContent === '★') === want;
      },
      { n: name, want: !was },
    );
    return !was;
  }

  /** BPM ×2 or ÷2 in the detail panel; resolves with the BPM the row then shows. */
  async scaleBpm(name: string, how: 'double' | 'half'): Promise<string> {
    await this.app.select(name);
    const before = (await this.app.rowValues(name)).bpm;
    await this.t(`bpm-${how}`).click();
    await this.page.waitForFunction(
      ({ n, before }) => {
        const rows = [...document.querySelectorAll('[role="row"][data-file-id]')];
        const row = rows.find((r) => r.querySelector('.name')?.textContent === n);
        return row?.querySelector('[data-col="bpm"]')?.textContent?.trim() !== before;
      },
      { n: name, before },
    );
    return (await this.app.rowValues(name)).bpm;
  }

  async setType(name: string, type: string): Promise<void> {
    await this.app.select(name);
    await this.t('type-override').selectOption(type);
    await this.page.waitForFunction(
      ({ n, type }) => {
        const rows = [...document.querySelectorAll('[role="row"][data-file-id]')];
        const row = rows.find((r) => r.querySelector('.name')?.textContent === n);
        return row?.querySelector('[data-col="type"]')?.textContent?.trim() === type;
      },
      { n: name, type },
    );
  }

  /** Sets the key correction by its label in the key menu, e.g. "Cm (5A)". */
  async setKey(name: string, label: string): Promise<void> {
    await this.app.select(name);
    await this.t('key-override').selectOption({ label });
    await this.app.settle();
  }

  // --- the remote-row presentation ------------------------------------------------------------

  /** What the detail panel offers for the focused sample: play, waveform, badge. */
  async detailAffordances(
    name: string,
  ): Promise<{ badge: boolean; playDisabled: boolean; waveform: boolean }> {
    await this.app.select(name);
    await this.app.settle();
    const detail = this.t('detail');
    return {
      badge: (await detail.locator('[data-testid="not-on-device"]').count()) > 0,
      playDisabled: await detail.locator('[data-testid="play"]').isDisabled(),
      waveform: (await detail.locator('[data-testid="waveform"]').count()) > 0,
    };
  }

  /** Whether the row can be dragged out of the app (carries the file). */
  async isDraggable(name: string): Promise<boolean> {
    return (await this.app.row(name).getAttribute('draggable')) === 'true';
  }
}
