import type { ApiClient } from '../account/api-client';
import type { SampleMindDb } from '../db/database';
import { hasRows } from '../db/has-rows';
import { runBootstrap } from './bootstrap';
import { type Candidates, emptyPatch, type IndexPatch } from './project';
import { applyPage, fetchPage } from './pull';
import { pushOnce } from './push';
import { reconcile } from './reconcile';
import { getBinding, getBootstrap, getCursor, putLastSyncedAt } from './sync-store';

export type CycleHooks = {
  signal?: AbortSignal;
  /** Bootstrap progress (files described / all files), null when there is none. */
  onBootstrap?(p: { done: number; total: number; isPaused?: boolean } | null): void;
  /** After each push batch. */
  onPushed?(): void | Promise<void>;
  /** Files per hash as the in-memory index knows them (see Candidates); default: search the table. */
  candidates?: Candidates;
  /**
   * After each applied page (and after reconciling): patch the index here. `isLast`: no more pages
   * follow in this sync (what was pulled is all there is for now).
   */
  onApplied?(patch: IndexPatch, entities: number, isLast: boolean): void | Promise<void>;
};

export type CycleResult = {
  /** False while the first description of the library is unfinished (nothing was pulled). */
  didPull: boolean;
  /** Content hashes the pull and reconcile touched. */
  hashes: Set<string>;
  collections: boolean;
  syncedAt: number;
};

/**
 * One sync: finish describing the library to the account (bootstrap), push every pending mutation
 * in batches, pull every page since the cursor, then reconcile entities whose mutations settled.
 * Throws on the first failure (the caller backs off); everything done before it stays done.
 */
export async function syncCycle(
  db: SampleMindDb,
  api: ApiClient,
  hooks: CycleHooks = {},
): Promise<CycleResult> {
  const { signal } = hooks;
  const result: CycleResult = { didPull: false, hashes: new Set(), collections: false, syncedAt: 0 };
  const binding = await getBinding(db);
  if (!binding) return result;
  const { clientId } = binding;

  let boot = await getBootstrap(db);
  if (boot?.state === 'running') {
    hooks.onBootstrap?.({ done: boot.done, total: boot.total });
    await runBootstrap(db, { ...(signal ? { signal } : {}), onProgress: (p) => hooks.onBootstrap?.(p) });
    boot = await getBootstrap(db);
  }
  hooks.onBootstrap?.(
    boot && boot.state !== 'done'
      ? { done: boot.done, total: boot.total, ...(boot.state === 'paused' ? { isPaused: true } : {}) }
      : null,
  );

  for (;;) {
    if (signal?.aborted) return result;
    const out = await pushOnce(db, api, clientId, signal ? { signal } : {});
    await hooks.onPushed?.();
    if (out.isEmpty) break;
  }
  // Until the whole library is described, pulling would overwrite what is not sent yet.
  if (boot && boot.state !== 'done') return result;

  // The next page is asked for as soon as a page arrives, so the server's answer (and parsing
  // it) overlaps storing the page before: on a big first sync the device is the slow side.
  const ahead = new AbortController();
  const stopAhead = () => ahead.abort();
  signal?.addEventListener('abort', stopAhead, { once: true });
  const fetchAhead = (from: string) => {
    const p = fetchPage(api, from, { signal: ahead.signal });
    // Not awaited when the loop stops early (stale page, failure): no unhandled rejection.
    p.catch(() => {});
    return p;
  };
  try {
    let cursor = await getCursor(db);
    let next = fetchAhead(cursor);
    for (;;) {
      if (signal?.aborted) return result;
      const page = await next;
      const following = page.hasMore ? fetchAhead(page.cursor) : null;
      const applied = await applyPage(db, cursor, clientId, page, hooks.candidates);
      if (applied) {
        for (const h of applied.patch.hashes) result.hashes.add(h);
        result.collections ||= applied.patch.collectionsChanged || applied.patch.collections.size > 0;
        await hooks.onApplied?.(applied.patch, applied.samples + applied.collections, !following);
      }
      if (!following || !applied) break;
      cursor = page.cursor;
      next = following;
    }
  } finally {
    stopAhead();
    signal?.removeEventListener('abort', stopAhead);
  }
  if (signal?.aborted) return result;
  const settled = (await hasRows(db.syncBase)) ? await reconcile(db) : emptyPatch();
  if (settled.hashes.length || settled.collections.size) {
    for (const h of settled.hashes) result.hashes.add(h);
    result.collections ||= settled.collections.size > 0;
    await hooks.onApplied?.(settled, 0, true);
  }
  result.didPull = true;
  result.syncedAt = Date.now();
  await putLastSyncedAt(db, result.syncedAt);
  return result;
}
