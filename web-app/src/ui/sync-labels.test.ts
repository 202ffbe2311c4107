import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../sync/sync-engine';
import { fmtAgo } from './format';
import { describeSync } from './sync-labels';

const NOW = 1_750_000_000_000;
const status = (patch: Partial<SyncStatus>): SyncStatus => ({
  state: 'idle',
  lastSyncedAt: null,
  pending: 0,
  error: null,
  isLeader: true,
  bootstrap: null,
  pulled: 0,
  ...patch,
});

describe('fmtAgo', () => {
  it('says how long ago, coarser as it gets older', () => {
    expect(fmtAgo(NOW - 3_000, NOW)).toBe('just now');
    expect(fmtAgo(NOW - 42_000, NOW)).toBe('42 s ago');
    expect(fmtAgo(NOW - 5 * 60_000, NOW)).toBe('5 min ago');
    expect(fmtAgo(NOW - 3 * 3_600_000, NOW)).toBe('3 h ago');
    expect(fmtAgo(NOW - 3 * 86_400_000, NOW)).not.toMatch(/ago/);
    // A clock that moved backwards never shows a negative age.
    expect(fmtAgo(NOW + 5_000, NOW)).toBe('just now');
  });
});

describe('describeSync', () => {
  it('shows nothing in the header while signed out', () => {
    const d = describeSync(status({ state: 'off' }), NOW);
    expect(d.label).toBe('');
    expect(d.tone).toBe('off');
  });

  it('says when it last synced', () => {
    expect(describeSync(status({ lastSyncedAt: NOW - 120_000 }), NOW).label).toBe('Synced 2 min ago');
    expect(describeSync(status({ lastSyncedAt: NOW - 120_000 }), NOW).detail).toContain(
      'Last synced 2 min ago',
    );
  });

  it('counts the changes waiting while offline', () => {
    const d = describeSync(status({ state: 'offline', pending: 3 }), NOW);
    expect(d.label).toBe('Offline');
    expect(d.tone).toBe('warn');
    expect(d.detail).toContain('3 changes waiting to upload');
    expect(describeSync(status({ state: 'offline', pending: 1 }), NOW).detail).toContain('1 change waiting');
  });

  it('shows the first sync’s progress', () => {
    const d = describeSync(status({ state: 'syncing', bootstrap: { done: 5000, total: 100000 } }), NOW);
    expect(d.label).toBe(`Syncing ${(5000).toLocaleString()} / ${(100000).toLocaleString()}`);
    expect(describeSync(status({ state: 'syncing' }), NOW).label).toBe('Syncing…');
  });

  it('puts the error first and says nothing is lost', () => {
    const d = describeSync(status({ state: 'error', error: 'The server answered 500.', pending: 2 }), NOW);
    expect(d.tone).toBe('error');
    expect(d.label).toBe('Sync failed');
    expect(d.detail.startsWith('The server answered 500.')).toBe(true);
    expect(d.detail).toContain('2 changes waiting');
    expect(d.detail).toContain('Nothing is lost');
  });

  it('names the tab that syncs when this one follows', () => {
    expect(describeSync(status({ state: 'follower', isLeader: false }), NOW).detail).toContain('Another');
  });
});
