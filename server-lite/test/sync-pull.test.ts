import {
  type Mutation,
  type PullResponse,
  pullResponseSchema,
  type SyncSample,
  summaryFromAnalysis,
} from '@samplemind/contract';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPACT_FORMAT } from '../src/library/sync-json';
import { sqliteFile } from '../src/stores';
import { openSqlite } from '../src/stores/embedded/sqlite-driver';
import { get, push, type User } from './api-helpers';
import { clientMutations } from './fixtures';
import { cleanupTmp, newUser, testApp, VARIANTS } from './harness';
import { type SyntheticSample, syntheticSample } from './sync-library';

/** Every page from cursor 0, each checked against the contract's schema as the client parses it. */
async function pullAll(app: FastifyInstance, user: User, query: string) {
  const samples: SyncSample[] = [];
  const pages: PullResponse[] = [];
  let cursor = '0';
  for (;;) {
    const r = await get(app, user, `/api/v1/sync/pull?cursor=${cursor}&${query}`);
    expect(r.statusCode, r.body).toBe(200);
    const page = pullResponseSchema.parse(r.json());
    pages.push(page);
    samples.push(...page.samples);
    cursor = page.cursor;
    if (!page.hasMore) return { samples, pages, cursor };
  }
}

for (const variant of VARIANTS.filter((v) => !v.skip)) {
  describe(`sync pull views: ${variant.name}`, () => {
    let app: FastifyInstance;
    let dataDir: string;
    let alice: User;
    let library: SyntheticSample[];
    const m = clientMutations('pull-views-laptop');

    beforeAll(async () => {
      let config: { SAMPLEMIND_DATA_DIR: string };
      ({ app, config } = await testApp(variant.env()));
      dataDir = config.SAMPLEMIND_DATA_DIR;
      alice = await newUser(app);
      library = Array.from({ length: 12 }, (_, i) => syntheticSample(i, 42));
      const muts: Mutation[] = library.flatMap((s) => [
        m('sample.upsertAnalysis', { id: s.id, analysis: s.analysis, name: s.name, path: s.path }),
        m('sample.addTags', { id: s.id, tags: ['keep', ...s.tags] }),
      ]);
      muts.push(
        m('sample.setField', { id: library[0].id, field: 'bpm', value: 128 }),
        m('sample.setField', { id: library[0].id, field: 'key', value: { tonic: 'F#', scale: 'minor' } }),
        m('sample.setField', { id: library[1].id, field: 'type', value: 'percussion' }),
        m('sample.setField', { id: library[2].id, field: 'bpm', value: 90 }),
        m('sample.setField', { id: library[2].id, field: 'bpm', value: null }),
        m('collection.upsert', { id: 'favs', name: 'Favs' }),
        m('collection.addMembers', { id: 'favs', sampleIds: [library[3].id, library[4].id] }),
      );
      expect((await push(app, alice, muts)).statusCode).toBe(200);
    });
    afterAll(async () => {
      await app?.close();
      cleanupTmp();
    });

    it('compact: each sample carries the summary of its analysis and no analysis', async () => {
      const { samples, pages } = await pullAll(app, alice, 'view=compact&limit=5000');
      expect(pages).toHaveLength(1);
      expect(pages[0].collections.map((c) => c.id)).toEqual(['favs']);
      expect(samples.map((s) => s.id).sort()).toEqual(library.map((s) => s.id).sort());
      for (const s of samples) {
        const src = library.find((x) => x.id === s.id)!;
        expect(s).not.toHaveProperty('analysis');
        expect(s.summary).toEqual(summaryFromAnalysis(src.analysis));
        expect(s.name).toBe(src.name);
        expect(s.path).toBe(src.path);
        expect(s.tags).toEqual([...new Set(['keep', ...src.tags])].sort());
      }
    });

    it('full (the default): each sample carries its whole analysis and no summary', async () => {
      const { samples } = await pullAll(app, alice, 'limit=1000');
      expect(samples).toHaveLength(library.length);
      for (const s of samples) {
        expect(s).not.toHaveProperty('summary');
        expect(s.analysis).toEqual(library.find((x) => x.id === s.id)!.analysis);
      }
    });

    it('both views carry the corrections; null is "no correction"', async () => {
      for (const view of ['full', 'compact']) {
        const { samples } = await pullAll(app, alice, `view=${view}`);
        const byId = new Map(samples.map((s) => [s.id, s]));
        expect(byId.get(library[0].id)).toMatchObject({
          bpm: 128,
          key: { tonic: 'F#', scale: 'minor' },
          type: null,
        });
        expect(byId.get(library[1].id)).toMatchObject({ bpm: null, key: null, type: 'percussion' });
        expect(byId.get(library[2].id)).toMatchObject({ bpm: null, key: null, type: null });
      }
    });

    it('corrections show in the library list and filters (the corrected value wins over the analysis)', async () => {
      const r = await get(app, alice, '/api/v1/audio/files?type=percussion&limit=100');
      expect(r.statusCode).toBe(200);
      expect((r.json() as { items: { id: string }[] }).items.map((i) => i.id)).toContain(library[1].id);
      const d = (await get(app, alice, `/api/v1/audio/files/${library[0].id}`)).json() as Record<
        string,
        unknown
      >;
      expect(d).toMatchObject({ bpm: 128, keyTonic: 'F#', keyScale: 'minor', camelot: '11A' });
    });

    it('pages by cursor the same way in both views', async () => {
      const compact = await pullAll(app, alice, 'view=compact&limit=5');
      const full = await pullAll(app, alice, 'view=full&limit=5');
      expect(compact.pages.map((p) => p.samples.length + p.collections.length)).toEqual([5, 5, 3]);
      expect(compact.pages.map((p) => p.cursor)).toEqual(full.pages.map((p) => p.cursor));
      expect(compact.samples.map((s) => s.id)).toEqual(full.samples.map((s) => s.id));
      const again = await get(app, alice, `/api/v1/sync/pull?view=compact&cursor=${compact.cursor}`);
      expect(again.json()).toMatchObject({
        samples: [],
        collections: [],
        hasMore: false,
        cursor: compact.cursor,
      });
    });

    it('limits: full allows at most 1000, compact at most 5000, with a clear 400', async () => {
      const tooBigFull = await get(app, alice, '/api/v1/sync/pull?view=full&limit=1001');
      expect(tooBigFull.statusCode).toBe(400);
      expect(tooBigFull.json()).toMatchObject({ error: 'validation' });
      expect(tooBigFull.json().message).toMatch(/limit 1001 .*view=full .*at most 1000.*view=compact/);
      const defaultView = await get(app, alice, '/api/v1/sync/pull?limit=2000');
      expect(defaultView.statusCode).toBe(400);
      expect((await get(app, alice, '/api/v1/sync/pull?view=full&limit=1000')).statusCode).toBe(200);
      expect((await get(app, alice, '/api/v1/sync/pull?view=compact&limit=5000')).statusCode).toBe(200);
      const tooBigCompact = await get(app, alice, '/api/v1/sync/pull?view=compact&limit=5001');
      expect(tooBigCompact.statusCode).toBe(400);
      expect(tooBigCompact.json().issues[0].path).toBe('limit');
      const badView = await get(app, alice, '/api/v1/sync/pull?view=tiny');
      expect(badView.statusCode).toBe(400);
      expect(badView.json().issues[0].path).toBe('view');
    });

    it('another user sees none of it in either view', async () => {
      const bob = await newUser(app);
      for (const view of ['full', 'compact']) {
        const r = await get(app, bob, `/api/v1/sync/pull?view=${view}`);
        expect(r.json()).toMatchObject({ samples: [], collections: [], hasMore: false });
      }
    });

    it('samples stored by an earlier release (no corrections, no compact text) pull and take edits', async () => {
      const carol = await newUser(app);
      const mc = clientMutations('old-release-device');
      const old = [syntheticSample(100, 42), syntheticSample(101, 42)];
      await push(
        app,
        carol,
        old.map((s) => mc('sample.upsertAnalysis', { id: s.id, analysis: s.analysis, name: s.name })),
      );
      // What a file written before this release holds: documents without the correction
      // registers, and no compact text beside them.
      const db = openSqlite(sqliteFile(dataDir));
      db.prepare(
        "UPDATE samples SET doc = json_remove(doc, '$.bpm', '$.key', '$.type') WHERE user_id = ?",
      ).run(carol.id);
      const rowids = (
        db.prepare('SELECT rowid FROM samples WHERE user_id = ? ORDER BY id').all(carol.id) as {
          rowid: number;
        }[]
      ).map((r) => r.rowid);
      // One sample has no compact text at all, the other one of an older format.
      expect(db.prepare('DELETE FROM samples_compact WHERE rowid = ?').run(rowids[0]).changes).toBe(1);
      expect(
        db
          .prepare("UPDATE samples_compact SET v = '0-older', body = '{\"stale\":true}' WHERE rowid = ?")
          .run(rowids[1]).changes,
      ).toBe(1);
      expect(
        (db.prepare('SELECT doc FROM samples WHERE user_id = ?').all(carol.id) as { doc: string }[]).every(
          (r) => !('bpm' in JSON.parse(r.doc)),
        ),
      ).toBe(true);
      const compact = await pullAll(app, carol, 'view=compact');
      expect(compact.samples).toHaveLength(2);
      for (const s of compact.samples) {
        expect(s).toMatchObject({ bpm: null, key: null, type: null });
        expect(s.summary).toEqual(summaryFromAnalysis(old.find((o) => o.id === s.id)!.analysis));
      }
      // Rendered once, then kept: the texts are back, in the current format.
      const current = db
        .prepare(
          'SELECT count(*) AS n FROM samples_compact WHERE rowid IN (?, ?) AND v = ? AND body NOT LIKE ?',
        )
        .get(rowids[0], rowids[1], COMPACT_FORMAT, '%stale%') as { n: number };
      expect(current.n).toBe(2);
      db.close();
      expect((await pullAll(app, carol, 'view=compact')).samples).toEqual(compact.samples);
      const full = await pullAll(app, carol, 'view=full');
      expect(full.samples.map((s) => s.bpm)).toEqual([null, null]);

      const edit = await push(app, carol, [
        mc('sample.setField', { id: old[0].id, field: 'bpm', value: 99 }),
      ]);
      expect(edit.statusCode).toBe(200);
      const after = await get(app, carol, `/api/v1/sync/pull?view=compact&cursor=${compact.cursor}`);
      const page = pullResponseSchema.parse(after.json());
      expect(page.samples).toHaveLength(1);
      expect(page.samples[0]).toMatchObject({ id: old[0].id, bpm: 99, key: null, type: null });
      expect(page.samples[0].summary).toEqual(summaryFromAnalysis(old[0].analysis));
    });
  });
}
