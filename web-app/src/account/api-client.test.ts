import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../e2e/pages/ai-server';
import { Account, normaliseServerUrl } from './account';
import {
  AccountStore,
  IdbAccountPersistence,
  MemoryAccountPersistence,
  parsePersisted,
} from './account-store';
import type { LockLike } from './api-client';
import { type ApiError, isApiError } from './api-error';

// Against a real server-lite (child process). Access tokens live 10 s there, so one test can watch
// a token really expire.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ providers: [], env: { ACCESS_TOKEN_TTL_SEC: '10' } });
}, 90_000);
afterAll(async () => {
  await server?.stop();
});

type Call = { method: string; path: string; status: number };
let calls: Call[] = [];
beforeEach(() => {
  calls = [];
});

/** fetch that records what went over the wire. */
const recordingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const url = new URL(String(input));
  calls.push({ method: init?.method ?? 'GET', path: url.pathname, status: res.status });
  return res;
};
const refreshes = () => calls.filter((c) => c.path === '/api/v1/auth/refresh');

/** In-process stand-in for navigator.locks (Node has no Web Locks). */
function memoryLocks(): LockLike {
  const tails = new Map<string, Promise<unknown>>();
  return {
    request<T>(name: string, cb: () => Promise<T>): Promise<T> {
      const run = (tails.get(name) ?? Promise.resolve()).then(cb, cb);
      tails.set(
        name,
        run.catch(() => {}),
      );
      return run;
    },
  };
}

let n = 0;
const uniqueUser = () => {
  n++;
  const id = `${Date.now().toString(36)}${n}`;
  return { email: `u${id}@example.com`, username: `u${id}`, password: 'correct horse battery' };
};

async function signedInAccount(options: { now?: () => number; persistence?: MemoryAccountPersistence } = {}) {
  const store = new AccountStore(options.persistence ?? new MemoryAccountPersistence(), {
    channelName: null,
  });
  const account = new Account(store, {
    fetch: recordingFetch,
    locks: null,
    ...(options.now ? { now: options.now } : {}),
  });
  await account.connect(server.url);
  const user = uniqueUser();
  await account.signUp(user);
  calls = [];
  return { account, store, user };
}

/** Makes the stored access token one the server refuses (as an expired one is), without the client knowing. */
async function spoilAccessToken(store: AccountStore) {
  const s = store.get().session!;
  await store.update({
    session: { ...s, accessToken: `${s.accessToken.slice(0, -4)}AAAA`, expiresAt: Date.now() + 3_600_000 },
  });
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (isApiError(e)) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('server URL', () => {
  it('normalises what people type', () => {
    expect(normaliseServerUrl(' localhost:8080/ ')).toBe('http://localhost:8080');
    expect(normaliseServerUrl('sm.example.com/base/')).toBe('https://sm.example.com/base');
    expect(normaliseServerUrl('http://127.0.0.1:9/x?y#z')).toBe('http://127.0.0.1:9/x');
    expect(() => normaliseServerUrl('ftp://x')).toThrow(/http/);
    expect(() => normaliseServerUrl('   ')).toThrow(/address/);
  });

  it('connects only to something that answers like server-lite', async () => {
    const account = new Account(new AccountStore(new MemoryAccountPersistence(), { channelName: null }));
    const bad = await rejection(account.connect('http://127.0.0.1:9'));
    expect(bad.kind).toBe('unreachable');
    expect(account.state.serverUrl).toBeNull();
    expect(await account.connect(`${server.url}/`)).toBe(server.url);
    expect(account.state.serverUrl).toBe(server.url);
  });
});

describe('sign up, sign in, sign out', () => {
  it('signs up, keeps the session across a reload, and signs out on the server too', async () => {
    const persistence = new MemoryAccountPersistence();
    const { account, user } = await signedInAccount({ persistence });
    expect(account.state.user?.username).toBe(user.username);

    // A new page load reads the same persisted account and is signed in.
    const again = new Account(new AccountStore(persistence, { channelName: null }), {
      fetch: recordingFetch,
    });
    await again.store.ready;
    expect(again.state.session?.refreshToken).toBe(account.state.session?.refreshToken);
    expect((await again.refreshUser()).username).toBe(user.username);

    const oldAccess = account.state.session!.accessToken;
    await account.signOut();
    expect(account.state.session).toBeNull();
    expect(account.state.endedReason).toBeNull();
    // The server revoked it: the old token no longer works anywhere.
    const res = await fetch(`${server.url}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${oldAccess}` },
    });
    expect(res.status).toBe(401);
  });

  it('signs in by email, and maps the server errors to readable ApiErrors', async () => {
    const { account, user } = await signedInAccount();
    await account.signOut();
    expect((await account.signIn(user.email, user.password)).username).toBe(user.username);

    const other = new Account(new AccountStore(new MemoryAccountPersistence(), { channelName: null }), {
      fetch: recordingFetch,
    });
    const noServer = await rejection(other.signIn('x', 'y'));
    expect(noServer.kind).toBe('no-server');
    await other.connect(server.url);

    const wrong = await rejection(other.signIn(user.username, 'not the password'));
    expect(wrong).toMatchObject({ kind: 'http', status: 401, code: 'unauthorized' });
    expect(wrong.message).toMatch(/wrong username\/email or password/i);
    // A refused login is not a session that ended: no refresh was tried, nothing was stored.
    expect(refreshes()).toHaveLength(0);
    expect(other.state.endedReason).toBeNull();

    const taken = await rejection(other.signUp({ ...uniqueUser(), username: user.username }));
    expect(taken).toMatchObject({ status: 409, code: 'username-taken' });

    const invalid = await rejection(other.signUp({ ...uniqueUser(), password: 'short' }));
    expect(invalid).toMatchObject({ status: 400, code: 'validation' });
    expect(invalid.message).toMatch(/password/);

    const ctl = new AbortController();
    ctl.abort();
    const cancelled = await rejection(account.api.json('/api/v1/auth/me', { signal: ctl.signal }));
    expect(cancelled.kind).toBe('cancelled');
  });
});

describe('token refresh', () => {
  it('401 → refresh → retry, and stores the rotated pair', async () => {
    const { account, store } = await signedInAccount();
    const before = store.get().session!;
    await spoilAccessToken(store);
    const me = await account.api.json<{ username: string }>('/api/v1/auth/me');
    expect(me.username).toBe(account.state.user?.username);
    expect(calls.map((c) => `${c.path} ${c.status}`)).toEqual([
      '/api/v1/auth/me 401',
      '/api/v1/auth/refresh 200',
      '/api/v1/auth/me 200',
    ]);
    const after = store.get().session!;
    // Rotated (the access token may be byte-identical: same claims within the same second).
    expect(after.refreshToken).not.toBe(before.refreshToken);
  });

  it('is single-flight: concurrent requests with a dead token share one refresh', async () => {
    const { account, store } = await signedInAccount();
    await spoilAccessToken(store);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => account.api.json<{ username: string }>('/api/v1/auth/me')),
    );
    expect(results.every((r) => r.username === account.state.user?.username)).toBe(true);
    expect(refreshes()).toHaveLength(1);
    // Had two refreshes spent the same refresh token, the server would have revoked the session.
    calls = [];
    await account.api.json('/api/v1/auth/me');
    expect(calls.map((c) => c.status)).toEqual([200]);
  });

  it("refreshes before sending when the token has expired by this device's clock (no wasted 401)", async () => {
    const { account, store } = await signedInAccount();
    const s = store.get().session!;
    await store.update({ session: { ...s, expiresAt: Date.now() - 1 } });
    await account.api.json('/api/v1/auth/me');
    expect(calls.map((c) => `${c.path} ${c.status}`)).toEqual([
      '/api/v1/auth/refresh 200',
      '/api/v1/auth/me 200',
    ]);
  });

  it('survives a token that really expired on the server', async () => {
    // The client's clock is held still, so it believes the token is fresh and sends it.
    const frozen = Date.now();
    const { account } = await signedInAccount({ now: () => frozen });
    await new Promise((r) => setTimeout(r, 11_000));
    const me = await account.api.json<{ username: string }>('/api/v1/auth/me');
    expect(me.username).toBe(account.state.user?.username);
    expect(calls.map((c) => `${c.path} ${c.status}`)).toEqual([
      '/api/v1/auth/me 401',
      '/api/v1/auth/refresh 200',
      '/api/v1/auth/me 200',
    ]);
  }, 30_000);

  it('a session revoked elsewhere signs this device out, with the reason', async () => {
    const { account, store } = await signedInAccount();
    // Another device (or the user, on the server) ends this session.
    const res = await fetch(`${server.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${store.get().session!.accessToken}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(res.status).toBe(204);
    const err = await rejection(account.api.json('/api/v1/auth/me'));
    expect(err).toMatchObject({ kind: 'signed-out', code: 'session-ended' });
    expect(store.get().session).toBeNull();
    expect(store.get().user).toBeNull();
    expect(store.get().endedReason).toMatch(/revoked/);
    // From now on calls fail at once, without touching the network.
    calls = [];
    expect((await rejection(account.api.json('/api/v1/auth/me'))).kind).toBe('signed-out');
    expect(calls).toHaveLength(0);
  });

  it('a reused refresh token (stolen and spent elsewhere) signs out', async () => {
    const { account, store } = await signedInAccount();
    const stolen = store.get().session!.refreshToken;
    const res = await fetch(`${server.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: stolen }),
    });
    expect(res.status).toBe(200);
    await spoilAccessToken(store);
    const err = await rejection(account.api.json('/api/v1/auth/me'));
    expect(err.kind).toBe('signed-out');
    expect(store.get().endedReason).toMatch(/reuse/);
  });

  it('two tabs sharing the stored tokens refresh once between them', async () => {
    const name = `samplemind-account-test-${Date.now()}`;
    const locks = memoryLocks();
    const tabA = new AccountStore(new IdbAccountPersistence(name), { channelName: null });
    const a = new Account(tabA, { fetch: recordingFetch, locks });
    await a.connect(server.url);
    const user = uniqueUser();
    await a.signUp(user);
    await spoilAccessToken(tabA);
    const tabB = new AccountStore(new IdbAccountPersistence(name), { channelName: null });
    const b = new Account(tabB, { fetch: recordingFetch, locks });
    await tabB.ready;
    expect(tabB.get().session?.accessToken).toBe(tabA.get().session?.accessToken);
    calls = [];

    const [ra, rb] = await Promise.all([
      a.api.json<{ username: string }>('/api/v1/auth/me'),
      b.api.json<{ username: string }>('/api/v1/auth/me'),
    ]);
    expect([ra.username, rb.username]).toEqual([user.username, user.username]);
    expect(refreshes()).toHaveLength(1);
    // Both tabs still hold a working session (no reuse revocation).
    await tabA.reload();
    await tabB.reload();
    expect(tabA.get().session?.refreshToken).toBe(tabB.get().session?.refreshToken);
    await a.api.json('/api/v1/auth/me');
    await b.api.json('/api/v1/auth/me');
    expect(tabB.get().session).not.toBeNull();
  });
});

describe('persisted state', () => {
  it('drops damaged or partial records instead of trusting them', () => {
    expect(parsePersisted(null).serverUrl).toBeNull();
    expect(parsePersisted({ serverUrl: 'http://x', session: { accessToken: 'a' } }).session).toBeNull();
    // Tokens without a server are meaningless.
    expect(
      parsePersisted({ serverUrl: null, session: { accessToken: 'a', refreshToken: 'r', expiresAt: 1 } })
        .session,
    ).toBeNull();
    const ok = parsePersisted({
      serverUrl: 'http://x',
      session: { accessToken: 'a', refreshToken: 'r', expiresAt: 5, issuedAt: 1 },
      user: { id: 'u', email: 'e', username: 'n' },
    });
    expect(ok.session?.refreshToken).toBe('r');
    expect(ok.user?.username).toBe('n');
  });
});
