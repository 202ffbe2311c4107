import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { openDb } from '../db/database';
import type { AiRecord } from '../db/types';
import { bindForTest } from '../sync/testing/bind';
import { moveLegacyAiRecords } from './ai-store';

const record = (hash: string, description: string): AiRecord => ({
  contentHash: hash,
  promptVersion: 'p1',
  analysis: {
    description,
    tags: [],
    freeTags: [],
    genres: [],
    moods: [],
    productionTips: [],
    creativeIdeas: [],
  },
  provider: 'openai',
  model: 'gpt-x',
  cached: false,
  describedAt: 1,
});

describe('AI records in the library database', () => {
  it('moves the records of the old separate database in once, keeping newer ones, and deletes it', async () => {
    const legacyName = 'test-legacy-ai';
    const legacy = new Dexie(legacyName);
    legacy.version(1).stores({ descriptions: '[contentHash+promptVersion], contentHash, describedAt' });
    await legacy
      .table('descriptions')
      .bulkAdd([record('a1'.repeat(16), 'old A'), record('b2'.repeat(16), 'old B')]);
    legacy.close();

    const db = openDb('test-ai-move');
    await bindForTest(db);
    await db.descriptions.put(record('a1'.repeat(16), 'new A'));
    expect(await moveLegacyAiRecords(db, legacyName)).toBe(1);
    const all = await db.descriptions.toArray();
    expect(all.map((r) => r.analysis.description).sort()).toEqual(['new A', 'old B']);
    expect(await Dexie.exists(legacyName)).toBe(false);
    // While syncing, a moved description is queued like any other.
    expect((await db.outbox.toArray()).map((r) => [r.name, r.args.id])).toEqual([
      ['sample.setAiDescription', 'b2'.repeat(16)],
    ]);
    expect(await moveLegacyAiRecords(db, legacyName)).toBe(0);
    db.close();
    await db.delete();
  });
});
