import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { getSyncEngine, type SyncEngine, type SyncStatus } from '../sync/sync-engine';

function sameStatus(a: SyncStatus, b: SyncStatus): boolean {
  return (
    a.state === b.state &&
    a.lastSyncedAt === b.lastSyncedAt &&
    a.pending === b.pending &&
    a.error === b.error &&
    a.isLeader === b.isLeader &&
    a.pulled === b.pulled &&
    a.bootstrap?.done === b.bootstrap?.done &&
    a.bootstrap?.total === b.bootstrap?.total
  );
}

const getters = new WeakMap<SyncEngine, () => SyncStatus>();

/**
 * useSyncExternalStore needs the same object back until something changed, or React re-renders
 * forever; an engine that builds a fresh status object per call is still safe here.
 */
function stableGetter(engine: SyncEngine): () => SyncStatus {
  let getter = getters.get(engine);
  if (!getter) {
    let last: SyncStatus | null = null;
    getter = () => {
      const next = engine.getStatus();
      if (!last || !sameStatus(last, next)) last = next;
      return last;
    };
    getters.set(engine, getter);
  }
  return getter;
}

/** The sync engine and its status; re-renders the caller on every status change. */
export function useSyncStatus(engine: SyncEngine = getSyncEngine()): {
  engine: SyncEngine;
  status: SyncStatus;
} {
  const subscribe = useCallback((listener: () => void) => engine.subscribe(listener), [engine]);
  const status = useSyncExternalStore(subscribe, stableGetter(engine));
  return { engine, status };
}

/** Re-renders the caller every `ms` while mounted (for "2 min ago" texts). */
export function useTick(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}
