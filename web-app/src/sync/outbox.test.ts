import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveRecords } from '../ai/ai-store';
import { openDb, type SampleMindDb } from '../db/database';
import type { AiRecord } from '../db/types';
import { rng, syntheticResult } from '../dev/synthetic';
import {
  addTag,
  addToCollection,
  createCollection,
  deleteCollection,
  editFiles,
  removeFiles,
  removeFromCollection,
  removeTag,
  setFavourite,
} from '../state/library-actions';
import type { LibraryIndex } from '../state/library-index';
import { loadLibrary } from '../state/load-library';
import { fileRow } from '../testing/rows';
import { beginBootstrap, reshareLibrary, runBootstrap } from './bootstrap';
import { getBinding, getBootstrap } from './sync-store';
import { bindForTest, pending } from './testing/bind';

let db: SampleMindDb;
let index: LibraryIndex;
let n = 0;

const H1 = 'a1'.repeat(16);
const H2 = 'b2'.repeat(16);

beforeEach(async () => {
  db = openDb(`test-outbox-${n++}`);
  // Two files with the same sound (H1), one with another (H2), one not analysed yet.
  await db.files.bulkAdd([
    fileRow('Kit/kick.wav', { id: 1, contentHash: H1 }),
    fileRow('Copy/kick.wav', { id: 2, contentHash: H1 }),
    fileRow('Kit/snare.wav', { id: 3, contentHash: H2 }),
    fileRow('Kit/new.wav', { id: 4, contentHash: null, status: 'queued', summary: null }),
  ]);
  index = await loadLibrary(db);
});

afterEach(async () => {
  db.close();
  await db.delete();
});

describe('the outbox', () => {
  it('queues nothing while the library was never tied to an account', async () => {
    await addTag(db, index, [1], 'dark');
    await setFavourite(db, index, [3], true);
    await createCollection(db, 'Set');
    expect(await db.outbox.count()).toBe(0);
    // Offline edits stay per file, as before sync existed.
    expect((await db.edits.get(2))?.tags).toBeUndefined();
  });

  it('numbers mutations 1, 2, 3 … without gaps across transactions, with increasing stamps', async () => {
    await bindForTest(db);
    await addTag(db, index, [1], 'Dark');
    await setFavourite(db, index, [3], true);
    await addTag(db, index, [3], 'dark');
    const rows = await db.outbox.orderBy('mutationId').toArray();
    expect(rows.map((r) => r.mutationId)).toEqual([1, 2, 3]);
    const stamps = rows.map((r) => r.hlc);
    expect([...stamps].sort()).toEqual(stamps);
    expect(new Set(stamps).size).toBe(3);
    const b = await getBinding(db);
    expect(b?.counter).toBe(3);
    expect(b?.hlc).toBe(stamps[2]);
  });

  it('writes the edit and its mutation together: a failing edit write leaves no mutation', async () => {
    await bindForTest(db);
    // An edit row with an invalid key makes the edits write fail after the mutation was queued.
    await expect(
      editFiles(db, index, [1], (e) => ({ ...e, favourite: true, fileId: Number.NaN })),
    ).rejects.toThrow();
    expect(await db.outbox.count()).toBe(0);
    expect((await getBinding(db))?.counter).toBe(0);
    expect(await db.edits.count()).toBe(0);
  });

  it('…and a failing queue write leaves the edit unwritten', async () => {
    await bindForTest(db);
    // A row already holding the next id makes the queue write fail.
    await db.outbox.add({
      mutationId: 1,
      hlc: '0000000000001-0000',
      name: 'sample.delete',
      args: { id: H2 },
      entity: `s:${H2}`,
    });
    await expect(setFavourite(db, index, [1], true)).rejects.toThrow();
    expect(await db.edits.get(1)).toBeUndefined();
    expect(index.favourite[index.rowOfFile(1)]).toBe(0);
    expect(await db.outbox.count()).toBe(1);
  });
});

describe('local changes as mutations', () => {
  beforeEach(() => bindForTest(db));

  it('maps tag ids to lower-cased names and edits a sound on all of its files', async () => {
    await addTag(db, index, [1], ' Warm Pad ');
    const tag = (await db.tags.toArray())[0];
    expect(tag.name).toBe('warm pad');
    // The duplicate (file 2) got the tag too: an edit is an edit of the sound.
    expect((await db.edits.get(2))?.tags).toEqual([tag.id]);
    expect(index.tags[index.rowOfFile(2)]).toEqual([tag.id]);
    await removeTag(db, index, [2], tag.id!);
    expect(await pending(db)).toEqual([
      { mutationId: 1, name: 'sample.addTags', args: { id: H1, tags: ['warm pad'] } },
      { mutationId: 2, name: 'sample.removeTags', args: { id: H1, tags: ['warm pad'] } },
    ]);
  });

  it('sends favourites and the BPM/key/type corrections (reset = null), not unchanged fields', async () => {
    await setFavourite(db, index, [3], true);
    await setFavourite(db, index, [3], true);
    await editFiles(db, index, [3], (e) => ({
      ...e,
      bpm: 2000,
      key: { tonic: 'A', scale: 'minor' },
      type: 'snare',
    }));
    await editFiles(db, index, [3], (e) => ({ ...e, bpm: undefined, key: undefined, type: undefined }));
    expect((await pending(db)).map((m) => m.args)).toEqual([
      { id: H2, field: 'favorite', value: true },
      // Out of the contract's range: clamped, so the server does not refuse the batch.
      { id: H2, field: 'bpm', value: 999 },
      { id: H2, field: 'key', value: { tonic: 'A', scale: 'minor' } },
      { id: H2, field: 'type', value: 'snare' },
      { id: H2, field: 'bpm', value: null },
      { id: H2, field: 'key', value: null },
      { id: H2, field: 'type', value: null },
    ]);
  });

  it('sends a key corrected to "none" as such, and its withdrawal as null', async () => {
    await editFiles(db, index, [3], (e) => ({ ...e, key: null }));
    await editFiles(db, index, [3], (e) => ({ ...e, key: undefined }));
    expect((await pending(db)).map((m) => m.args)).toEqual([
      { id: H2, field: 'key', value: 'none' },
      { id: H2, field: 'key', value: null },
    ]);
  });

  it('does not sync files that have no content hash yet', async () => {
    await addTag(db, index, [4], 'later');
    expect(await db.outbox.count()).toBe(0);
    expect((await db.edits.get(4))?.tags?.length).toBe(1);
  });

  it('gives collections a sync id and sends members as content hashes', async () => {
    const id = await createCollection(db, '  Drums ');
    const { syncId } = (await db.collections.get(id))!;
    expect(syncId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    await addToCollection(db, index, id, [1, 3]);
    // Both files of H1 are members now.
    expect([...index.collections.get(id)!].sort()).toEqual([1, 2, 3]);
    await removeFromCollection(db, index, id, [3]);
    await deleteCollection(db, index, id);
    expect(await pending(db)).toEqual([
      { mutationId: 1, name: 'collection.upsert', args: { id: syncId, name: 'Drums' } },
      { mutationId: 2, name: 'collection.addMembers', args: { id: syncId, sampleIds: [H1, H2] } },
      { mutationId: 3, name: 'collection.removeMembers', args: { id: syncId, sampleIds: [H2] } },
      { mutationId: 4, name: 'collection.delete', args: { id: syncId } },
    ]);
  });

  it('deletes a sound when its last file leaves the library, not while a duplicate stays', async () => {
    await removeFiles(db, index, [1]);
    expect(await db.outbox.count()).toBe(0);
    await removeFiles(db, index, [2, 3]);
    expect((await pending(db)).map((m) => [m.name, m.args.id])).toEqual([
      ['sample.delete', H1],
      ['sample.delete', H2],
    ]);
  });

  it('queues an AI description with the description it saves', async () => {
    const record: AiRecord = {
      contentHash: H2,
      promptVersion: 'p1',
      analysis: {
        description: 'A dry snare.',
        tags: [],
        freeTags: ['909'],
        genres: [],
        moods: [],
        productionTips: [],
        creativeIdeas: [],
      },
      provider: 'anthropic',
      model: 'claude-x',
      cached: false,
      describedAt: 1,
    };
    await saveRecords(db, [record]);
    await saveRecords(db, [record]); // the same again: nothing new to say
    const [m] = await pending(db);
    expect(await db.outbox.count()).toBe(1);
    expect(m.name).toBe('sample.setAiDescription');
    expect(m.args.model).toBe('claude-x');
    expect(String(m.args.description).startsWith('A dry snare.')).toBe(true);
    expect(await db.descriptions.count()).toBe(1);
  });

  it('keeps a base snapshot of an entity from before its first pending mutation', async () => {
    await setFavourite(db, index, [3], true);
    await addTag(db, index, [3], 'dry');
    const base = await db.syncBase.get(`s:${H2}`);
    expect(base?.state).toMatchObject({ id: H2, favorite: false, tags: [] });
  });
});

describe('the bootstrap (first sign-in)', () => {
  it('describes the whole library in resumable chunks: analyses, edits, collections, AI', async () => {
    for (const [i, h] of [H1, H2].entries())
      await db.samples.put({
        ...syntheticResult(rng(i + 1), h),
        analyserVersion: fileRow('x').analyserVersion!,
      });
    await addTag(db, index, [2], 'Dark');
    await setFavourite(db, index, [3], true);
    const coll = await createCollection(db, 'Kit');
    await addToCollection(db, index, coll, [1, 4]);
    expect(await db.outbox.count()).toBe(0);

    await bindForTest(db);
    await db.transaction('rw', db.syncState, db.files, () => beginBootstrap(db));
    const progress: number[] = [];
    expect(await runBootstrap(db, { chunk: 2, onProgress: (p) => progress.push(p.done) })).toBe('done');
    expect(progress.at(-1)).toBe(4);
    expect((await getBootstrap(db))?.state).toBe('done');
    const rows = await pending(db);
    const syncId = (await db.collections.get(coll))!.syncId;
    expect(rows.map((r) => [r.name, r.args])).toEqual([
      ['collection.upsert', { id: syncId, name: 'Kit' }],
      ['collection.addMembers', { id: syncId, sampleIds: [H1] }],
      ['sample.upsertAnalysis', { id: H1, analyserVersion: '1.0.0', name: 'kick.wav', path: 'Kit/kick.wav' }],
      ['sample.addTags', { id: H1, tags: ['dark'] }],
      [
        'sample.upsertAnalysis',
        { id: H2, analyserVersion: '1.0.0', name: 'snare.wav', path: 'Kit/snare.wav' },
      ],
      ['sample.setField', { id: H2, field: 'favorite', value: true }],
    ]);
    expect(rows.map((r) => r.mutationId)).toEqual([1, 2, 3, 4, 5, 6]);
    // Finished: running it again queues nothing.
    expect(await runBootstrap(db)).toBe('done');
    expect(await db.outbox.count()).toBe(6);
  });

  it('stops when aborted and goes on from where it stopped', async () => {
    await bindForTest(db);
    await db.transaction('rw', db.syncState, db.files, () => beginBootstrap(db));
    const abort = new AbortController();
    const out = await runBootstrap(db, {
      chunk: 1,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.done >= 2) abort.abort();
      },
    });
    expect(out).toBe('aborted');
    expect((await getBootstrap(db))?.done).toBe(2);
    expect(await runBootstrap(db, { chunk: 1 })).toBe('done');
    expect((await getBootstrap(db))?.done).toBe(4);
  });

  it('describes the library again on request (after a bulk change), only while syncing', async () => {
    await setFavourite(db, index, [3], true);
    expect(await reshareLibrary(db)).toBe(false);
    await bindForTest(db);
    expect(await reshareLibrary(db)).toBe(true);
    expect(await runBootstrap(db)).toBe('done');
    expect((await pending(db)).map((m) => m.args)).toEqual([{ id: H2, field: 'favorite', value: true }]);
  });
});
