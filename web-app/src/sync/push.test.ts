import 'fake-indexeddb/auto';
import { type Mutation, mutationSchema } from '@samplemind/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountStore, MemoryAccountPersistence } from '../account/account-store';
import { ApiClient } from '../account/api-client';
import { openDb, type SampleMindDb } from '../db/database';
import { rng, syntheticResult } from '../dev/synthetic';
import { setFavourite } from '../state/library-actions';
import type { LibraryIndex } from '../state/library-index';
import { loadLibrary } from '../state/load-library';
import { fileRow } from '../testing/rows';
import { enqueue, withSyncTables } from './outbox';
import { LostMutations, pushOnce, toMutations } from './push';
import { bindForTest } from './testing/bind';

const ME = 'client-test-1';
const H1 = 'a1'.repeat(16);
const H2 = 'b2'.repeat(16);
let db: SampleMindDb;
let index: LibraryIndex;
let n = 0;

type Sent = { url: string; auth: string | null; body: { mutations: Mutation[] } | null };

/** A stand-in for the server's push endpoint: answers from a script, records what it got. */
function scripted(answers: ((req: Sent) => Response)[]) {
  const sent: Sent[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    const req: Sent = {
      url: String(input),
      auth: headers.authorization ?? null,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : null,
    };
    sent.push(req);
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${req.url}`);
    return next(req);
  };
  return { fetch: fetch as typeof globalThis.fetch, sent };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
/** The server applied everything up to `last`. */
const applied = (last: number) => () => json(200, { results: [], clients: { [ME]: last } });

async function client(fetch: typeof globalThis.fetch, accessToken = 'token-1') {
  const store = new AccountStore(new MemoryAccountPersistence(), { channelName: null });
  await store.ready;
  const now = Date.now();
  await store.update({
    serverUrl: 'http://sync.test',
    session: { accessToken, refreshToken: 'refresh-1', expiresAt: now + 600_000, issuedAt: now },
    user: { id: 'u1', email: 'a@b.c', username: 'a' },
  });
  return new ApiClient(store, { fetch, locks: null });
}

beforeEach(async () => {
  db = openDb(`test-push-${n++}`);
  await db.files.bulkAdd([
    fileRow('a.wav', { id: 1, contentHash: H1 }),
    fileRow('b.wav', { id: 2, contentHash: H2 }),
  ]);
  index = await loadLibrary(db);
  await bindForTest(db, ME);
});

afterEach(async () => {
  db.close();
  await db.delete();
});

async function queueFavourites(count: number) {
  for (let i = 0; i < count; i++) await setFavourite(db, index, [1 + (i % 2)], i % 4 < 2);
}

describe('pushing the outbox', () => {
  it('sends batches in order and drops what the server acknowledged', async () => {
    await queueFavourites(5);
    const s = scripted([applied(3), applied(5)]);
    const api = await client(s.fetch);
    const first = await pushOnce(db, api, ME, { maxBatch: 3 });
    expect(first).toMatchObject({ sent: 3, acked: 3 });
    expect(s.sent[0].body!.mutations.map((m) => m.mutationId)).toEqual([1, 2, 3]);
    expect(
      s.sent[0].body!.mutations.every((m) => m.clientId === ME && mutationSchema.safeParse(m).success),
    ).toBe(true);
    await pushOnce(db, api, ME, { maxBatch: 3 });
    expect(s.sent[1].body!.mutations.map((m) => m.mutationId)).toEqual([4, 5]);
    expect(await db.outbox.count()).toBe(0);
    expect((await pushOnce(db, api, ME)).isEmpty).toBe(true);
  });

  it('on 409 keeps only what was not applied and resends from there', async () => {
    await queueFavourites(4);
    // An earlier batch is still on its way: the server has 1 and rejects 3-4 as out of order.
    const s = scripted([() => json(409, { results: [], clients: { [ME]: 2 } }), applied(4)]);
    const api = await client(s.fetch);
    await pushOnce(db, api, ME);
    expect((await db.outbox.toArray()).map((r) => r.mutationId)).toEqual([3, 4]);
    await pushOnce(db, api, ME);
    expect(s.sent[1].body!.mutations.map((m) => m.mutationId)).toEqual([3, 4]);
    expect(await db.outbox.count()).toBe(0);
  });

  it('says so when the server lost mutations it had acknowledged', async () => {
    await queueFavourites(3);
    await db.outbox.bulkDelete([1, 2]);
    const api = await client(scripted([() => json(409, { results: [], clients: {} })]).fetch);
    await expect(pushOnce(db, api, ME)).rejects.toBeInstanceOf(LostMutations);
    expect(await db.outbox.count()).toBe(1);
  });

  it('refreshes an expired token and retries, without losing or repeating anything', async () => {
    await queueFavourites(2);
    const s = scripted([
      () => json(401, { error: 'unauthorized', message: 'token expired' }),
      () => json(200, { access_token: 'token-2', refresh_token: 'refresh-2', expires_in: 900 }),
      applied(2),
    ]);
    const api = await client(s.fetch);
    await pushOnce(db, api, ME);
    expect(s.sent.map((r) => r.url.replace('http://sync.test', ''))).toEqual([
      '/api/v1/sync/push',
      '/api/v1/auth/refresh',
      '/api/v1/sync/push',
    ]);
    expect(s.sent[2].auth).toBe('Bearer token-2');
    expect(s.sent[2].body).toEqual(s.sent[0].body);
    expect(await db.outbox.count()).toBe(0);
  });

  it('replaces a mutation the server refuses as invalid with a no-op, keeping ids gap-free', async () => {
    await queueFavourites(1);
    // An analysis that breaks the contract (a corrupt record) behind an upsert.
    const bad = { ...syntheticResult(rng(1), H2), tempo: 'broken' } as never;
    await db.samples.put(bad);
    await db.transaction('rw', withSyncTables(db, []), async () => {
      await enqueue(db, [{ name: 'sample.upsertAnalysis', args: { id: H2, analyserVersion: '1.0.0' } }]);
    });
    const s = scripted([() => json(400, { error: 'validation', message: 'invalid' }), applied(2)]);
    const api = await client(s.fetch);
    await pushOnce(db, api, ME);
    const rows = await db.outbox.toArray();
    expect(rows.map((r) => [r.mutationId, r.name])).toEqual([
      [1, 'sample.setField'],
      [2, 'sample.removeTags'],
    ]);
    await pushOnce(db, api, ME);
    expect(s.sent[1].body!.mutations.map((m) => mutationSchema.safeParse(m).success)).toEqual([true, true]);
    expect(await db.outbox.count()).toBe(0);
  });

  it('halves a batch the server finds too large', async () => {
    await queueFavourites(4);
    const s = scripted([() => json(413, { error: 'too-large', message: 'too large' }), applied(2)]);
    await pushOnce(db, await client(s.fetch), ME);
    expect(s.sent.map((r) => r.body!.mutations.length)).toEqual([4, 2]);
    expect(await db.outbox.count()).toBe(2);
  });

  it('reads the analysis of an upsert from the samples table at push time', async () => {
    await db.samples.put(syntheticResult(rng(2), H1));
    await db.transaction('rw', withSyncTables(db, []), async () => {
      await enqueue(db, [
        { name: 'sample.upsertAnalysis', args: { id: H1, analyserVersion: '1.0.0', name: 'a.wav' } },
      ]);
    });
    const [m] = await toMutations(db, ME, await db.outbox.toArray());
    expect(m.name).toBe('sample.upsertAnalysis');
    expect(mutationSchema.safeParse(m).success).toBe(true);
    expect((m.args as { analysis: { contentHash: string } }).analysis.contentHash).toBe(H1);
    expect(JSON.stringify(await db.outbox.toArray()).length).toBeLessThan(400);
  });
});
