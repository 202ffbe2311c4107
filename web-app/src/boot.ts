import type { EnginePool } from '@samplemind/engine/pool';
import { getAccount } from './account/account';
import { moveLegacyAiRecords } from './ai/ai-store';
import { getDb } from './db/database';
import { createBrowserPool, poolSizeFor } from './engine/browser-pool';
import { FileAccess } from './import/file-access';
import { Importer, type PoolLike } from './import/importer';
import { workerReader } from './import/reader';
import { parseViewQuery } from './query/url-state';
import { AppStore } from './state/app-store';
import { openLibrary } from './state/load-library';
import { SnapshotWriter } from './state/snapshot-writer';
import { initSyncEngine } from './sync/sync-engine';

/** Workers start only when there is something to analyse, so opening the library stays light. */
function lazyPool(size: number): PoolLike & { get(): EnginePool | null } {
  let pool: EnginePool | null = null;
  let paused = false;
  const ensure = () => {
    if (!pool) {
      pool = createBrowserPool(size);
      if (paused) pool.pause();
    }
    return pool;
  };
  return {
    get: () => pool,
    submit: (input, options) => ensure().submit(input, options),
    pause() {
      paused = true;
      pool?.pause();
    },
    resume() {
      paused = false;
      pool?.resume();
    },
    cancelAll: () => pool?.cancelAll(),
    stats: () => pool?.stats() ?? { queued: 0, running: 0, completed: 0, workers: 0, isPaused: paused },
  };
}

export async function boot(): Promise<AppStore> {
  const db = getDb();
  const t0 = performance.now();
  const { index, source } = await openLibrary(db, {
    rebuild: new URLSearchParams(location.search).has('rebuild'),
  });
  performance.measure('sm:load-index', { start: t0, detail: source });
  document.documentElement.dataset.indexSource = source;
  const access = new FileAccess(db);
  const store = new AppStore(db, index, access, parseViewQuery(location.search), {
    replace: (search) =>
      history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`),
  });
  const poolSize = poolSizeFor(location.search, navigator.hardwareConcurrency);
  const pool = lazyPool(poolSize);
  const importer = new Importer({
    db,
    index,
    pool,
    access,
    poolSize,
    read: workerReader(),
    onChange: () => {
      store.progress = importer.progress();
      store.emitSoon();
    },
    onError: (m) => store.notify(m),
  });
  store.importer = importer;
  // Sync: pulled changes and changes from other tabs patch the index; see sync/sync-engine.ts.
  const sync = initSyncEngine({
    db,
    index,
    account: getAccount(),
    onLibraryChanged: ({ collections }) => {
      if (collections) void store.reloadCollections();
      else store.emitSoon();
    },
  });
  const snapshots = new SnapshotWriter(
    db,
    index,
    () => importer.progress().isActive,
    () => {
      // While syncing, other tabs' changes arrive through the sync channel and patch this index.
      if (sync.getStatus().state !== 'off') return;
      store.notify('The library was changed in another tab: reload this one to see those changes.', 'info');
    },
  );
  if (source === 'snapshot') snapshots.markSaved();
  store.subscribe(() => snapshots.schedule());
  snapshots.schedule();
  store.progress = importer.progress();
  await store.reloadCollections();
  // Sorting by any column is instant once these are computed in idle time.
  store.sorts.warm(index, ['name', 'bpm', 'key', 'type', 'duration', 'lufs', 'root', 'added']);
  // Anything queued when the tab closed goes on now, in one tab only: the first tab holds a Web
  // Lock for its lifetime and resumes the queue; another tab takes over when that one closes.
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (locks)
    void locks.request('samplemind-import-queue', () =>
      importer.resumeFromDb().then(() => new Promise<void>(() => {})),
    );
  else void importer.resumeFromDb();
  // AI descriptions from builds before schema v2 move into the library first, so the bootstrap of
  // a first sign-in sends them too.
  void moveLegacyAiRecords(db)
    .catch(() => 0)
    .finally(() => sync.start());
  // Hooks for the e2e specs and the benchmark (read-only use; nothing here is needed by the UI).
  Object.assign(globalThis, {
    __samplemind: {
      store,
      importer,
      pool,
      /** The sync engine: getStatus() (state 'idle' + pending 0 = settled), syncNow(). */
      sync,
      similar: async (hash: string, k = 40) => {
        const { findSimilar } = await import('./similarity/similarity-client');
        const { DEFAULT_WEIGHTS } = await import('./similarity/similarity-core');
        return findSimilar(hash, DEFAULT_WEIGHTS, k, index.contentVersion);
      },
    },
  });
  return store;
}
