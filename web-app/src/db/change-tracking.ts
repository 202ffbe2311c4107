import type { DBCore, DBCoreMutateRequest, Dexie, Middleware } from 'dexie';

/** Tables whose content the in-memory index (and its snapshot) mirrors. */
const WATCHED = new Set(['files', 'edits', 'tags', 'collections', 'collectionItems']);
export const GENERATION_KEY = 'samplemind.catalog-generation';

export type ChangeTracker = {
  /** Mutations started and not yet settled. */
  inflight: number;
  /** performance.now() of the last settled mutation. */
  lastSettled: number;
};

export const tracker: ChangeTracker = { inflight: 0, lastSettled: 0 };

const storage = (): Storage | null => {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
};

/** The library's change counter; a snapshot is valid only for the generation it was taken at. */
export function currentGeneration(): string {
  return storage()?.getItem(GENERATION_KEY) ?? '0';
}

// Every write bumps (one localStorage write per request, ~0.05 ms): skipping bumps would let a
// second tab's snapshot claim a generation that lacks this tab's writes.
function bump() {
  const s = storage();
  if (!s) return;
  // Unique per bump even across tabs: a counter plus time.
  const [n] = (s.getItem(GENERATION_KEY) ?? '0').split(':');
  s.setItem(GENERATION_KEY, `${Number(n) + 1}:${Date.now()}`);
}

/**
 * Dexie middleware: every write to a watched table bumps the generation *before* it happens, so a
 * snapshot taken earlier can never be mistaken for current, even if the tab dies mid-write.
 */
export const changeTracking: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'samplemind-change-tracking',
  create(down) {
    return {
      ...down,
      table(name) {
        const table = down.table(name);
        if (!WATCHED.has(name)) return table;
        return {
          ...table,
          mutate(req: DBCoreMutateRequest) {
            bump();
            tracker.inflight++;
            return table.mutate(req).finally(() => {
              tracker.inflight--;
              tracker.lastSettled = performance.now();
            });
          },
        };
      },
    };
  },
};

export function installChangeTracking(db: Dexie): void {
  if (storage()) db.use(changeTracking);
}
