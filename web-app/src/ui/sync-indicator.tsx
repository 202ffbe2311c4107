import { describeSync } from './sync-labels';
import { useSyncStatus, useTick } from './use-sync-status';

/**
 * The header's sync status: state, last synced, changes waiting, and the error with a Retry
 * button. Renders an empty marker while signed out, so the header stays as it was without sync.
 */
export function SyncIndicator() {
  const { engine, status } = useSyncStatus();
  const now = useTick(10_000);
  const d = describeSync(status, now);
  const isOff = status.state === 'off';
  return (
    <div
      className={`sync-status tone-${d.tone}`}
      data-testid="sync-status"
      data-state={status.state}
      role="status"
      aria-live="polite"
      title={d.detail}
      hidden={isOff}
    >
      <span className="sync-dot" aria-hidden="true" />
      <span className="sync-label">{d.label}</span>
      {status.lastSyncedAt !== null && (
        <time
          className="sr-only"
          data-testid="sync-last-synced"
          data-at={status.lastSyncedAt}
          dateTime={new Date(status.lastSyncedAt).toISOString()}
        >
          {new Date(status.lastSyncedAt).toLocaleString()}
        </time>
      )}
      <span className="sync-pending" hidden={status.pending === 0} title="Changes waiting to upload">
        <span data-testid="sync-pending">{status.pending}</span> to upload
      </span>
      {status.state === 'error' && (
        <>
          <span className="sync-error error-text" data-testid="sync-error">
            {status.error ?? 'The last sync failed.'}
          </span>
          <button type="button" className="small" data-testid="sync-retry" onClick={() => engine.retry()}>
            Retry
          </button>
        </>
      )}
    </div>
  );
}
