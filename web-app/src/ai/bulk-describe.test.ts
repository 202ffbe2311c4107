import 'fake-indexeddb/auto';
import {
  type AiAnalyzeResponse,
  type AiSampleInput,
  type AiTag,
  toAiSampleInput,
} from '@samplemind/contract';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../e2e/pages/ai-server';
import { Account } from '../account/account';
import { AccountStore, MemoryAccountPersistence } from '../account/account-store';
import { ApiError, signedOutError } from '../account/api-error';
import { openDb } from '../db/database';
import { rng, syntheticResult } from '../dev/synthetic';
import { addTag } from '../state/library-actions';
import { loadLibrary } from '../state/load-library';
import { fileRow } from '../testing/rows';
import { AiClient } from './ai-client';
import type { AiServices } from './ai-services';
import { AI_PROMPT_VERSION, type AiDb, openAiDb, saveRecords } from './ai-store';
import { type BulkItem, type BulkProgress, runBulkDescribe } from './bulk-describe';
import { applyDescribedTags, gatherBulkItems } from './bulk-run';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ providers: ['openai'], env: { AI_MAX_BATCH: '3' } });
}, 90_000);
afterAll(async () => {
  await server?.stop();
});

type Sent = { size: number; status: number };
let sent: Sent[] = [];
let dbs = 0;
let aiDb: AiDb;
beforeEach(() => {
  server.stub!.reset();
  sent = [];
  aiDb = openAiDb(`samplemind-ai-test-${++dbs}`);
});

/** fetch that notes every analyze request's batch size and answer status. */
const countingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (String(input).includes('/ai/analyze'))
    sent.push({
      size: (JSON.parse(String(init?.body)) as { samples: unknown[] }).samples.length,
      status: res.status,
    });
  return res;
};

let n = 0;
async function client(): Promise<AiClient> {
  const account = new Account(new AccountStore(new MemoryAccountPersistence(), { channelName: null }), {
    fetch: countingFetch,
    locks: null,
  });
  await account.connect(server.url);
  const id = `${Date.now().toString(36)}${++n}`;
  await account.signUp({
    email: `b${id}@example.com`,
    username: `b${id}`,
    password: 'correct horse battery',
  });
  return new AiClient(account.api);
}

const hashOf = (seed: number) =>
  `${seed.toString(16).padStart(8, '0')}${Date.now().toString(16)}`.padEnd(32, 'a');

function items(
  count: number,
  over: (i: number, input: AiSampleInput) => AiSampleInput | null = (_, x) => x,
): BulkItem[] {
  return Array.from({ length: count }, (_, i) => {
    const seed = ++n * 100 + i;
    const hash = hashOf(seed);
    const name = `Bulk ${seed}.wav`;
    const input = toAiSampleInput(hash, name, syntheticResult(rng(seed), hash));
    return { hash, name, fileIds: [seed], input: async () => over(i, input) };
  });
}

async function run(list: BulkItem[], deps: Partial<Parameters<typeof runBulkDescribe>[1]> = {}) {
  const ai = await client();
  const seen: BulkProgress[] = [];
  const result = await runBulkDescribe(list, {
    ai,
    save: (r) => saveRecords(aiDb, r),
    onProgress: (p) => seen.push(p),
    ...deps,
  });
  return { result, seen };
}

describe('bulk describe against server-lite', () => {
  it('sends batches of the server’s max size, stores every answer and reports progress', async () => {
    const list = items(7);
    const { result, seen } = await run(list);
    expect(sent.map((s) => s.size)).toEqual([3, 3, 1]);
    expect(result).toMatchObject({ state: 'done', total: 7, done: 7, failed: [], batchSize: 3 });
    expect(result.described).toEqual(list.map((i) => i.hash));
    const stored = await aiDb.descriptions.toArray();
    expect(stored.map((r) => r.contentHash).sort()).toEqual(list.map((i) => i.hash).sort());
    expect(stored.every((r) => r.promptVersion === AI_PROMPT_VERSION && r.provider === 'openai')).toBe(true);
    expect(stored.find((r) => r.contentHash === list[4].hash)!.analysis.description).toContain(list[4].name);
    // Progress only moves forward, batch by batch.
    const done = seen.map((p) => p.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(new Set(done)).toEqual(new Set([0, 3, 6, 7]));
  });

  it('cancels: the request in flight is dropped, finished batches stay stored', async () => {
    server.stub!.setDefault('openai', { delayMs: 700 });
    const ctl = new AbortController();
    const list = items(7);
    const { result } = await run(list, {
      signal: ctl.signal,
      onProgress: (p) => {
        // Once the first batch is stored, cancel while the second is at the server.
        if (p.done === 3 && p.state === 'running') setTimeout(() => ctl.abort(), 300);
      },
    });
    expect(result.state).toBe('cancelled');
    expect(result.done).toBe(3);
    expect(sent).toHaveLength(1); // the second request was aborted before its answer
    expect(await aiDb.descriptions.count()).toBe(3);
    // The server saw the client go away (the provider call was cancelled, not finished).
    await expect.poll(() => server.stub!.requests.length).toBe(2);
  });

  it('lists failures and goes on: unanalysed samples, a failed batch', async () => {
    const list = items(7, (i, x) => (i === 1 ? null : x));
    server.stub!.script('openai', {}, { status: 500, errorMessage: 'boom' });
    const { result } = await run(list);
    expect(result.state).toBe('done');
    expect(result.done).toBe(3); // batch 1 (two sendable) + batch 3 (one)
    expect(result.failed.map((f) => f.name)).toEqual([
      list[1].name,
      list[3].name,
      list[4].name,
      list[5].name,
    ]);
    expect(result.failed[0].message).toMatch(/not analysed/i);
    expect(result.failed[1].message).toMatch(/No AI provider could answer/);
    expect(result.failed[1].message).not.toContain('boom');
  });

  it('finds the one sample the server rejects instead of failing its whole batch', async () => {
    const list = items(3, (i, x) => (i === 1 ? { ...x, durationSec: -1 } : x));
    const { result } = await run(list);
    expect(sent.map((s) => `${s.size}:${s.status}`)).toEqual(['3:400', '1:200', '1:400', '1:200']);
    expect(result.done).toBe(2);
    expect(result.failed.map((f) => f.hash)).toEqual([list[1].hash]);
    expect(result.failed[0].message).toMatch(/durationSec/);
  });
});

describe('bulk describe: waiting and stopping', () => {
  const answer = (samples: AiSampleInput[]): AiAnalyzeResponse => ({
    items: samples.map((s) => ({
      id: s.id,
      provider: 'openai',
      model: 'm',
      cached: false,
      analysis: {
        description: 'A sound.',
        tags: [],
        freeTags: [],
        genres: [],
        moods: [],
        productionTips: [],
        creativeIdeas: [],
      },
    })),
    provider: 'openai',
    model: 'm',
    tokens: { input: 1, output: 1 },
    latencyMs: 1,
    cached: false,
    fallbacks: [],
  });

  it('waits out a rate limit (Retry-After) and carries on with the same batch', async () => {
    let calls = 0;
    const waits: number[] = [];
    const states: string[] = [];
    const result = await runBulkDescribe(items(4), {
      maxBatch: 2,
      ai: {
        providers: async () => {
          throw new Error('not used');
        },
        analyze: async (samples) => {
          if (++calls === 2)
            throw new ApiError('http', 'Too many requests.', 429, 'rate-limited', { retryAfterSec: 7 });
          return answer(samples);
        },
      },
      save: async () => {},
      sleep: async (ms) => {
        waits.push(ms);
      },
      onProgress: (p) => states.push(p.state),
    });
    expect(result).toMatchObject({ state: 'done', done: 4, failed: [] });
    expect(calls).toBe(3);
    expect(waits).toEqual([7000]);
    expect(states).toContain('waiting');
  });

  it('stops at once when retrying cannot help (signed out, budget spent, no provider)', async () => {
    for (const err of [
      signedOutError('Your session ended.'),
      new ApiError('http', 'Daily budget spent.', 429, 'token-budget-exceeded', { retryAfterSec: 30_000 }),
      new ApiError('http', 'No AI provider is configured on this server', 503, 'ai-not-configured'),
    ]) {
      let calls = 0;
      const result = await runBulkDescribe(items(6), {
        maxBatch: 2,
        ai: {
          providers: async () => ({ providers: [], maxBatch: 2 }),
          analyze: async () => {
            calls++;
            throw err;
          },
        },
        save: async () => {},
      });
      expect(result.state).toBe('stopped');
      expect(result.message).toBeTruthy();
      expect(calls).toBe(1);
    }
    // A server without providers is recognised before any analyze request.
    const none = await runBulkDescribe(items(2), {
      ai: {
        providers: async () => ({ providers: [], maxBatch: 20 }),
        analyze: async () => {
          throw new Error('must not be called');
        },
      },
      save: async () => {},
    });
    expect(none).toMatchObject({ state: 'stopped', message: 'The server has no AI provider configured.' });
  });

  it('gives up after three failed requests in a row', async () => {
    let calls = 0;
    const result = await runBulkDescribe(items(10), {
      maxBatch: 2,
      ai: {
        providers: async () => ({ providers: [], maxBatch: 2 }),
        analyze: async () => {
          calls++;
          throw new ApiError('http', 'No AI provider could answer: openai: timed out', 502, 'ai-unavailable');
        },
      },
      save: async () => {},
    });
    expect(calls).toBe(3);
    expect(result.state).toBe('stopped');
    expect(result.failed).toHaveLength(6);
  });
});

describe('gathering a selection and applying the AI tags', () => {
  it('describes duplicates once, lists unanalysed files, skips described sounds, tags through the library action', async () => {
    const db = openDb(`samplemind-bulk-lib-${++dbs}`);
    const h = (c: string) => c.repeat(32);
    const files = [
      fileRow('Drums/Kick.wav', { id: 1, contentHash: h('1') }),
      fileRow('Copies/Kick.wav', { id: 2, contentHash: h('1') }),
      fileRow('Drums/Snare.wav', { id: 3, contentHash: h('2') }),
      fileRow('Drums/Queued.wav', { id: 4, contentHash: null, status: 'queued', summary: null }),
      fileRow('Drums/Hat.wav', { id: 5, contentHash: h('3') }),
    ];
    await db.files.bulkAdd(files);
    for (const c of ['1', '2', '3']) await db.samples.put(syntheticResult(rng(c.charCodeAt(0)), h(c)));
    const index = await loadLibrary(db);
    await addTag(db, index, [1], 'favourite kick');
    const services = { db: aiDb } as AiServices;
    await saveRecords(aiDb, [
      {
        contentHash: h('3'),
        promptVersion: AI_PROMPT_VERSION,
        provider: 'openai',
        model: 'm',
        cached: false,
        describedAt: 1,
        analysis: {
          description: 'A hat.',
          tags: ['hihat'],
          freeTags: [],
          genres: [],
          moods: [],
          productionTips: [],
          creativeIdeas: [],
        },
      },
    ]);

    const g = await gatherBulkItems({ db, index }, [1, 2, 3, 4, 5], { services });
    expect(g.fileCount).toBe(5);
    expect(g.items.map((i) => [i.hash, i.fileIds])).toEqual([
      [h('1'), [1, 2]],
      [h('2'), [3]],
    ]);
    expect(g.skipped).toBe(1);
    expect(g.notReady.map((f) => f.name)).toEqual(['Queued.wav']);
    const input = await g.items[0].input();
    expect(input).toMatchObject({ id: h('1'), fileName: 'Kick.wav', tags: ['favourite kick'] });
    expect(JSON.stringify(input)).not.toMatch(/peaks|vector/);
    expect(
      (await gatherBulkItems({ db, index }, [1, 2, 3, 4, 5], { services, redo: true })).items,
    ).toHaveLength(3);

    // Describe them (as a run would), then apply the vocabulary tags in one go.
    await saveRecords(
      aiDb,
      [h('1'), h('2')].map((hash, i) => ({
        contentHash: hash,
        promptVersion: AI_PROMPT_VERSION,
        provider: 'openai' as const,
        model: 'm',
        cached: false,
        describedAt: 2,
        analysis: {
          description: 'x',
          tags: (i === 0 ? ['kick', 'punchy'] : ['snare', 'punchy']) as AiTag[],
          freeTags: ['909'],
          genres: [],
          moods: [],
          productionTips: [],
          creativeIdeas: [],
        },
      })),
    );
    const tagged = await applyDescribedTags(
      { db, index },
      g.items.map((i) => i.hash),
      (hash) => g.items.find((i) => i.hash === hash)!.fileIds,
      { services },
    );
    expect(tagged).toBe(3);
    const names = (fileId: number) =>
      (index.tags[index.rowOfFile(fileId)] ?? []).map((t) => index.tagName(t)).sort();
    expect(names(1)).toEqual(['favourite kick', 'kick', 'punchy']);
    expect(names(2)).toEqual(['kick', 'punchy']);
    expect(names(3)).toEqual(['punchy', 'snare']);
    expect(names(5)).toEqual([]);
    // Stored as user edits (what survives re-analysis), not only in memory.
    const edits = await db.edits.bulkGet([1, 2, 3]);
    expect(edits.map((e) => e?.tags?.length)).toEqual([3, 2, 2]);
    db.close();
  });
});
