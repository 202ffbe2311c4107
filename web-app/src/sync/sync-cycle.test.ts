import 'fake-indexeddb/auto';
import type { PullResponse, SyncSample } from '@samplemind/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../account/api-client';
import { openDb, type SampleMindDb } from '../db/database';
import { syncCycle } from './sync-cycle';
import { getCursor, putCursor } from './sync-store';
import { bindForTest } from './testing/bind';
import { remoteSample, remoteSummary } from './testing/remote-sample';

let db: SampleMindDb;
let n = 0;

beforeEach(async () => {
  db = openDb(`test-cycle-${n++}`);
  await bindForTest(db);
});

afterEach(async () => {
  db.close();
  await db.delete();
});

const hash = (i: number) => i.toString(16).padStart(32, '0');

function sample(i: number): SyncSample {
  return remoteSample(hash(i), {
    name: `s${i}.wav`,
    path: `Kit/s${i}.wav`,
    tags: i % 2 ? ['odd'] : [],
    summary: remoteSummary({ loopConfidence: 0.1, midiNote: 36, cents: 0, typeConfidence: 0.9, lufs: -10 }),
  });
}

/** Pages of two samples each, cursor = the last sample's number; answers are released by hand. */
function scriptedServer(total: number) {
  const log: string[] = [];
  const waiting = new Map<string, () => void>();
  const api = {
    async json<T>(path: string, init: { signal?: AbortSignal } = {}): Promise<T> {
      const cursor = Number(new URL(path, 'http://x').searchParams.get('cursor'));
      log.push(`ask ${cursor}`);
      await new Promise<void>((resolve, reject) => {
        waiting.set(String(cursor), resolve);
        init.signal?.addEventListener('abort', () => {
          if (!waiting.delete(String(cursor))) return;
          log.push(`aborted ${cursor}`);
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
      const ids = [cursor + 1, cursor + 2].filter((i) => i <= total);
      const page: PullResponse = {
        cursor: String(ids.at(-1) ?? cursor),
        hasMore: (ids.at(-1) ?? cursor) < total,
        samples: ids.map(sample),
        collections: [],
        clients: {},
      };
      return page as T;
    },
  } as unknown as ApiClient;
  /** Answers the request for `cursor` once it has been made. */
  const answer = async (cursor: number) => {
    for (let i = 0; i < 200 && !waiting.has(String(cursor)); i++) await new Promise((r) => setTimeout(r, 5));
    const release = waiting.get(String(cursor));
    if (!release) throw new Error(`nobody asked for cursor ${cursor}; asked: ${log.join(', ')}`);
    waiting.delete(String(cursor));
    release();
  };
  return { api, log, answer };
}

describe('syncCycle pulling', () => {
  it('asks for the next page while it stores the one it has, and stores every page in order', async () => {
    const server = scriptedServer(6);
    const applied: number[] = [];
    const asked: string[] = [];
    const lastFlags: boolean[] = [];
    const cycle = syncCycle(db, server.api, {
      onApplied: async (patch, _entities, isLast) => {
        applied.push(patch.upserts.length);
        lastFlags.push(isLast);
        // While a page is being applied the following one (if any) has been asked for already.
        asked.push(server.log.at(-1)!);
      },
    });
    for (const c of [0, 2, 4]) await server.answer(c);
    const out = await cycle;
    expect(out.didPull).toBe(true);
    expect(server.log).toEqual(['ask 0', 'ask 2', 'ask 4']);
    expect(applied).toEqual([2, 2, 2]);
    expect(asked).toEqual(['ask 2', 'ask 4', 'ask 4']);
    expect(lastFlags).toEqual([false, false, true]);
    expect(await db.files.count()).toBe(6);
    // One vector pack per pulled page.
    expect(await db.vectorPacks.count()).toBe(3);
    expect(await db.vectors.count()).toBe(0);
    // Only tagged samples get an edit row.
    expect(await db.edits.count()).toBe(3);
    expect(await getCursor(db)).toBe('6');
  });

  it('stops, and drops the page asked for ahead, when a page turns out stale', async () => {
    const server = scriptedServer(10);
    const cycle = syncCycle(db, server.api, {
      onApplied: async () => {
        // Another writer moved the cursor (e.g. a second sync of the same library).
        await putCursor(db, '100');
      },
    });
    await server.answer(0);
    await server.answer(2);
    await cycle;
    // Page 2 was stale: not stored, and the request for the page after page 2 was never made,
    // while the one asked for ahead of it was cancelled.
    expect(await db.files.count()).toBe(2);
    expect(server.log).toEqual(['ask 0', 'ask 2', 'ask 4', 'aborted 4']);
    expect(await getCursor(db)).toBe('100');
  });
});
