import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type SampleMindDb } from '../db/database';
import { loadVectors } from '../db/vector-source';
import { seedLibrary } from '../dev/seed-library';
import { loadLibrary } from '../state/load-library';
import { applyPage } from '../sync/pull';
import { bindForTest } from '../sync/testing/bind';
import { remoteSample, remoteSummary } from '../sync/testing/remote-sample';
import { exportLibrary, importLibrary } from './library-json';

const dbs: SampleMindDb[] = [];
const fresh = (name: string) => {
  const db = openDb(`${name}-${dbs.length}`);
  dbs.push(db);
  return db;
};
afterEach(async () => {
  for (const db of dbs.splice(0)) {
    db.close();
    await db.delete();
  }
});

describe('library export/import', () => {
  it('round-trips files, analysis, tags, edits and collections into another library', async () => {
    const a = fresh('export-a');
    await seedLibrary(a, { n: 300, seed: 3, batch: 100 });
    const json = JSON.parse(await (await exportLibrary(a)).text());
    expect(json.files).toHaveLength(300);

    const b = fresh('export-b');
    const report = await importLibrary(b, json);
    expect(report).toMatchObject({ files: 300, skipped: 0, samples: 300 });
    const [ia, ib] = [await loadLibrary(a), await loadLibrary(b)];
    const view = (ix: typeof ia) =>
      Array.from({ length: ix.size }, (_, r) => ({
        path: ix.path[r],
        bpm: ix.bpm[r],
        key: ix.key[r],
        fav: ix.favourite[r],
        tags: (ix.tags[r] ?? []).map((t) => ix.tagName(t)),
      })).sort((x, y) => x.path.localeCompare(y.path) || x.bpm - y.bpm);
    expect(view(ib)).toEqual(view(ia));
    expect([...ib.collections.values()].map((s) => s.size)).toEqual(
      [...ia.collections.values()].map((s) => s.size),
    );
    expect(await b.vectors.count()).toBe(300);

    // Importing again adds nothing.
    expect(await importLibrary(b, json)).toMatchObject({ files: 0, skipped: 300 });
  });

  it('carries the vectors of pulled sounds (no analysis record here) and imports them as a pack', async () => {
    const a = fresh('export-pulled-a');
    await seedLibrary(a, { n: 5, seed: 4, batch: 5 });
    await bindForTest(a, 'client-export');
    const h = 'd4'.repeat(16);
    const sample = remoteSample(h, { summary: remoteSummary({}, 0.6) });
    await applyPage(a, '0', 'client-export', {
      cursor: '1',
      hasMore: false,
      samples: [sample],
      collections: [],
      clients: {},
    });
    const json = JSON.parse(await (await exportLibrary(a)).text());
    expect(json.vectors.map((v: { contentHash: string }) => v.contentHash)).toEqual([h]);

    const b = fresh('export-pulled-b');
    await importLibrary(b, json);
    expect(await b.vectorPacks.count()).toBe(1);
    const vectors = await loadVectors(b);
    expect(vectors.size).toBe(6);
    expect(vectors.get(h)?.[0]).toBeCloseTo(0.6, 2);
  });

  it('rejects documents that are not library exports', async () => {
    await expect(importLibrary(fresh('export-c'), { hello: 1 })).rejects.toThrow(/not a SampleMind library/);
  });
});
