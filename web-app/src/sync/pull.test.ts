import 'fake-indexeddb/auto';
import {
  FEATURE_VECTOR_LENGTH,
  type PullResponse,
  type SyncCollection,
  type SyncSample,
} from '@samplemind/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type SampleMindDb } from '../db/database';
import { loadVectors } from '../db/vector-source';
import { NO_KEY } from '../query/keys';
import { addTag, createCollection, removeFiles, setFavourite } from '../state/library-actions';
import { EDITED, type LibraryIndex, STATUS } from '../state/library-index';
import { loadLibrary } from '../state/load-library';
import { fileRow } from '../testing/rows';
import { encodeAiText } from './ai-bridge';
import { patchIndex } from './index-patch';
import { applyPage, latestUpdate } from './pull';
import { reconcile } from './reconcile';
import { getCursor } from './sync-store';
import { bindForTest } from './testing/bind';
import { remoteSample, remoteSummary } from './testing/remote-sample';

let db: SampleMindDb;
let index: LibraryIndex;
let n = 0;
const ME = 'client-test-1';
const H1 = 'a1'.repeat(16);
const H2 = 'b2'.repeat(16);
const H3 = 'c3'.repeat(16);

function remote(id: string, over: Partial<SyncSample> = {}): SyncSample {
  return remoteSample(id, {
    summary: remoteSummary(
      {
        format: { container: 'wav', sampleRate: 44100, channels: 1, bitDepth: 16, durationSec: 2 },
        isLoop: true,
        loopConfidence: 0.9,
        bpm: 120,
        bpmConfidence: 0.8,
        beats: 4,
        bars: 1,
        tonic: 'C',
        scale: 'minor',
        keyConfidence: 0.7,
        type: 'drum-loop',
        typeConfidence: 0.9,
        lufs: -9,
      },
      0.4,
    ),
    ...over,
  });
}

const page = (
  cursor: string,
  samples: SyncSample[],
  collections: SyncCollection[] = [],
  clients: Record<string, number> = {},
): PullResponse => ({ cursor, hasMore: false, samples, collections, clients });

async function apply(p: PullResponse) {
  const from = await getCursor(db);
  const out = await applyPage(db, from, ME, p, (h) => index.filesWithHashes(h));
  if (out) await patchIndex(db, index, out.patch);
  return out;
}

const row = (fileId: number) => index.rowOfFile(fileId);
const tagsOf = (fileId: number) => (index.tags[row(fileId)] ?? []).map((t) => index.tagName(t)).sort();

beforeEach(async () => {
  db = openDb(`test-pull-${n++}`);
  await db.files.bulkAdd([
    fileRow('Kit/kick.wav', { id: 1, contentHash: H1 }),
    fileRow('Copy/kick.wav', { id: 2, contentHash: H1 }),
  ]);
  index = await loadLibrary(db);
  await bindForTest(db, ME);
});

afterEach(async () => {
  db.close();
  await db.delete();
});

describe('applying pulled pages', () => {
  it('shows a sound without a file here as a searchable "remote" row with its vector', async () => {
    await apply(page('5', [remote(H2, { tags: ['Dark', 'lofi'], favorite: true, bpm: 90 })]));
    const files = await db.files.where('contentHash').equals(H2).toArray();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ status: 'remote', name: 'b2b2.wav', path: 'Other/b2b2.wav', size: 0 });
    expect(files[0].summary).toMatchObject({
      type: 'drum-loop',
      bpm: 120,
      tonic: 'C',
      isLoop: true,
      durationSec: 2,
    });
    // Pulled vectors go into the page's pack, not a row per sound.
    expect(await db.vectors.get(H2)).toBeUndefined();
    const v = (await loadVectors(db)).get(H2);
    expect(v?.length).toBe(FEATURE_VECTOR_LENGTH);
    expect(v?.[0]).toBeCloseTo(0.4, 2);
    const r = row(files[0].id!);
    expect(index.status[r]).toBe(STATUS.remote);
    expect(tagsOf(files[0].id!)).toEqual(['dark', 'lofi']);
    expect(index.favourite[r]).toBe(1);
    // The correction wins over the measured value.
    expect(index.bpm[r]).toBe(90);
    expect(index.search[r]).toContain('lofi');
    expect(await getCursor(db)).toBe('5');
  });

  it("applies a sound's edits to every local file with its hash", async () => {
    await apply(
      page('3', [remote(H1, { tags: ['kick'], key: { tonic: 'F', scale: 'major' }, type: 'snare' })]),
    );
    expect(await db.files.where('status').equals('remote').count()).toBe(0);
    for (const id of [1, 2]) {
      expect(tagsOf(id)).toEqual(['kick']);
      expect((await db.edits.get(id))?.key).toEqual({ tonic: 'F', scale: 'major' });
      expect((await db.edits.get(id))?.type).toBe('snare');
    }
  });

  it('takes a key corrected to "none": no key shown, marked as edited, on local and remote rows', async () => {
    await apply(page('3', [remote(H1, { key: 'none' }), remote(H2, { key: 'none' })]));
    for (const id of [1, 2]) expect((await db.edits.get(id))?.key).toBeNull();
    const remoteId = (await db.files.where('contentHash').equals(H2).first())!.id!;
    // H2's summary says C; the correction hides it.
    for (const id of [1, remoteId]) {
      expect(index.key[row(id)]).toBe(NO_KEY);
      expect(index.edited[row(id)] & EDITED.key).toBeTruthy();
    }
    await apply(page('4', [remote(H2, { key: null })]));
    expect((await db.edits.get(remoteId))?.key).toBeUndefined();
    expect(index.key[row(remoteId)]).not.toBe(NO_KEY);
  });

  it('removes deleted sounds: remote rows and local files alike', async () => {
    await apply(page('1', [remote(H2)]));
    expect(index.size).toBe(3);
    await apply(page('2', [remote(H2, { deleted: true }), remote(H1, { deleted: true })]));
    expect(await db.files.count()).toBe(0);
    expect((await loadVectors(db)).has(H2)).toBe(false);
    expect(index.size).toBe(0);
  });

  it('ignores an answer delivered again after the cursor moved on', async () => {
    const first = page('4', [remote(H2, { tags: ['old'] })]);
    await apply(first);
    await apply(page('6', [remote(H2, { tags: ['new'] })]));
    expect(await applyPage(db, '0', ME, first)).toBeNull();
    const id = (await db.files.where('contentHash').equals(H2).first())!.id!;
    expect(tagsOf(id)).toEqual(['new']);
  });

  it('re-applies pending mutations on top, and drops the acknowledged ones', async () => {
    await addTag(db, index, [1], 'mine');
    await setFavourite(db, index, [1], true);
    expect(await db.outbox.count()).toBe(2);
    // The server has applied the tag (mutation 1) but not the favourite yet; another device added a tag.
    await apply(page('7', [remote(H1, { tags: ['mine', 'theirs'] })], [], { [ME]: 1 }));
    expect((await db.outbox.toArray()).map((r) => r.mutationId)).toEqual([2]);
    for (const id of [1, 2]) {
      expect(tagsOf(id)).toEqual(['mine', 'theirs']);
      // Not on the server yet, but not lost either.
      expect(index.favourite[row(id)]).toBe(1);
    }
  });

  it('returns an entity to the server state when its settled mutations changed nothing there', async () => {
    await setFavourite(db, index, [1], true);
    // The server acknowledged it, and the sound did not change (a newer "false" from elsewhere won).
    await apply(page('8', [], [], { [ME]: 1 }));
    expect(index.favourite[row(1)]).toBe(1);
    await patchIndex(db, index, await reconcile(db));
    expect(index.favourite[row(1)]).toBe(0);
    expect(await db.syncBase.count()).toBe(0);
  });

  it('applies collections: members are every file with a listed hash, deletes drop the collection', async () => {
    const local = await createCollection(db, 'Mine');
    const theirs: SyncCollection = {
      id: 'coll-theirs-1',
      deleted: false,
      name: 'Theirs',
      description: 'from B',
      color: '#ff0000',
      sampleIds: [H1, H3],
      updatedAt: '2030-01-01T00:00:00.000Z',
    };
    await apply(page('9', [], [theirs]));
    const row1 = await db.collections.where('syncId').equals('coll-theirs-1').first();
    expect(row1).toMatchObject({
      name: 'Theirs',
      description: 'from B',
      color: '#ff0000',
      sampleIds: [H1, H3],
    });
    expect([...index.collections.get(row1!.id!)!].sort()).toEqual([1, 2]);
    // H3 arrives later: its new row joins the collection that already lists it.
    await apply(page('10', [remote(H3)]));
    const h3 = (await db.files.where('contentHash').equals(H3).first())!.id!;
    expect([...index.collections.get(row1!.id!)!].sort()).toEqual([1, 2, h3]);
    await apply(page('11', [], [{ ...theirs, deleted: true }]));
    expect(await db.collections.get(row1!.id!)).toBeUndefined();
    expect(index.collections.has(row1!.id!)).toBe(false);
    expect(await db.collections.get(local)).toBeDefined();
  });

  it('keeps the AI description register: one record per sound, replaced when it changes', async () => {
    const text = encodeAiText({
      promptVersion: 'p1',
      provider: 'gemini',
      analysis: {
        description: 'Warm loop.',
        tags: [],
        freeTags: ['tape'],
        genres: [],
        moods: [],
        productionTips: ['Sidechain it.'],
        creativeIdeas: [],
      },
    });
    await apply(page('12', [remote(H2, { aiDescription: text, aiModel: 'gemini-x' })]));
    const [rec] = await db.descriptions.toArray();
    expect(rec).toMatchObject({
      contentHash: H2,
      promptVersion: 'p1',
      provider: 'gemini',
      model: 'gemini-x',
    });
    expect(rec.analysis.freeTags).toEqual(['tape']);
    expect(rec.analysis.productionTips).toEqual(['Sidechain it.']);
    // A plain text from another client is a bare description.
    await apply(page('13', [remote(H2, { aiDescription: 'Just words.', aiModel: null })]));
    const all = await db.descriptions.toArray();
    expect(all).toHaveLength(1);
    expect(all[0].analysis.description).toBe('Just words.');
    await apply(page('14', [remote(H2, { aiDescription: null, aiModel: null })]));
    expect(await db.descriptions.count()).toBe(0);
  });

  it('moves the clock past every updatedAt of a page, so the next local edit outranks them', async () => {
    // Another device's clock runs a year ahead: its stamps (and so updatedAt) are in 2031.
    const ahead = Date.parse('2031-06-01T00:00:00.000Z');
    const at = (ms: number) => new Date(ms).toISOString();
    const coll: SyncCollection = {
      id: 'coll-ahead-1',
      deleted: false,
      name: 'Ahead',
      description: '',
      color: null,
      sampleIds: [],
      updatedAt: at(ahead + 7),
    };
    await apply(
      page('16', [remote(H2, { updatedAt: at(ahead) }), remote(H3, { updatedAt: at(ahead + 3) })], [coll]),
    );
    await addTag(db, index, [1], 'mine');
    const [row] = await db.outbox.toArray();
    // The latest entity (the collection) held stamps up to "<ahead + 7>-9999"; this edit orders after.
    expect(row.hlc > `${String(ahead + 7).padStart(13, '0')}-9999`).toBe(true);
    expect(row.hlc < `${String(ahead + 9).padStart(13, '0')}-0000`).toBe(true);
    // A later page with older times does not move the clock back.
    await apply(page('17', [remote(H2, { updatedAt: at(ahead - 1000) })]));
    await addTag(db, index, [1], 'again');
    const rows = await db.outbox.toArray();
    expect(rows[1].hlc > rows[0].hlc).toBe(true);
  });

  it('latestUpdate: the newest updatedAt of samples and collections, 0 for an empty page', () => {
    expect(latestUpdate({ samples: [], collections: [] })).toBe(0);
    const p = page(
      '1',
      [remote(H2, { updatedAt: '2030-01-01T00:00:00.005Z' })],
      [
        {
          id: 'coll-x-12345',
          deleted: true,
          name: null,
          description: '',
          color: null,
          sampleIds: [],
          updatedAt: '2030-01-01T00:00:00.009Z',
        },
      ],
    );
    expect(latestUpdate(p)).toBe(Date.parse('2030-01-01T00:00:00.009Z'));
  });

  it('a local removal of a remote sound is a delete, and its vector goes', async () => {
    await apply(page('15', [remote(H2)]));
    const id = (await db.files.where('contentHash').equals(H2).first())!.id!;
    await removeFiles(db, index, [id]);
    expect((await db.outbox.toArray()).map((r) => r.name)).toEqual(['sample.delete']);
    expect((await loadVectors(db)).has(H2)).toBe(false);
    expect((await loadVectors(db, [H2])).has(H2)).toBe(false);
  });
});
