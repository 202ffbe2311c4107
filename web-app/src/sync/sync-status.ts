import { isApiError } from '../account/api-error';

/** What the sync status shows; the UI reads it through SyncEngine.getStatus/subscribe. */
export type SyncState = 'off' | 'offline' | 'idle' | 'syncing' | 'error' | 'follower';

export type SyncStatus = {
  state: SyncState;
  /** ms since epoch of the last completed sync (push + pull), this tab's or the leader tab's. */
  lastSyncedAt: number | null;
  /** Local changes not yet acknowledged by the server. */
  pending: number;
  /** A sentence for the user, or null. */
  error: string | null;
  /** This tab runs the sync (the others follow it). */
  isLeader: boolean;
  /**
   * While the library is first shared with an account: files described so far / all files.
   * `isPaused` after setBootstrapPaused(true): nothing is pulled until it goes on.
   */
  bootstrap: { done: number; total: number; isPaused?: boolean } | null;
  /** Samples and collections applied from the server since this page loaded. */
  pulled: number;
};

export interface SyncEngine {
  getStatus(): SyncStatus;
  subscribe(listener: () => void): () => void;
  /** Push and pull now; resolves when that sync finished (or failed: see getStatus().error). */
  syncNow(): Promise<void>;
  /** After an error: forget the back-off and try again at once. */
  retry(): void;
  start(): void;
  stop(): Promise<void>;
  /**
   * Pauses (or resumes) the first description of a big library to the account. While paused the
   * rest of the library is not shared and nothing is pulled (a pull would overwrite what is not
   * described yet); what was described so far is uploaded. Survives reloads.
   */
  setBootstrapPaused(paused: boolean): Promise<void>;
}

export const OFF_STATUS: SyncStatus = {
  state: 'off',
  lastSyncedAt: null,
  pending: 0,
  error: null,
  isLeader: false,
  bootstrap: null,
  pulled: 0,
};

/**
 * The status after a failed sync, `failures` earlier ones in a row: offline and signed-out say so;
 * one failure (a server restarting, a proxy hiccup) is retried quietly; a second one shows.
 */
export function statusAfterFailure(e: unknown, failures: number): Partial<SyncStatus> {
  if ((e as { isOffline?: boolean }).isOffline || (isApiError(e) && e.kind === 'unreachable'))
    return { state: 'offline', error: null };
  if (isApiError(e) && e.kind === 'signed-out') return { state: 'off', error: e.message };
  if (failures < 1) return { state: 'syncing' };
  const message = e instanceof Error ? e.message : String(e);
  return { state: 'error', error: `Sync failed: ${message}` };
}
