import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '../account/account';
import { AccountStore, MemoryAccountPersistence } from '../account/account-store';
import { openDb, type SampleMindDb } from '../db/database';
import type { Importer } from '../import/importer';
import { addTag, setFavourite } from '../state/library-actions';
import { type LibraryIndex, STATUS } from '../state/library-index';
import { loadLibrary } from '../state/load-library';
import { testImporter } from '../testing/test-importer';
import { Backoff } from './backoff';
import { ensureBinding } from './binding';
import { setBootstrapPaused } from './bootstrap';
import { LibrarySync, type SyncEngineOptions } from './sync-engine';
import type { SyncState } from './sync-status';
import { type SyncServer, startSyncServer } from './testing/sync-server.mjs';

let server: SyncServer;
beforeAll(async () => {
  server = await startSyncServer();
});
afterAll(async () => {
  await server?.close();
});

type Tab = {
  db: SampleMindDb;
  index: LibraryIndex;
  account: Account;
  engine: LibrarySync;
  states: SyncState[];
  requests: string[];
  importer: Importer;
};

const open: Tab[] = [];
let n = 0;

afterEach(async () => {
  for (const t of open.splice(0)) {
    await t.engine.stop();
    t.account.store.close();
    t.db.close();
    await t.db.delete();
  }
});

/** One tab of the app: its library (own database unless shared), account and sync engine. */
async function tab(
  user: { username: string; password: string },
  options: SyncEngineOptions & { dbName?: string; fetch?: typeof fetch } = {},
): Promise<Tab> {
  const db = openDb(options.dbName ?? `test-engine-${n++}`);
  const index = await loadLibrary(db);
  const requests: string[] = [];
  const transport = options.fetch ?? server.fetch;
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    requests.push(new URL(String(input)).pathname);
    return transport(input, init);
  }) as typeof globalThis.fetch;
  const account = new Account(new AccountStore(new MemoryAccountPersistence(), { channelName: null }), {
    fetch,
    locks: null,
  });
  await account.connect(server.url);
  await account.signIn(user.username, user.password);
  const engine = new LibrarySync({
    db,
    index,
    account,
    options: { events: false, lockName: null, channelName: null, backoff: new Backoff(5, 20), ...options },
  });
  const states: SyncState[] = [];
  engine.subscribe(() => {
    const s = engine.getStatus().state;
    if (states.at(-1) !== s) states.push(s);
  });
  const importer = testImporter(db, index);
  const t = { db, index, account, engine, states, requests, importer };
  open.push(t);
  return t;
}

/** Waits until the engine is idle with nothing pending and synced after `since`. */
async function settled(t: Tab, since = 0, timeout = 10_000) {
  const until = Date.now() + timeout;
  for (;;) {
    const s = t.engine.getStatus();
    if ((s.state === 'idle' || s.state === 'follower') && s.pending === 0 && (s.lastSyncedAt ?? 0) >= since)
      return s;
    if (Date.now() > until) throw new Error(`not settled: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function importText(t: Tab, name: string, text: string) {
  const blob = new Blob([text]);
  const [id] = await t.importer.add([
    { blob, name, path: `Kit/${name}`, size: blob.size, mtime: 1, folderId: null },
  ]);
  await t.importer.whenIdle();
  return id;
}

describe('the sync engine', () => {
  it('ties the library to the account, shares it, and another device sees it ("not on this device")', async () => {
    const user = await server.newUser();
    const a = await tab(user);
    // A library made before signing in is shared by the bootstrap.
    const id = await importText(a, 'kick.wav', 'kick one');
    await addTag(a.db, a.index, [id], 'Punchy');
    expect(await a.db.outbox.count()).toBe(0);
    a.engine.start();
    const status = await settled(a);
    expect(status.lastSyncedAt).toBeGreaterThan(0);
    expect(status.isLeader).toBe(true);

    const b = await tab(user);
    b.engine.start();
    await settled(b);
    expect(b.index.size).toBe(1);
    expect(b.index.status[0]).toBe(STATUS.remote);
    expect(b.index.name[0]).toBe('kick.wav');
    expect((b.index.tags[0] ?? []).map((t) => b.index.tagName(t))).toEqual(['punchy']);
    expect(b.engine.getStatus().pulled).toBeGreaterThanOrEqual(1);
  });

  it('pushes a local change by itself, and the other device gets it on its next sync', async () => {
    const user = await server.newUser();
    const a = await tab(user);
    const b = await tab(user);
    a.engine.start();
    b.engine.start();
    await Promise.all([settled(a), settled(b)]);
    const id = await importText(a, 'snare.wav', 'snare!');
    const t0 = Date.now();
    await setFavourite(a.db, a.index, [id], true);
    await settled(a, t0);
    expect(await a.db.outbox.count()).toBe(0);
    await b.engine.syncNow();
    const r = b.index.rowOfFile((await b.db.files.toCollection().primaryKeys())[0] as number);
    expect(b.index.favourite[r]).toBe(1);
  });

  it('refreshes an expired access token during sync without showing an error', async () => {
    const user = await server.newUser();
    const a = await tab(user);
    a.engine.start();
    await settled(a);
    // The token the device holds no longer works (expired, or the server's keys rotated).
    const s = a.account.store.get().session!;
    await a.account.store.update({ session: { ...s, accessToken: `${s.accessToken}x` } });
    a.states.length = 0;
    const id = await importText(a, 'hat.wav', 'hat');
    await settled(a, Date.now());
    expect(a.requests.filter((p) => p === '/api/v1/auth/refresh')).toHaveLength(1);
    expect(a.states).not.toContain('error');
    expect(a.engine.getStatus().error).toBeNull();
    expect(await a.db.files.get(id)).toBeDefined();
  });

  it('ends a sync the browser went offline during as "offline", not "idle"', async () => {
    const user = await server.newUser();
    let isOnline = true;
    let drops = 1;
    // The connection drops while the pull is answered (the 'offline' event has nothing to listen
    // to in Node; the engine's own end-of-sync check must see it).
    const dropping = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const res = await server.fetch(input, init);
      if (String(input).includes('/sync/pull') && drops-- > 0) isOnline = false;
      return res;
    }) as typeof fetch;
    const a = await tab(user, { fetch: dropping, isOnline: () => isOnline });
    a.engine.start();
    await a.engine.syncNow();
    expect(a.states).toContain('syncing');
    expect(a.engine.getStatus().state).toBe('offline');
    expect(a.states.at(-1)).toBe('offline');
    // Back online: the next sync ends idle.
    isOnline = true;
    await a.engine.syncNow();
    expect(a.engine.getStatus().state).toBe('idle');
  });

  it('backs off on server errors, shows the error, and recovers by itself with nothing lost', async () => {
    const user = await server.newUser();
    let failures = 3;
    const flaky = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).includes('/sync/') && failures > 0) {
        failures--;
        return new Response(JSON.stringify({ error: 'internal', message: 'The server had a problem.' }), {
          status: 503,
        });
      }
      return server.fetch(input, init);
    }) as typeof fetch;
    const a = await tab(user, { fetch: flaky });
    await importText(a, 'tom.wav', 'tom tom');
    a.engine.start();
    await settled(a);
    expect(a.states).toContain('error');
    expect(a.states.at(-1)).toBe('idle');
    const b = await tab(user);
    b.engine.start();
    await settled(b);
    expect(b.index.size).toBe(1);
  });

  it('stops when signed out (changes keep queueing) and goes on when signed in again', async () => {
    const user = await server.newUser();
    const a = await tab(user);
    const id = await importText(a, 'clap.wav', 'clap');
    a.engine.start();
    await settled(a);
    await a.account.signOut();
    await new Promise((r) => setTimeout(r, 20));
    expect(a.engine.getStatus().state).toBe('off');
    await setFavourite(a.db, a.index, [id], true);
    expect(await a.db.outbox.count()).toBe(1);
    await a.account.signIn(user.username, user.password);
    await settled(a, Date.now());
    expect(await a.db.outbox.count()).toBe(0);
  });

  it('pauses the first description of a library (no pull meanwhile) and resumes it', async () => {
    const user = await server.newUser();
    const other = await tab(user);
    await importText(other, 'shaker.wav', 'shaker');
    other.engine.start();
    await settled(other);

    const a = await tab(user);
    await importText(a, 'conga.wav', 'conga');
    await ensureBinding(a.db, server.url, a.account.state.user!.id);
    await setBootstrapPaused(a.db, true);
    a.engine.start();
    await waitFor(async () => a.engine.getStatus().state === 'idle');
    expect(a.engine.getStatus()).toMatchObject({
      bootstrap: { done: 0, total: 1, isPaused: true },
      lastSyncedAt: null,
    });
    expect(a.index.size).toBe(1);
    const resumed = Date.now();
    await a.engine.setBootstrapPaused(false);
    await settled(a, resumed);
    expect(a.engine.getStatus().bootstrap).toBeNull();
    expect(a.index.size).toBe(2);
  });

  it('lets one tab sync: the other follows, hands its changes over and refreshes from what the leader pulled', {
    timeout: 20_000,
  }, async () => {
    const user = await server.newUser();
    const locks = fakeLocks();
    const channelName = `sync-test-${n}`;
    const dbName = `test-engine-shared-${n++}`;
    const leader = await tab(user, { dbName, locks, lockName: 'leader', channelName });
    leader.engine.start();
    await settled(leader);
    const follower = await tab(user, { dbName, locks, lockName: 'leader', channelName });
    follower.engine.start();
    await settled(follower);
    expect(follower.engine.getStatus()).toMatchObject({ state: 'follower', isLeader: false });

    // An edit in the follower is pushed by the leader.
    const id = await importText(follower, 'rim.wav', 'rim shot');
    await waitFor(
      async () => (await leader.db.outbox.count()) === 0 && leader.engine.getStatus().state === 'idle',
    );
    expect(follower.requests.filter((p) => p.startsWith('/api/v1/sync/'))).toEqual([]);

    // Another device's change arrives through the leader; the follower's index follows.
    const other = await tab(user);
    other.engine.start();
    await settled(other);
    const [otherId] = (await other.db.files.toCollection().primaryKeys()) as number[];
    await addTag(other.db, other.index, [otherId], 'shared');
    await settled(other, Date.now());
    await leader.engine.syncNow();
    await waitFor(async () => (follower.index.tags[follower.index.rowOfFile(id)] ?? []).length === 1);

    // The leader goes away: the follower takes over.
    const handover = Date.now();
    await leader.engine.stop();
    await waitFor(async () => follower.engine.getStatus().isLeader);
    await settled(follower, handover);
  });
});

async function waitFor(check: () => Promise<boolean>, timeout = 10_000) {
  const until = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Exclusive Web Locks within this process (what navigator.locks does between tabs). */
function fakeLocks(): LockManager {
  const queues = new Map<string, (() => void)[]>();
  const held = new Set<string>();
  const request = (
    name: string,
    options: LockOptions | ((lock: Lock | null) => unknown),
    maybe?: (lock: Lock | null) => unknown,
  ) => {
    const callback = (typeof options === 'function' ? options : maybe)!;
    const signal = typeof options === 'function' ? undefined : options.signal;
    return new Promise((resolve, reject) => {
      const run = () => {
        held.add(name);
        Promise.resolve(callback({ name, mode: 'exclusive' } as Lock))
          .then(resolve, reject)
          .finally(() => {
            held.delete(name);
            queues.get(name)?.shift()?.();
          });
      };
      if (!held.has(name)) return run();
      const q = queues.get(name) ?? [];
      queues.set(name, q);
      q.push(run);
      signal?.addEventListener('abort', () => {
        const i = q.indexOf(run);
        if (i >= 0) q.splice(i, 1);
        reject(new DOMException('aborted', 'AbortError'));
      });
    });
  };
  return { request, query: async () => ({ held: [], pending: [] }) } as unknown as LockManager;
}
