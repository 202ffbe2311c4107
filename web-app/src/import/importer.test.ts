import 'fake-indexeddb/auto';
import type { AnalysisOutcome } from '@samplemind/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type SampleMindDb } from '../db/database';
import { rng, syntheticResult } from '../dev/synthetic';
import { LibraryIndex, STATUS } from '../state/library-index';
import { loadLibrary } from '../state/load-library';
import { fakePool } from '../testing/fake-pool';
import { FileAccess } from './file-access';
import { Importer, type ImportItem } from './importer';

let db: SampleMindDb;
let dbCount = 0;

const item = (path: string, content: string): ImportItem => {
  const blob = new Blob([content]);
  return { blob, name: path.split('/').pop()!, path, size: blob.size, mtime: 1, folderId: null };
};

/** Pretends to analyse: files whose text starts with "bad" fail like a corrupt file would. */
const analyse = async (bytes: Uint8Array, o: { contentHash?: string }): Promise<AnalysisOutcome> => {
  await new Promise((r) => setTimeout(r, 1));
  const text = new TextDecoder().decode(bytes);
  if (text.startsWith('bad'))
    return { ok: false, error: { code: 'corrupt', message: 'the WAV header is damaged' } };
  if (text.startsWith('crash')) throw new Error('worker died');
  return { ok: true, result: syntheticResult(rng(bytes.length), o.contentHash!) };
};

function makeImporter(index: LibraryIndex, pool = fakePool(analyse)) {
  const errors: string[] = [];
  const importer = new Importer({
    db,
    index,
    pool,
    access: new FileAccess(db),
    poolSize: 1,
    flushMs: 5,
    onChange() {},
    onError: (m) => errors.push(m),
  });
  return { importer, pool, errors };
}

beforeEach(() => {
  db = openDb(`test-import-${dbCount++}`);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

describe('Importer', () => {
  it('registers rows at once, then stores results and readable errors', async () => {
    const index = new LibraryIndex();
    const { importer } = makeImporter(index);
    const ids = await importer.add([
      item('Kit/a.wav', 'good A'),
      item('Kit/b.wav', 'bad header'),
      item('c.wav', 'good C!'),
    ]);
    expect(ids).toHaveLength(3);
    expect(index.size).toBe(3);
    expect(index.status[0]).toBe(STATUS.queued);
    await importer.whenIdle();
    const rows = await db.files.bulkGet(ids);
    expect(rows.map((r) => r!.status)).toEqual(['done', 'error', 'done']);
    expect(rows[1]!.error).toEqual({ code: 'corrupt', message: 'the WAV header is damaged' });
    expect(rows[0]!.summary).not.toBeNull();
    expect(await db.samples.count()).toBe(2);
    expect(await db.vectors.count()).toBe(2);
    expect(await db.queue.count()).toBe(0);
    const p = importer.progress();
    expect([p.total, p.done, p.failed, p.isActive]).toEqual([3, 2, 1, false]);
    expect(index.error[index.rowOfFile(ids[1])]).toBe('the WAV header is damaged');
  });

  it('marks a file whose worker crashed as failed and goes on', async () => {
    const index = new LibraryIndex();
    const { importer } = makeImporter(index);
    const ids = await importer.add([item('x.wav', 'crash me'), item('y.wav', 'good Y')]);
    await importer.whenIdle();
    const rows = await db.files.bulkGet(ids);
    expect(rows[0]!.status).toBe('error');
    expect(rows[0]!.error!.code).toBe('worker-crashed');
    expect(rows[1]!.status).toBe('done');
  });

  it('does not analyse a duplicate again and shows it as a duplicate', async () => {
    const index = new LibraryIndex();
    const { importer, pool } = makeImporter(index);
    await importer.add([item('one/a.wav', 'same bytes')]);
    await importer.whenIdle();
    const [dup] = await importer.add([item('two/a copy.wav', 'same bytes')]);
    await importer.whenIdle();
    expect(pool.submitted).toEqual(['one/a.wav']);
    expect((await db.files.get(dup))!.status).toBe('done');
    expect(index.duplicateCount(index.rowOfFile(dup))).toBe(2);
  });

  it('skips a file dropped again unchanged, re-analyses it when it changed', async () => {
    const index = new LibraryIndex();
    const { importer, pool } = makeImporter(index);
    await importer.add([item('k.wav', 'good v1')]);
    await importer.whenIdle();
    expect(await importer.add([item('k.wav', 'good v1')])).toEqual([]);
    const changed = item('k.wav', 'good v2 longer');
    const [id] = await importer.add([changed]);
    await importer.whenIdle();
    expect(pool.submitted).toEqual(['k.wav', 'k.wav']);
    expect(index.size).toBe(1);
    expect((await db.files.get(id))!.size).toBe(changed.size);
  });

  it('resumes after a reload: only unfinished files, nothing duplicated', async () => {
    const index = new LibraryIndex();
    const first = makeImporter(index);
    first.importer.pause();
    const items = Array.from({ length: 6 }, (_, i) => item(`f${i}.wav`, `good ${i}`));
    await first.importer.add(items);
    // "Reload": a new index and importer over the same database; the kept blobs feed the queue.
    const reloaded = await loadLibrary(db);
    expect(reloaded.size).toBe(6);
    const second = makeImporter(reloaded);
    expect(await second.importer.resumeFromDb()).toBe(6);
    await second.importer.whenIdle();
    expect(await db.files.count()).toBe(6);
    expect(await db.queue.count()).toBe(0);
    expect((await db.files.toArray()).every((f) => f.status === 'done')).toBe(true);
    expect(second.pool.submitted.sort()).toEqual(items.map((i) => i.path).sort());
  });

  it('analyses visible rows first', async () => {
    const index = new LibraryIndex();
    const { importer, pool } = makeImporter(index);
    importer.pause();
    const ids = await importer.add(Array.from({ length: 10 }, (_, i) => item(`v${i}.wav`, `good ${i}`)));
    importer.setVisible([ids[8], ids[9]]);
    importer.resume();
    await importer.whenIdle();
    expect(pool.submitted.slice(0, 2)).toEqual(['v8.wav', 'v9.wav']);
  });

  it('cancel marks the remaining files as not analysed', async () => {
    const index = new LibraryIndex();
    const { importer } = makeImporter(index);
    importer.pause();
    const ids = await importer.add(Array.from({ length: 5 }, (_, i) => item(`c${i}.wav`, `good ${i}`)));
    await importer.cancel();
    const rows = await db.files.bulkGet(ids);
    expect(rows.every((r) => r!.status === 'error' && r!.error!.code === 'aborted')).toBe(true);
    expect(await db.queue.count()).toBe(0);
    expect(importer.progress().isActive).toBe(false);
  });
});

describe('Importer and a full disk', () => {
  it('still adds and analyses the files when their copies do not fit, and says so', async () => {
    const index = new LibraryIndex();
    const { importer, errors } = makeImporter(index);
    const quota = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    const original = db.blobs.bulkAdd.bind(db.blobs);
    db.blobs.bulkAdd = (() => Promise.reject(quota)) as unknown as typeof db.blobs.bulkAdd;
    try {
      const ids = await importer.add([item('q1.wav', 'good 1'), item('q2.wav', 'good 2')]);
      await importer.whenIdle();
      expect((await db.files.bulkGet(ids)).map((f) => f!.status)).toEqual(['done', 'done']);
      expect(await db.blobs.count()).toBe(0);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/Storage is full/);
    } finally {
      db.blobs.bulkAdd = original;
    }
  });

  it('keeps files queued and reports when results cannot be saved', async () => {
    const index = new LibraryIndex();
    const { importer, errors } = makeImporter(index);
    const quota = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    const original = db.samples.bulkPut.bind(db.samples);
    db.samples.bulkPut = (() => Promise.reject(quota)) as unknown as typeof db.samples.bulkPut;
    try {
      const [id] = await importer.add([item('r.wav', 'good r')]);
      await expect.poll(() => errors.length).toBeGreaterThan(0);
      expect(errors[0]).toMatch(/storage for this site is full/);
      expect(importer.progress().isPaused).toBe(true);
      expect((await db.files.get(id))!.status).toBe('queued');
      expect(await db.queue.count()).toBe(1);
      // Space freed, import resumed: the file is analysed again and stored.
      db.samples.bulkPut = original;
      importer.resume();
      await importer.whenIdle();
      expect((await db.files.get(id))!.status).toBe('done');
      expect(await db.queue.count()).toBe(0);
    } finally {
      db.samples.bulkPut = original;
    }
  });
});
