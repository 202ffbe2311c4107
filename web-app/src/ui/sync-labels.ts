import type { SyncStatus } from '../sync/sync-engine';
import { fmtAgo } from './format';

export type SyncTone = 'off' | 'ok' | 'busy' | 'warn' | 'error';

export type SyncDescription = {
  /** Short text for the header ('' = show nothing). */
  label: string;
  /** Longer explanation (tooltip, settings). */
  detail: string;
  tone: SyncTone;
};

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** What the sync status means to the producer, in words. */
export function describeSync(s: SyncStatus, now: number): SyncDescription {
  const waiting = s.pending ? `${plural(s.pending, 'change', 'changes')} waiting to upload. ` : '';
  const last = s.lastSyncedAt === null ? 'Not synced yet.' : `Last synced ${fmtAgo(s.lastSyncedAt, now)}.`;
  switch (s.state) {
    case 'off':
      return {
        label: '',
        detail: 'Not signed in: this library stays on this device. Sign in to a server in Settings to sync.',
        tone: 'off',
      };
    case 'offline':
      return {
        label: 'Offline',
        detail: `${waiting}Everything keeps working; changes sync when the server is reachable again. ${last}`,
        tone: 'warn',
      };
    case 'syncing':
      return {
        label: s.bootstrap
          ? `Syncing ${s.bootstrap.done.toLocaleString()} / ${s.bootstrap.total.toLocaleString()}`
          : 'Syncing…',
        detail: `${waiting}${last}`,
        tone: 'busy',
      };
    case 'error':
      return {
        label: 'Sync failed',
        detail: `${s.error ?? 'The last sync failed.'} ${waiting}Nothing is lost: changes stay on this device until they upload.`,
        tone: 'error',
      };
    case 'follower':
      return {
        label: s.lastSyncedAt === null ? 'Synced by another tab' : `Synced ${fmtAgo(s.lastSyncedAt, now)}`,
        detail: `Another SampleMind tab is syncing this library. ${waiting}${last}`,
        tone: 'ok',
      };
    default:
      return {
        label: s.lastSyncedAt === null ? 'Synced' : `Synced ${fmtAgo(s.lastSyncedAt, now)}`,
        detail: `${waiting}${last}`,
        tone: 'ok',
      };
  }
}
