import type { Account } from '../account/account';
import { isApiError } from '../account/api-error';
import type { SampleMindDb } from '../db/database';
import type { LibraryIndex } from '../state/library-index';
import { Backoff, sleep } from './backoff';
import { ensureBinding, recoverLostMutations } from './binding';
import { setBootstrapPaused } from './bootstrap';
import { listenForPokes } from './events';
import { patchIndex, refreshIndex } from './index-patch';
import { LeaderElection, SyncChannel, type SyncMessage } from './leader';
import { onLocalChange } from './notify';
import type { IndexPatch } from './project';
import { LostMutations } from './push';
import { syncCycle } from './sync-cycle';
import { OFF_STATUS, type SyncEngine, type SyncStatus, statusAfterFailure } from './sync-status';
import { getLastSyncedAt } from './sync-store';
import { Throttle } from './throttle';

export type SyncEngineOptions = {
  /** Listen to server pokes (SSE); default true. */
  events?: boolean;
  /** Pull at least this often while idle (ms); default 60 s. */
  periodMs?: number;
  /** Web Lock name for the leader election; null = no election (this tab syncs). */
  lockName?: string | null;
  /** The Web Locks API (default navigator.locks; tests pass their own). */
  locks?: LockManager | null;
  /** BroadcastChannel name between tabs; null = none. */
  channelName?: string | null;
  /** Back-off between failed attempts (tests pass a fast one). */
  backoff?: Backoff;
  /** Whether the browser says it is online (default navigator.onLine). */
  isOnline?: () => boolean;
};

export type SyncEngineDeps = {
  db: SampleMindDb;
  index: LibraryIndex;
  account: Account;
  /** The library changed under the app (pulled, or edited in another tab): re-render. */
  onLibraryChanged?: (what: { collections: boolean }) => void;
  options?: SyncEngineOptions;
};

/** More hashes than this in one sync: other tabs reload their whole index instead of patching. */
const BROADCAST_HASHES = 2000;
/**
 * Pulled pages re-render the library at most this often. A render walks the whole index (facet
 * counts, the view's query), ~100 ms at 100k rows, and a first sync applies a page a second.
 */
const PULL_RENDER_MS = 2000;

/**
 * Pushes this library's pending mutations and pulls the account's changes: on start, when the
 * browser comes online, on a server poke, every minute, and right after a local change. One tab
 * (the leader) does it; the others follow its status and refresh their index from what it wrote.
 */
export class LibrarySync implements SyncEngine {
  private status: SyncStatus = { ...OFF_STATUS };
  private readonly listeners = new Set<() => void>();
  private readonly election: LeaderElection;
  private channel: SyncChannel | null = null;
  private readonly backoff: Backoff;
  private readonly options: Required<
    Omit<SyncEngineOptions, 'backoff' | 'lockName' | 'channelName' | 'locks'>
  > & {
    lockName: string | null;
    channelName: string | null;
  };
  private isStarted = false;
  private leading: AbortController | null = null;
  private loopDone: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  private isDirty = false;
  private waiters: { after: number; resolve: () => void }[] = [];
  private cycleSeq = 0;
  private cleanups: (() => void)[] = [];
  private eventsAbort: AbortController | null = null;
  private pendingTimer: ReturnType<typeof setTimeout> | null = null;
  /** The pulled count goes to listeners at most twice a second (a first sync moves it often). */
  private readonly pulledNotice = new Throttle(500, () => this.notify());
  private readonly render = new Throttle(PULL_RENDER_MS, () => {
    const collections = this.isCollectionChangeUnrendered;
    this.isCollectionChangeUnrendered = false;
    this.deps.onLibraryChanged?.({ collections });
  });
  private isCollectionChangeUnrendered = false;
  private boundTo: string | null = null;

  constructor(private readonly deps: SyncEngineDeps) {
    const o = deps.options ?? {};
    this.options = {
      events: o.events ?? true,
      periodMs: o.periodMs ?? 60_000,
      lockName: o.lockName === undefined ? 'samplemind-sync-leader' : o.lockName,
      channelName: o.channelName === undefined ? 'samplemind-sync' : o.channelName,
      isOnline: o.isOnline ?? (() => globalThis.navigator?.onLine ?? true),
    };
    this.backoff = o.backoff ?? new Backoff();
    this.election = new LeaderElection(
      this.options.lockName ?? '',
      this.options.lockName === null ? null : o.locks,
    );
  }

  getStatus = (): SyncStatus => this.status;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): void {
    if (this.isStarted) return;
    this.isStarted = true;
    this.channel = new SyncChannel(this.options.channelName, (m) => void this.onMessage(m));
    const store = this.deps.account.store;
    this.cleanups.push(store.subscribe(() => void this.onAccount()));
    this.cleanups.push(
      onLocalChange((c) => {
        if (c.db !== this.deps.db.name) return;
        if (c.enqueued) {
          this.schedulePendingCount();
          if (this.election.isLeader) this.kick();
          else this.channel?.post({ type: 'outbox' });
        }
        this.channel?.post({ type: 'changed', hashes: c.hashes, collections: c.collections });
      }),
    );
    const online = () => {
      this.restartEvents();
      this.kick();
    };
    const offline = () => this.set({ state: this.leading ? 'offline' : this.status.state });
    globalThis.addEventListener?.('online', online);
    globalThis.addEventListener?.('offline', offline);
    this.cleanups.push(() => {
      globalThis.removeEventListener?.('online', online);
      globalThis.removeEventListener?.('offline', offline);
    });
    void this.init();
  }

  private async init() {
    const { db } = this.deps;
    this.set({ lastSyncedAt: await getLastSyncedAt(db), pending: await db.outbox.count() });
    await this.deps.account.store.ready;
    await this.onAccount();
  }

  async stop(): Promise<void> {
    if (!this.isStarted) return;
    this.isStarted = false;
    for (const c of this.cleanups.splice(0)) c();
    await this.stopLeading();
    this.election.stop();
    this.channel?.close();
    this.channel = null;
    if (this.pendingTimer) clearTimeout(this.pendingTimer);
    this.pulledNotice.cancel();
    this.render.flush();
  }

  syncNow(): Promise<void> {
    const after = this.cycleSeq;
    const done = new Promise<void>((resolve) => this.waiters.push({ after, resolve }));
    if (this.election.isLeader) this.kick();
    else {
      this.channel?.post({ type: 'sync-now' });
      // A follower cannot see the leader's cycles end; its next status message is near enough.
      return Promise.race([done, sleep(30_000)]);
    }
    return done;
  }

  retry(): void {
    this.backoff.reset();
    if (this.election.isLeader) this.kick();
    else this.channel?.post({ type: 'sync-now' });
  }

  async setBootstrapPaused(paused: boolean): Promise<void> {
    await setBootstrapPaused(this.deps.db, paused);
    const b = this.status.bootstrap;
    if (b) this.set({ bootstrap: { done: b.done, total: b.total, ...(paused ? { isPaused: true } : {}) } });
    if (this.election.isLeader) this.kick();
    else this.channel?.post({ type: 'sync-now' });
  }

  // --- account and leadership --------------------------------------------------------------

  private signedInAs(): { serverUrl: string; userId: string } | null {
    const s = this.deps.account.store.get();
    if (!s.loaded || !s.serverUrl || !s.session || !s.user) return null;
    return { serverUrl: s.serverUrl, userId: s.user.id };
  }

  private async onAccount() {
    if (!this.isStarted) return;
    const who = this.signedInAs();
    const key = who ? `${who.serverUrl} ${who.userId}` : null;
    if (key === this.boundTo) return;
    this.boundTo = key;
    if (!who) {
      await this.stopLeading();
      this.election.stop();
      const ended = this.deps.account.store.get().endedReason;
      this.set({ state: 'off', isLeader: false, error: ended, bootstrap: null });
      return;
    }
    await this.stopLeading();
    this.election.stop();
    this.set({ state: 'follower', isLeader: false, error: null });
    this.election.start(() => {
      if (this.boundTo !== key) return;
      const abort = new AbortController();
      this.leading = abort;
      this.set({ isLeader: true, state: 'syncing' });
      this.loopDone = this.lead(who, abort.signal);
    });
  }

  private async stopLeading() {
    this.leading?.abort();
    this.leading = null;
    this.eventsAbort?.abort();
    this.eventsAbort = null;
    this.wake?.();
    await this.loopDone;
  }

  // --- the leader's loop -------------------------------------------------------------------

  private kick() {
    this.isDirty = true;
    this.wake?.();
  }

  private async lead(who: { serverUrl: string; userId: string }, signal: AbortSignal): Promise<void> {
    const { db, index } = this.deps;
    try {
      const removed = await ensureBinding(db, who.serverUrl, who.userId);
      if (removed?.length) {
        index.remove(removed);
        this.changed(null, true);
      }
    } catch (e) {
      this.fail(e);
      return;
    }
    this.isDirty = true;
    while (!signal.aborted) {
      if (!this.isDirty) await this.idle(this.options.periodMs);
      if (signal.aborted) break;
      this.isDirty = false;
      const seq = ++this.cycleSeq;
      try {
        await this.cycle(signal);
        this.backoff.reset();
        if (!this.eventsAbort && this.options.events) this.restartEvents();
      } catch (e) {
        if (signal.aborted) break;
        if (e instanceof LostMutations) {
          await recoverLostMutations(db).catch((err) => this.fail(err));
          this.isDirty = true;
          continue;
        }
        this.fail(e);
        if (isApiError(e) && (e.kind === 'signed-out' || e.kind === 'no-server')) break;
        await this.idle(this.backoff.next());
        this.isDirty = true;
      } finally {
        this.settleWaiters(seq);
      }
    }
    this.settleWaiters(Number.POSITIVE_INFINITY);
  }

  /** Waits for a kick (local change, poke, online, syncNow) or `ms`. */
  private async idle(ms: number) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      timer = setTimeout(resolve, ms);
    });
    clearTimeout(timer);
    this.wake = null;
  }

  private settleWaiters(seq: number) {
    const ready = this.waiters.filter((x) => x.after < seq);
    this.waiters = this.waiters.filter((x) => x.after >= seq);
    for (const w of ready) w.resolve();
  }

  private async cycle(signal: AbortSignal): Promise<void> {
    if (!this.options.isOnline()) {
      this.set({ state: 'offline' });
      throw Object.assign(new Error('offline'), { isOffline: true });
    }
    this.set({ state: 'syncing' });
    const out = await syncCycle(this.deps.db, this.deps.account.api, {
      signal,
      onBootstrap: (p) => this.set({ bootstrap: p }),
      candidates: (hashes) => this.deps.index.filesWithHashes(hashes),
      onPushed: () => this.refreshPending(),
      onApplied: async (patch, entities, isLast) => {
        await this.patch(patch);
        // The end of a pull shows at once, not at the next render slot.
        if (isLast) this.render.flush();
        if (entities) this.countPulled(entities);
      },
    });
    // The last pages show now, not at the next render slot.
    this.render.flush();
    if (signal.aborted) return;
    if (out.hashes.size || out.collections)
      this.changed(out.hashes.size > BROADCAST_HASHES ? null : [...out.hashes], out.collections, false);
    await this.refreshPending();
    // The browser may have gone offline while this cycle ran (its 'offline' event set the state,
    // which 'idle' must not paper over).
    const state = this.options.isOnline() ? 'idle' : 'offline';
    if (out.didPull) this.set({ state, lastSyncedAt: out.syncedAt, error: null });
    else this.set({ state, error: null });
  }

  private async patch(p: IndexPatch) {
    await patchIndex(this.deps.db, this.deps.index, p);
    this.isCollectionChangeUnrendered ||= p.collectionsChanged || p.collections.size > 0;
    this.render.request();
  }

  /** Tells other tabs (and, when `local`, this one) that the library changed. */
  private changed(hashes: string[] | null, collections: boolean, local = true) {
    if (local) this.deps.onLibraryChanged?.({ collections });
    this.channel?.post({ type: 'changed', hashes, collections });
  }

  private restartEvents() {
    if (!this.leading || !this.options.events) return;
    this.eventsAbort?.abort();
    const abort = new AbortController();
    this.eventsAbort = abort;
    const leading = this.leading.signal;
    leading.addEventListener('abort', () => abort.abort(), { once: true });
    void listenForPokes(this.deps.account.api, {
      signal: abort.signal,
      onPoke: () => this.kick(),
      onReady: () => this.kick(),
    });
  }

  private fail(e: unknown) {
    this.set(statusAfterFailure(e, this.backoff.failures));
  }

  // --- status ------------------------------------------------------------------------------

  private set(patch: Partial<SyncStatus>) {
    const next = { ...this.status, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.status)) return;
    this.status = next;
    if (this.election.isLeader && ('lastSyncedAt' in patch || 'error' in patch || 'state' in patch))
      this.channel?.post({
        type: 'status',
        lastSyncedAt: next.lastSyncedAt,
        error: next.error,
        state: next.state,
      });
    this.notify();
  }

  /** Adds to the pulled count; any other status change tells listeners at once, with it. */
  private countPulled(n: number) {
    this.status = { ...this.status, pulled: this.status.pulled + n };
    this.pulledNotice.request();
  }

  private notify() {
    for (const l of this.listeners) l();
  }

  private async refreshPending() {
    this.set({ pending: await this.deps.db.outbox.count() });
  }

  private schedulePendingCount() {
    if (this.pendingTimer) return;
    this.pendingTimer = setTimeout(() => {
      this.pendingTimer = null;
      void this.refreshPending();
    }, 50);
  }

  private async onMessage(m: SyncMessage) {
    switch (m.type) {
      case 'outbox':
        this.schedulePendingCount();
        if (this.election.isLeader) this.kick();
        break;
      case 'sync-now':
        if (this.election.isLeader) {
          this.backoff.reset();
          this.kick();
        }
        break;
      case 'status':
        if (!this.election.isLeader && this.boundTo) {
          this.set({ lastSyncedAt: m.lastSyncedAt, error: m.error, state: 'follower' });
          this.schedulePendingCount();
          // The leader finished a sync (or failed): a follower's syncNow() is answered.
          if (m.state !== 'syncing') for (const w of this.waiters.splice(0)) w.resolve();
        }
        break;
      case 'changed':
        await refreshIndex(this.deps.db, this.deps.index, m.hashes, m.collections);
        this.deps.onLibraryChanged?.({ collections: m.collections });
        break;
    }
  }
}
