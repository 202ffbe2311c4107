import 'fake-indexeddb/auto';
import type { PullResponse, SyncSample } from '@samplemind/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type SampleMindDb } from '../db/database';
import { contentHash } from '../import/hash';
import type { Importer } from '../import/importer';
import { addTag, addToCollection, createCollection } from '../state/library-actions';
import { type LibraryIndex, STATUS } from '../state/library-index';
import { loadLibrary } from '../state/load-library';
import { testImporter } from '../testing/test-importer';
import { patchIndex } from './index-patch';
import { applyPage } from './pull';
import { getCursor } from './sync-store';
import { bindForTest, pending } from './testing/bind';
import { remoteSample, remoteSummary } from './testing/remote-sample';

let db: SampleMindDb;
let index: LibraryIndex;
let importer: Importer;
let n = 0;
const ME = 'client-test-1';

beforeEach(async () => {
  db = openDb(`test-import-sync-${n++}`);
  index = await loadLibrary(db);
  importer = testImporter(db, index);
  await bindForTest(db, ME);
});

afterEach(async () => {
  db.close();
  await db.delete();
});

const item = (path: string, text: string) => {
  const blob = new Blob([text]);
  return { blob, name: path.split('/').pop()!, path, size: blob.size, mtime: 1, folderId: null };
};

async function pullRemote(
  s: Partial<SyncSample> & { id: string },
  collections: PullResponse['collections'] = [],
) {
  const sample = remoteSample(s.id, {
    name: 'from-b.wav',
    path: 'B/from-b.wav',
    summary: remoteSummary({}, 0.2),
    ...s,
  });
  const cursor = await getCursor(db);
  const out = await applyPage(db, cursor, ME, {
    cursor: String(Number(cursor) + 1),
    hasMore: false,
    samples: [sample],
    collections,
    clients: {},
  });
  await patchIndex(db, index, out!.patch);
}

describe('storing analysis results while syncing', () => {
  it('registers a new sound with its name and path', async () => {
    const [id] = await importer.add([item('Kit/kick.wav', 'kick')]);
    await importer.whenIdle();
    const hash = (await db.files.get(id))!.contentHash!;
    expect(await pending(db)).toEqual([
      {
        mutationId: 1,
        name: 'sample.upsertAnalysis',
        args: { id: hash, analyserVersion: '1.0.0', name: 'kick.wav', path: 'Kit/kick.wav' },
      },
    ]);
  });

  it('sends edits made while the file waited for analysis', async () => {
    importer.pause();
    const [id] = await importer.add([item('Kit/snare.wav', 'snare')]);
    await addTag(db, index, [id], 'early');
    expect(await db.outbox.count()).toBe(0);
    importer.resume();
    await importer.whenIdle();
    const rows = await pending(db);
    expect(rows.map((r) => r.name)).toEqual(['sample.upsertAnalysis', 'sample.addTags']);
    expect(rows[1].args.tags).toEqual(['early']);
  });

  it('a file whose sound was only on the server takes over the remote row, its edits and collections', async () => {
    const hash = await contentHash(new TextEncoder().encode('shared sound'));
    await pullRemote({ id: hash, tags: ['theirs'], favorite: true }, [
      {
        id: 'coll-1',
        deleted: false,
        name: 'Set',
        description: '',
        color: null,
        sampleIds: [hash],
        updatedAt: '2030-01-01T00:00:00.000Z',
      },
    ]);
    const remoteId = (await db.files.where('contentHash').equals(hash).first())!.id!;
    const coll = (await db.collections.where('syncId').equals('coll-1').first())!.id!;
    expect([...index.collections.get(coll)!]).toEqual([remoteId]);

    const [id] = await importer.add([item('Mine/shared.wav', 'shared sound')]);
    await importer.whenIdle();
    const files = await db.files.where('contentHash').equals(hash).toArray();
    expect(files.map((f) => [f.id, f.status])).toEqual([[id, 'done']]);
    expect(index.rowOfFile(remoteId)).toBe(-1);
    const r = index.rowOfFile(id);
    expect(index.status[r]).toBe(STATUS.done);
    expect((index.tags[r] ?? []).map((t) => index.tagName(t))).toEqual(['theirs']);
    expect(index.favourite[r]).toBe(1);
    expect([...index.collections.get(coll)!]).toEqual([id]);
    // Known to the server already: no name/path that would overwrite a rename made elsewhere.
    expect(await pending(db)).toEqual([
      { mutationId: 1, name: 'sample.upsertAnalysis', args: { id: hash, analyserVersion: '1.0.0' } },
    ]);
  });

  it("adds a file's collections made before its analysis to the synced members", async () => {
    const coll = await createCollection(db, 'Early');
    importer.pause();
    const [id] = await importer.add([item('Kit/clap.wav', 'clap')]);
    await addToCollection(db, index, coll, [id]);
    expect(await db.outbox.count()).toBe(1);
    importer.resume();
    await importer.whenIdle();
    const hash = (await db.files.get(id))!.contentHash!;
    const rows = await pending(db);
    expect(rows.map((r) => r.name)).toEqual([
      'collection.upsert',
      'sample.upsertAnalysis',
      'collection.addMembers',
    ]);
    expect(rows[2].args.sampleIds).toEqual([hash]);
    expect((await db.collections.get(coll))!.sampleIds).toEqual([hash]);
  });
});
