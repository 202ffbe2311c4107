import { useState } from 'react';
import { describeSync } from './sync-labels';
import { useSyncStatus, useTick } from './use-sync-status';

/** Sync in Settings: what happened last, what is waiting, and "Sync now". Hidden while signed out. */
export function SyncSection() {
  const { engine, status } = useSyncStatus();
  const now = useTick(5_000);
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (status.state === 'off') return null;
  const d = describeSync(status, now);
  const syncNow = async () => {
    setBusy(true);
    setError(null);
    try {
      await engine.syncNow();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const b = status.bootstrap;
  return (
    <section data-testid="settings-sync" data-state={status.state}>
      <h3>Sync</h3>
      <p className="muted small-text">
        Tags, favourites, corrections, collections and analysis sync between your devices; audio files never
        leave the device they are on.
      </p>
      <table className="values">
        <tbody>
          <tr>
            <th>Status</th>
            <td data-testid="settings-sync-label">{d.label || status.state}</td>
          </tr>
          <tr>
            <th>Last synced</th>
            <td data-testid="settings-sync-last">
              {status.lastSyncedAt === null ? 'never' : new Date(status.lastSyncedAt).toLocaleString()}
            </td>
          </tr>
          <tr>
            <th>Waiting to upload</th>
            <td data-testid="settings-sync-pending">{status.pending.toLocaleString()}</td>
          </tr>
          <tr>
            <th>Received</th>
            <td data-testid="settings-sync-pulled">
              {status.pulled.toLocaleString()} {status.pulled === 1 ? 'update' : 'updates'} since this page
              opened
            </td>
          </tr>
        </tbody>
      </table>
      {b && b.total > 0 && (
        <div
          className="bar"
          role="progressbar"
          aria-label="First sync"
          aria-valuemin={0}
          aria-valuemax={b.total}
          aria-valuenow={b.done}
        >
          <div className="fill" style={{ width: `${Math.min(100, (b.done / b.total) * 100)}%` }} />
        </div>
      )}
      <p className="muted small-text">{d.detail}</p>
      <div className="row">
        <button
          type="button"
          className="small"
          disabled={isBusy || status.state === 'offline'}
          data-testid="settings-sync-now"
          onClick={() => void syncNow()}
        >
          {isBusy ? 'Syncing…' : 'Sync now'}
        </button>
        {status.state === 'error' && (
          <button
            type="button"
            className="small"
            data-testid="settings-sync-retry"
            onClick={() => engine.retry()}
          >
            Retry
          </button>
        )}
      </div>
      {(error ?? (status.state === 'error' ? status.error : null)) && (
        <p className="error-text" role="alert" data-testid="settings-sync-error">
          {error ?? status.error}
        </p>
      )}
    </section>
  );
}
