import type { SampleMindDb } from '../db/database';
import { addTag } from '../state/library-actions';
import { type LibraryIndex, STATUS } from '../state/library-index';
import { aiProviderChoice } from './ai-prefs';
import { type AiServices, getAiServices } from './ai-services';
import { describedHashes, getRecord, saveRecords } from './ai-store';
import {
  type BulkFailure,
  type BulkItem,
  type BulkProgress,
  isFinished,
  runBulkDescribe,
} from './bulk-describe';
import { type BulkRun, bulkRuns } from './bulk-registry';
import { sampleInputFor } from './sample-input';

/** The parts of the AppStore a bulk run needs (so tests can pass a bare db + index). */
export type LibraryRef = { db: SampleMindDb; index: LibraryIndex };

export type GatheredItems = {
  items: BulkItem[];
  skipped: number;
  notReady: BulkFailure[];
  fileCount: number;
};

/**
 * The sounds behind a selection of files: one item per content hash (duplicates are described
 * once), files without an analysis listed apart, and sounds that already have a description for
 * the current prompt version left out unless `redo`.
 */
export async function gatherBulkItems(
  lib: LibraryRef,
  fileIds: readonly number[],
  options: { services?: AiServices; redo?: boolean } = {},
): Promise<GatheredItems> {
  const { index, db } = lib;
  const byHash = new Map<string, BulkItem>();
  const notReady: BulkFailure[] = [];
  let fileCount = 0;
  for (const fileId of new Set(fileIds)) {
    const r = index.rowOfFile(fileId);
    if (r < 0) continue;
    fileCount++;
    const hash = index.hash[r];
    if (index.status[r] !== STATUS.done || !hash) {
      notReady.push({
        hash: hash ?? '',
        name: index.name[r],
        fileIds: [fileId],
        message:
          index.status[r] === STATUS.error
            ? 'Its analysis failed, so there is nothing to describe.'
            : 'Not analysed yet, so there is nothing to describe.',
      });
      continue;
    }
    const known = byHash.get(hash);
    if (known) {
      known.fileIds.push(fileId);
      continue;
    }
    byHash.set(hash, {
      hash,
      name: index.name[r],
      fileIds: [fileId],
      input: () => sampleInputFor(db, index, fileId),
    });
  }
  let items = [...byHash.values()];
  let skipped = 0;
  if (!options.redo && items.length) {
    const aiDb = (options.services ?? getAiServices()).db;
    const have = await describedHashes(
      aiDb,
      items.map((i) => i.hash),
    );
    skipped = have.size;
    items = items.filter((i) => !have.has(i.hash));
  }
  return { items, skipped, notReady, fileCount };
}

class ActiveRun implements BulkRun {
  readonly controller = new AbortController();
  readonly fileCount: number;
  readonly skipped: number;
  readonly notReady: BulkFailure[];
  readonly filesOf: Map<string, number[]>;
  progress: BulkProgress;
  done: Promise<BulkProgress> = new Promise(() => {});
  private readonly listeners = new Set<() => void>();

  constructor(g: GatheredItems) {
    this.fileCount = g.fileCount;
    this.skipped = g.skipped;
    this.notReady = g.notReady;
    this.filesOf = new Map(g.items.map((i) => [i.hash, i.fileIds]));
    this.progress = {
      state: 'starting',
      total: g.items.length,
      done: 0,
      failed: [],
      message: null,
      resumesAt: null,
      batchSize: 0,
      described: [],
    };
  }

  cancel() {
    this.controller.abort();
  }

  subscribe(l: () => void) {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  }

  update(p: BulkProgress) {
    this.progress = p;
    for (const l of this.listeners) l();
  }
}

/**
 * Starts describing the given files (the selection) in the background and registers the run, so
 * the toolbar and the dialog can follow it. One run at a time: a second call returns the running one.
 */
export async function startBulkDescribe(
  lib: LibraryRef,
  fileIds: readonly number[],
  options: { redo?: boolean; services?: AiServices; maxBatch?: number } = {},
): Promise<BulkRun> {
  const running = bulkRuns.current();
  if (running && !isFinished(running.progress.state)) return running;
  const services = options.services ?? getAiServices();
  const gathered = await gatherBulkItems(lib, fileIds, { services, redo: !!options.redo });
  const run = new ActiveRun(gathered);
  const provider = aiProviderChoice.provider();
  run.done = runBulkDescribe(gathered.items, {
    ai: services.client,
    save: (records) => saveRecords(services.db, records),
    ...(provider ? { provider } : {}),
    ...(options.redo ? { refresh: true } : {}),
    ...(options.maxBatch ? { maxBatch: options.maxBatch } : {}),
    signal: run.controller.signal,
    onProgress: (p) => run.update(p),
  });
  bulkRuns.set(run);
  return run;
}

/**
 * Adds each described sound's vocabulary tags (and, with `freeTags`, its free tags) to its files,
 * through the library's own tag action: one call per distinct tag. Returns the number of files
 * that got at least one tag.
 */
export async function applyDescribedTags(
  lib: LibraryRef,
  hashes: readonly string[],
  fileIdsOf: (hash: string) => number[],
  options: { services?: AiServices; freeTags?: boolean } = {},
): Promise<number> {
  const { db } = options.services ?? getAiServices();
  const filesByTag = new Map<string, Set<number>>();
  const touched = new Set<number>();
  for (const hash of hashes) {
    const rec = await getRecord(db, hash);
    if (!rec) continue;
    const names = [...rec.analysis.tags, ...(options.freeTags ? rec.analysis.freeTags : [])];
    for (const name of names) {
      const set = filesByTag.get(name) ?? new Set<number>();
      for (const id of fileIdsOf(hash)) {
        set.add(id);
        touched.add(id);
      }
      filesByTag.set(name, set);
    }
  }
  for (const [name, ids] of filesByTag) if (ids.size) await addTag(lib.db, lib.index, [...ids], name);
  return touched.size;
}
