import { currentGeneration, GENERATION_KEY, tracker } from '../db/change-tracking';
import type { SampleMindDb } from '../db/database';
import { saveSnapshot } from './index-snapshot';
import type { LibraryIndex } from './library-index';

const QUIET_MS = 1500;

/**
 * Keeps the index snapshot current: after changes, once storage has been quiet for a moment
 * (no write in flight, import idle), the index is saved with the generation it matches. If
 * another tab changes the library, this tab stops saving (its index no longer matches storage).
 */
export class SnapshotWriter {
  private savedVersion = -1;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private foreign = false;
  private saving = false;

  constructor(
    private readonly db: SampleMindDb,
    private readonly index: LibraryIndex,
    private readonly isBusy: () => boolean,
    onForeignChange: () => void,
  ) {
    globalThis.addEventListener?.('storage', (e: StorageEvent) => {
      if (e.key === GENERATION_KEY && !this.foreign) {
        this.foreign = true;
        onForeignChange();
      }
    });
  }

  /** The index was loaded from a current snapshot: nothing to save until it changes. */
  markSaved(): void {
    this.savedVersion = this.index.version;
  }

  schedule(): void {
    if (this.foreign || this.timer || this.index.version === this.savedVersion) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.trySave();
    }, QUIET_MS);
  }

  private async trySave() {
    if (this.foreign || this.saving) return;
    const quietFor = performance.now() - tracker.lastSettled;
    if (tracker.inflight > 0 || quietFor < QUIET_MS || this.isBusy()) {
      this.schedule();
      return;
    }
    const version = this.index.version;
    const generation = currentGeneration();
    this.saving = true;
    try {
      await saveSnapshot(this.db, this.index, generation);
      this.savedVersion = version;
    } catch {
      // Only a cache (quota, etc.): the next open reads the rows instead.
    } finally {
      this.saving = false;
    }
    if (this.index.version !== this.savedVersion) this.schedule();
  }
}
