import type { BulkFailure, BulkProgress, BulkState } from './bulk-describe';

export const isFinished = (s: BulkState) => s === 'done' || s === 'cancelled' || s === 'stopped';

/** A bulk run as the UI sees it. Kept free of the AI client so the toolbar button stays tiny. */
export type BulkRun = {
  readonly fileCount: number;
  /** Sounds already described (current prompt version) and left out. */
  readonly skipped: number;
  /** Files that could not be sent at all (not analysed yet). */
  readonly notReady: BulkFailure[];
  /** Content hash → the selected files with that content. */
  readonly filesOf: Map<string, number[]>;
  progress: BulkProgress;
  readonly done: Promise<BulkProgress>;
  cancel(): void;
  subscribe(listener: () => void): () => void;
};

let current: BulkRun | null = null;
const listeners = new Set<() => void>();

/** One bulk run at a time; it outlives the dialog that started it. */
export const bulkRuns = {
  current: (): BulkRun | null => current,
  set(run: BulkRun | null): void {
    current = run;
    for (const l of listeners) l();
  },
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};
