import { useEffect, useState, useSyncExternalStore } from 'react';
import { useAccount } from '../account/use-account';
import { aiBlocker } from '../ai/ai-messages';
import type { BulkProgress } from '../ai/bulk-describe';
import { type BulkRun, bulkRuns, isFinished } from '../ai/bulk-registry';
import { applyDescribedTags, type GatheredItems, gatherBulkItems, startBulkDescribe } from '../ai/bulk-run';
import '../ai/ai.css';
import { SettingsDialog } from './settings-panel';
import { useStore } from './use-store';

const noSubscribe = () => () => {};

function statusText(p: BulkProgress): string {
  const failed = p.failed.length ? `, ${p.failed.length} failed` : '';
  switch (p.state) {
    case 'starting':
      return 'Starting…';
    case 'running':
      return `Describing… ${p.done} described${failed}.`;
    case 'waiting':
      return `${p.message ?? 'Waiting.'}${p.resumesAt ? ` Continuing at ${new Date(p.resumesAt).toLocaleTimeString()}.` : ''}`;
    case 'done':
      return `Done: ${p.done} described${failed}.`;
    case 'cancelled':
      return `Cancelled: ${p.done} described before you stopped (kept)${failed}.`;
    case 'stopped':
      return `Stopped after ${p.done} described${failed}: ${p.message ?? ''}`;
  }
}

function RunView({ run, progress: p, onClose }: { run: BulkRun; progress: BulkProgress; onClose(): void }) {
  const store = useStore();
  const [tagged, setTagged] = useState<number | null>(null);
  const [tagging, setTagging] = useState(false);
  const finished = isFinished(p.state);
  const processed = p.done + p.failed.length;
  const failures = [...run.notReady, ...p.failed];
  const applyTags = async () => {
    setTagging(true);
    const n = await store.guard('Adding the AI tags failed', () =>
      applyDescribedTags(store, p.described, (hash) => run.filesOf.get(hash) ?? []),
    );
    setTagging(false);
    if (n !== undefined) setTagged(n);
  };
  return (
    <div data-testid="ai-bulk-run" data-state={p.state}>
      <div className="ai-progress" data-testid="ai-bulk-progress">
        <div
          className="bar"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={p.total}
          aria-valuenow={processed}
        >
          <div className="fill" style={{ width: `${p.total ? (processed / p.total) * 100 : 100}%` }} />
        </div>
        <span data-testid="ai-bulk-count">
          {processed} / {p.total}
        </span>
      </div>
      <p data-testid="ai-bulk-status" role="status">
        {statusText(p)}
      </p>
      {failures.length > 0 && (
        <details open={finished}>
          <summary>{failures.length} not described</summary>
          <ul className="ai-failures" data-testid="ai-bulk-failures">
            {failures.map((f) => (
              <li key={`${f.hash}:${f.fileIds[0]}`}>
                <b>{f.name}</b>: {f.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="row">
        {!finished && (
          <button type="button" data-testid="ai-bulk-cancel" onClick={() => run.cancel()}>
            Cancel
          </button>
        )}
        {finished && p.described.length > 0 && tagged === null && (
          <button
            type="button"
            data-testid="ai-bulk-apply-tags"
            disabled={tagging}
            title="Adds each sample's vocabulary tags (not the free ones) through the library's tag action"
            onClick={() => void applyTags()}
          >
            Add the AI’s tags to {p.described.length} {p.described.length === 1 ? 'sound' : 'sounds'}
          </button>
        )}
        {tagged !== null && <span data-testid="ai-bulk-tagged">Tagged {tagged} files.</span>}
        {finished && (
          <button type="button" onClick={onClose} data-testid="ai-bulk-close">
            Close
          </button>
        )}
      </div>
      {!finished && (
        <p className="muted small-text">
          You can close this window: the run goes on, and the button shows its progress.
        </p>
      )}
    </div>
  );
}

/** The bulk dialog: what would be sent, then the run's progress. */
export function AiBulkBody({ fileIds, onClose }: { fileIds: number[]; onClose(): void }) {
  const store = useStore();
  const { state } = useAccount();
  const run = useSyncExternalStore(bulkRuns.subscribe, bulkRuns.current);
  const progress = useSyncExternalStore(
    run ? (l) => run.subscribe(l) : noSubscribe,
    () => run?.progress ?? null,
  );
  const [redo, setRedo] = useState(false);
  const [plan, setPlan] = useState<GatheredItems | null>(null);
  const [startedHere, setStartedHere] = useState(false);
  const [starting, setStarting] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const active = !!progress && !isFinished(progress.state);
  const showRun = !!run && !!progress && (active || startedHere);

  useEffect(() => {
    if (showRun) return;
    let live = true;
    setPlan(null);
    void gatherBulkItems(store, fileIds, { redo }).then((g) => {
      if (live) setPlan(g);
    });
    return () => {
      live = false;
    };
  }, [fileIds, redo, showRun, store]);

  if (showRun && run && progress) return <RunView run={run} progress={progress} onClose={onClose} />;

  const blocker = aiBlocker(state);
  const start = async () => {
    setStarting(true);
    try {
      await startBulkDescribe(store, fileIds, { redo });
      setStartedHere(true);
    } finally {
      setStarting(false);
    }
  };
  return (
    <div data-testid="ai-bulk-plan">
      {blocker && (
        <p className="ai-hint" data-testid="ai-bulk-blocked">
          {blocker}{' '}
          <button type="button" className="link" onClick={() => setSettingsOpen(true)}>
            Open Settings
          </button>
        </p>
      )}
      {!plan ? (
        <p className="muted">Counting…</p>
      ) : (
        <>
          <p data-testid="ai-bulk-summary">
            {plan.fileCount} selected: <b data-testid="ai-bulk-todo">{plan.items.length}</b> to describe
            {plan.skipped > 0 && `, ${plan.skipped} already described`}
            {plan.notReady.length > 0 && `, ${plan.notReady.length} not analysed`}. Identical files are
            described once.
          </p>
          <p className="muted small-text">
            Only the analysis numbers and file names are sent to your server, in batches; never the audio.
          </p>
          <label className="row">
            <input
              type="checkbox"
              checked={redo}
              data-testid="ai-bulk-redo"
              onChange={(e) => setRedo(e.target.checked)}
            />
            Describe already described samples again
          </label>
          <div className="row">
            <button
              type="button"
              data-testid="ai-bulk-start"
              disabled={!plan.items.length || !!blocker || starting || !state.loaded}
              onClick={() => void start()}
            >
              Describe {plan.items.length} {plan.items.length === 1 ? 'sound' : 'sounds'}
            </button>
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      )}
      {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
    </div>
  );
}
