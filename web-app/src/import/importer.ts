import {
  ANALYSER_VERSION,
  type AnalysisError,
  type AnalysisOutcome,
  type AnalysisResult,
} from '@samplemind/contract';
import type { EnginePool, JobHandle } from '@samplemind/engine/pool';
import type { SampleMindDb } from '../db/database';
import { describeStorageError, isQuotaError } from '../db/storage-errors';
import type { FileRow, QueueRow } from '../db/types';
import type { LibraryIndex } from '../state/library-index';
import { type AnalysedSync, prepareAnalysedSync } from '../sync/import-sync';
import { announceLocalChange } from '../sync/notify';
import { withSyncTables } from '../sync/outbox';
import { getBinding } from '../sync/sync-store';
import { type FileAccess, SourceUnavailable } from './file-access';
import { type ImportProgress, RateMeter } from './progress';
import { type Reader, type ReadResult, readHere } from './reader';
import { summarise } from './summarise';

export type PoolLike = Pick<EnginePool, 'submit' | 'pause' | 'resume' | 'cancelAll' | 'stats'>;

/** One file to add: what the picker, the drop or the folder scan found. */
export type ImportItem = {
  blob: Blob;
  name: string;
  /** Relative path including the top folder's name (just the name for loose files). */
  path: string;
  size: number;
  mtime: number;
  folderId: number | null;
  handle?: FileSystemFileHandle;
};

export type ImporterDeps = {
  db: SampleMindDb;
  index: LibraryIndex;
  pool: PoolLike;
  access: FileAccess;
  /** Extra files read and hashed ahead of the workers, so no worker waits on I/O. */
  prefetch?: number;
  poolSize: number;
  /** Keep a copy of files that have no handle (needed to resume, re-analyse and play them later). */
  keepBlobs?: boolean;
  /** Reads a file and computes its content hash (the app does it in a worker). */
  read?: Reader;
  onChange: () => void;
  onError: (message: string) => void;
  flushMs?: number;
  now?: () => number;
};

type Outcome =
  | { id: number; hash: string | null; kind: 'result'; result: AnalysisResult }
  | { id: number; hash: string; kind: 'known'; result: AnalysisResult }
  | { id: number; hash: string | null; kind: 'error'; error: AnalysisError };

// Small transactions with a yield between them: each one's structured cloning stays well under a
// long task (50 ms), even for thousands of dropped files.
const REGISTER_CHUNK = 100;
const WRITE_CHUNK = 25;
const yieldToEventLoop = () => new Promise((r) => setTimeout(r, 0));
const FLUSH_AT = 100;

/**
 * The import pipeline on the main thread: registers files at once, then reads, hashes and hands
 * them to the worker pool (visible rows first), and stores results in batched transactions. The
 * queue table is the source of truth, so a reload resumes exactly the files that have no result.
 */
export class Importer {
  private pending: number[] = [];
  private head = 0;
  private pendingSet = new Set<number>();
  private visible: number[] = [];
  private inflight = new Map<number, JobHandle | null>();
  private blocked: number[] = [];
  private buffer: Outcome[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> | null = null;
  private isPaused = false;
  private isCancelling = false;
  private rate = new RateMeter();
  private session = {
    total: 0,
    done: 0,
    failed: 0,
    startedAt: null as number | null,
    finishedAt: null as number | null,
  };
  private readonly now: () => number;
  private readonly read: Reader;
  private idleWaiters: (() => void)[] = [];
  /** Files the user asked to analyse again: the "already analysed" shortcut is skipped once. */
  private forced = new Set<number>();

  constructor(private readonly deps: ImporterDeps) {
    this.now = deps.now ?? (() => performance.now());
    this.read = deps.read ?? readHere;
  }

  get index(): LibraryIndex {
    return this.deps.index;
  }

  progress(): ImportProgress {
    const now = this.now();
    const { total, done, failed, startedAt, finishedAt } = this.session;
    const fps = startedAt === null ? 0 : this.rate.rate(finishedAt ?? now, startedAt);
    const remaining = total - done - failed;
    return {
      total,
      done,
      failed,
      running: this.inflight.size,
      queued: this.pendingSet.size,
      filesPerSec: fps,
      etaSec: remaining > 0 && fps > 0 ? remaining / fps : remaining > 0 ? null : 0,
      isPaused: this.isPaused,
      isActive: remaining > 0,
      startedAt,
      finishedAt,
      blocked: this.blocked.length,
    };
  }

  /** Registers files (rows appear at once) and queues them for analysis. Returns their ids. */
  async add(items: ImportItem[]): Promise<number[]> {
    const { db, index } = this.deps;
    const known = index.pathMap();
    const fresh: ImportItem[] = [];
    const again: { id: number; item: ImportItem }[] = [];
    for (const item of items) {
      const id = known.get(item.path);
      if (id === undefined) fresh.push(item);
      else again.push({ id, item });
    }
    const ids: number[] = [];
    for (let i = 0; i < fresh.length; i += REGISTER_CHUNK) {
      if (i) await yieldToEventLoop();
      ids.push(...(await this.register(fresh.slice(i, i + REGISTER_CHUNK))));
    }
    // The same path dropped again: re-analyse only when the file changed.
    if (again.length) {
      const rows = await db.files.bulkGet(again.map((a) => a.id));
      const changed = again.filter((a, i) => {
        const row = rows[i];
        return !row || row.size !== a.item.size || row.mtime !== a.item.mtime || row.status === 'error';
      });
      await this.requeue(
        changed.map((c) => c.id),
        changed.map((c) => c.item),
      );
      ids.push(...changed.map((c) => c.id));
    }
    return ids;
  }

  private async register(items: ImportItem[]): Promise<number[]> {
    const { db, index, access } = this.deps;
    const addedAt = Date.now();
    const rows: FileRow[] = items.map((it) => ({
      name: it.name,
      path: it.path,
      folderId: it.folderId,
      size: it.size,
      mtime: it.mtime,
      addedAt,
      contentHash: null,
      analyserVersion: null,
      status: 'queued',
      error: null,
      summary: null,
      ...(it.handle ? { handle: it.handle } : {}),
    }));
    const keep = this.deps.keepBlobs !== false;
    const write = async (withBlobs: boolean) =>
      db.transaction('rw', [db.files, db.queue, db.blobs], async () => {
        const ids = (await db.files.bulkAdd(rows, { allKeys: true })) as number[];
        await db.queue.bulkAdd(ids.map((fileId): QueueRow => ({ fileId, enqueuedAt: addedAt })));
        if (withBlobs) {
          const blobs = ids.flatMap((fileId, i) =>
            items[i].handle || items[i].folderId !== null ? [] : [{ fileId, blob: items[i].blob }],
          );
          if (blobs.length) await db.blobs.bulkAdd(blobs);
        }
        return ids;
      });
    let ids: number[];
    try {
      ids = await write(keep);
    } catch (err) {
      if (!keep || !isQuotaError(err)) {
        this.deps.onError(describeStorageError(err, 'The files could not be added'));
        throw err;
      }
      this.deps.onError(
        'Storage is full: the dropped files were added but no copy could be kept, so they can be analysed now but not played or re-analysed after a reload. Free space or remove samples.',
      );
      ids = await write(false);
    }
    index.reserve(ids.length);
    ids.forEach((id, i) => {
      index.upsertFile({ ...rows[i], id });
      access.remember(id, items[i].blob);
    });
    this.enqueue(ids);
    return ids;
  }

  /** Puts existing files back in the queue (changed on disk, re-analysis asked, rescan). */
  async requeue(
    ids: number[],
    updates?: { size: number; mtime: number; blob: Blob }[],
    options: { force?: boolean } = {},
  ): Promise<void> {
    if (!ids.length) return;
    if (options.force) for (const id of ids) this.forced.add(id);
    const { db, index } = this.deps;
    const stats = updates?.map(({ size, mtime }) => ({ size, mtime }));
    if (updates) for (let i = 0; i < ids.length; i++) this.deps.access.remember(ids[i], updates[i].blob);
    const enqueuedAt = Date.now();
    await db.transaction('rw', [db.files, db.queue, db.blobs], async () => {
      if (updates) {
        // A kept copy must follow the file's new content, or a reload would analyse the old one.
        const kept = await db.blobs.bulkGet(ids);
        const renewed = ids.flatMap((fileId, i) => (kept[i] ? [{ fileId, blob: updates[i].blob }] : []));
        if (renewed.length) await db.blobs.bulkPut(renewed);
      }
      await db.files.bulkUpdate(
        ids.map((id, i) => ({
          key: id,
          changes: { status: 'queued' as const, error: null, ...(stats ? stats[i] : {}) },
        })),
      );
      await db.queue.bulkPut(ids.map((fileId) => ({ fileId, enqueuedAt })));
    });
    for (const id of ids) index.patchFile(id, { status: 'queued', error: null });
    this.enqueue(ids);
  }

  /** At startup: picks up every file whose analysis was not stored before the tab closed. */
  async resumeFromDb(): Promise<number> {
    const { db, index } = this.deps;
    const queued = (await db.queue.orderBy('enqueuedAt').primaryKeys()) as number[];
    const ids = queued.filter((id) => index.rowOfFile(id) >= 0);
    this.enqueue(ids);
    return ids.length;
  }

  private enqueue(ids: number[]) {
    let added = 0;
    for (const id of ids) {
      if (this.pendingSet.has(id) || this.inflight.has(id)) continue;
      this.pendingSet.add(id);
      this.pending.push(id);
      added++;
    }
    if (!added) return;
    if (!this.progress().isActive) {
      this.session = { total: 0, done: 0, failed: 0, startedAt: this.now(), finishedAt: null };
      this.rate.reset();
    }
    this.session.total += added;
    this.session.finishedAt = null;
    this.deps.onChange();
    this.pump();
  }

  /** Rows on screen are analysed first. */
  setVisible(fileIds: number[]): void {
    this.visible = fileIds;
    this.pump();
  }

  pause(): void {
    this.isPaused = true;
    this.deps.pool.pause();
    this.deps.onChange();
  }

  resume(): void {
    this.isPaused = false;
    this.deps.pool.resume();
    this.deps.onChange();
    this.pump();
  }

  /** Stops the import: queued files are marked as not analysed (they can be re-analysed later). */
  async cancel(): Promise<void> {
    this.isCancelling = true;
    const ids = [...this.pendingSet, ...this.blocked];
    this.pending = [];
    this.head = 0;
    this.pendingSet.clear();
    this.blocked = [];
    this.deps.pool.cancelAll();
    for (const id of ids) {
      this.buffer.push({
        id,
        hash: null,
        kind: 'error',
        error: { code: 'aborted', message: 'the import was cancelled before this file was analysed' },
      });
    }
    await this.flush();
    await this.whenIdle();
    this.isCancelling = false;
    this.isPaused = false;
    this.deps.pool.resume();
    this.deps.onChange();
  }

  /** Resolves when nothing is queued, running or waiting to be written. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle() {
    return (
      this.pendingSet.size === 0 && this.inflight.size === 0 && this.buffer.length === 0 && !this.flushing
    );
  }

  /** Files waiting for folder permission: call from a click so the browser may ask the user. */
  async grantAndRetry(): Promise<void> {
    const ids = this.blocked.splice(0);
    for (const id of ids) {
      try {
        await this.deps.access.blob(id, { ask: true });
      } catch {
        // Still blocked or gone: processOne reports it.
      }
    }
    this.enqueue(ids);
  }

  private nextPending(): number | undefined {
    for (const id of this.visible) {
      if (this.pendingSet.delete(id)) return id;
    }
    while (this.head < this.pending.length) {
      const id = this.pending[this.head++];
      if (this.pendingSet.delete(id)) return id;
    }
    this.pending = [];
    this.head = 0;
    return undefined;
  }

  private pump() {
    if (this.isPaused || this.isCancelling) return;
    const limit = this.deps.poolSize + (this.deps.prefetch ?? 2);
    while (this.inflight.size < limit) {
      const id = this.nextPending();
      if (id === undefined) break;
      this.inflight.set(id, null);
      void this.processOne(id).finally(() => {
        this.inflight.delete(id);
        this.pump();
        this.checkIdle();
      });
    }
  }

  private async processOne(id: number): Promise<void> {
    const { access, index, pool, db } = this.deps;
    let hash: string | null = null;
    try {
      let file: ReadResult;
      try {
        file = await this.read(await access.blob(id));
      } catch (err) {
        if (err instanceof SourceUnavailable && err.needsPermission) {
          this.blocked.push(id);
          this.deps.onChange();
          return;
        }
        const message = err instanceof Error ? err.message : String(err);
        this.push({ id, hash, kind: 'error', error: { code: 'unreadable', message } });
        return;
      }
      hash = file.hash;
      if (!this.forced.delete(id) && index.hasHash(hash)) {
        const known = await db.samples.get([hash, ANALYSER_VERSION]);
        if (known) {
          this.push({ id, hash, kind: 'known', result: known });
          return;
        }
      }
      if (this.isCancelling) {
        this.push({
          id,
          hash,
          kind: 'error',
          error: { code: 'aborted', message: 'the import was cancelled before this file was analysed' },
        });
        return;
      }
      const row = index.rowOfFile(id);
      const job = pool.submit(file.bytes, {
        path: row >= 0 ? index.path[row] : undefined,
        contentHash: hash,
      });
      this.inflight.set(id, job);
      const outcome: AnalysisOutcome = await job.done;
      if (outcome.ok) this.push({ id, hash, kind: 'result', result: outcome.result });
      else this.push({ id, hash, kind: 'error', error: outcome.error });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.push({ id, hash, kind: 'error', error: { code: 'internal', message } });
    }
  }

  private push(outcome: Outcome) {
    this.buffer.push(outcome);
    if (this.buffer.length >= FLUSH_AT) void this.flush();
    else this.flushTimer ??= setTimeout(() => void this.flush(), this.deps.flushMs ?? 250);
  }

  /** Writes buffered outcomes in one transaction, then patches the in-memory index. */
  flush(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.flushing) return this.flushing.then(() => (this.buffer.length ? this.flush() : undefined));
    if (!this.buffer.length) return Promise.resolve();
    const items = this.buffer.splice(0);
    this.flushing = this.write(items).finally(() => {
      this.flushing = null;
      if (this.buffer.length) void this.flush();
      this.checkIdle();
    });
    return this.flushing;
  }

  private async write(items: Outcome[]): Promise<void> {
    const { db, index } = this.deps;
    const patches = items.map((o) => ({ key: o.id, changes: patchOf(o) }));
    const results = items.flatMap((o) => (o.kind === 'result' ? [o.result] : []));
    const analysed = items.flatMap((o) =>
      o.kind === 'error'
        ? []
        : [
            {
              fileId: o.id,
              hash: o.result.contentHash || o.hash!,
              analyserVersion: o.result.analyserVersion,
              isFresh: o.kind === 'result',
            },
          ],
    );
    let sync: AnalysedSync | null = null;
    try {
      await db.transaction(
        'rw',
        withSyncTables(db, [db.samples, db.vectors, db.queue, db.blobs]),
        async () => {
          // While the library syncs, the results are queued for the server in this same transaction.
          const binding = analysed.length ? await getBinding(db) : undefined;
          if (binding) sync = await prepareAnalysedSync(db, binding, analysed);
          await db.files.bulkUpdate(patches);
          // Awaiting each slice lets the event loop run between them (the transaction stays open).
          for (let i = 0; i < results.length; i += WRITE_CHUNK) {
            const part = results.slice(i, i + WRITE_CHUNK);
            await db.samples.bulkPut(part);
            await db.vectors.bulkPut(
              part.map((r) => ({ contentHash: r.contentHash, v: Float32Array.from(r.features) })),
            );
          }
          await db.queue.bulkDelete(items.map((o) => o.id));
          await (sync as AnalysedSync | null)?.commit();
        },
      );
    } catch (err) {
      // Nothing was stored: the files stay queued (in the table too) and are retried after a reload.
      this.deps.onError(describeStorageError(err, 'Analysis results could not be saved'));
      if (isQuotaError(err)) {
        // Paused until the user frees space and resumes; then these files are analysed again.
        this.pause();
        for (const o of items) {
          if (this.pendingSet.has(o.id)) continue;
          this.pendingSet.add(o.id);
          this.pending.push(o.id);
        }
      }
      return;
    }
    const now = this.now();
    let ok = 0;
    const synced = sync as AnalysedSync | null;
    if (synced?.removed.length) index.remove(synced.removed);
    for (const p of patches) {
      index.patchFile(p.key, p.changes);
      if (p.changes.status === 'done') ok++;
    }
    if (synced) {
      for (const e of synced.edits) index.applyEdit(e.fileId, e.edit);
      for (const m of synced.members) {
        const set = new Set(index.collections.get(m.collectionId) ?? []);
        set.add(m.fileId);
        index.setCollectionMembers(m.collectionId, set);
      }
      announceLocalChange({
        db: db.name,
        hashes: synced.hashes,
        collections: synced.members.length > 0,
        enqueued: synced.enqueued,
      });
    }
    this.session.done += ok;
    this.session.failed += items.length - ok;
    this.rate.tick(now, items.length);
    if (this.session.done + this.session.failed >= this.session.total) this.session.finishedAt = now;
    this.deps.onChange();
  }

  private checkIdle() {
    if (!this.isIdle()) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}

function patchOf(o: Outcome): Partial<FileRow> {
  if (o.kind === 'error') {
    return { status: 'error', error: o.error, ...(o.hash ? { contentHash: o.hash } : {}) };
  }
  return {
    status: 'done',
    error: null,
    contentHash: o.result.contentHash || o.hash,
    analyserVersion: o.result.analyserVersion,
    summary: summarise(o.result),
  };
}
