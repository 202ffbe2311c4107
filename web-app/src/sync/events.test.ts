import { describe, expect, it } from 'vitest';
import { AccountStore, MemoryAccountPersistence } from '../account/account-store';
import { ApiClient } from '../account/api-client';
import { Backoff } from './backoff';
import { listenForPokes } from './events';

function stream(text: string): Response {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode(text));
      c.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

async function api(fetch: typeof globalThis.fetch) {
  const store = new AccountStore(new MemoryAccountPersistence(), { channelName: null });
  await store.ready;
  const now = Date.now();
  await store.update({
    serverUrl: 'http://sync.test',
    session: { accessToken: 't1', refreshToken: 'r1', expiresAt: now + 600_000, issuedAt: now },
    user: { id: 'u1', email: '', username: 'u' },
  });
  return new ApiClient(store, { fetch, locks: null });
}

describe('server pokes', () => {
  it('calls back on ready and on each poke, reconnects when the stream ends, stops on abort', async () => {
    const calls: string[] = [];
    const abort = new AbortController();
    let connections = 0;
    const fetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
      connections++;
      calls.push(`connect ${(init?.headers as Record<string, string> | undefined)?.authorization}`);
      if (connections === 1)
        return stream('event: ready\ndata: {}\n\n: keep-alive\n\nevent: poke\ndata: {"at":1}\n\n');
      if (connections === 2) return new Response('{"error":"internal","message":"down"}', { status: 503 });
      abort.abort();
      return stream('event: ready\ndata: {}\n\n');
    }) as typeof globalThis.fetch;
    await listenForPokes(
      await api(fetch),
      { signal: abort.signal, onReady: () => calls.push('ready'), onPoke: () => calls.push('poke') },
      new Backoff(1, 2),
    );
    expect(calls).toEqual(['connect Bearer t1', 'ready', 'poke', 'connect Bearer t1', 'connect Bearer t1']);
  });

  it('gives up when the session has ended', async () => {
    const fetch = (async (input: RequestInfo | URL) =>
      String(input).endsWith('/auth/refresh')
        ? new Response('{"error":"invalid-token","message":"revoked"}', { status: 401 })
        : new Response('{"error":"unauthorized","message":"expired"}', {
            status: 401,
          })) as typeof globalThis.fetch;
    const abort = new AbortController();
    const out = listenForPokes(
      await api(fetch),
      { signal: abort.signal, onReady() {}, onPoke() {} },
      new Backoff(1, 2),
    );
    await expect(out).resolves.toBeUndefined();
  });
});
