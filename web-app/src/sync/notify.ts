/**
 * Local changes that concern sync, announced after their transaction committed: the sync engine
 * (in this tab) pushes them, and other tabs patch their in-memory index. Kept apart from the
 * engine so the library actions do not import it.
 */
export type LocalChange = {
  /** The library database's name (tests run several libraries in one page). */
  db: string;
  /** Content hashes whose files, edits or AI description changed. */
  hashes: string[];
  /** Collections changed (local ids). */
  collections: boolean;
  /** New outbox rows were written. */
  enqueued: number;
};

type Listener = (change: LocalChange) => void;
const listeners = new Set<Listener>();

export function onLocalChange(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function announceLocalChange(change: LocalChange): void {
  if (!change.enqueued && !change.hashes.length && !change.collections) return;
  for (const l of listeners) l(change);
}
