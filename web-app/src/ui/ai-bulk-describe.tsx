import { lazy, Suspense, useState, useSyncExternalStore } from 'react';
import { bulkRuns, isFinished } from '../ai/bulk-registry';
import { AiDialog } from './ai-dialog';
import { useStore } from './use-store';

const AiBulkBody = lazy(() => import('./ai-bulk-body').then((m) => ({ default: m.AiBulkBody })));

const noSubscribe = () => () => {};

/**
 * "Describe with AI" for the selection (or the focused row): opens a dialog that describes the
 * sounds in batches with progress, cancel and a list of failures. While a run goes on, the button
 * shows its progress and reopens it.
 */
export function AiBulkDescribeButton() {
  const store = useStore();
  const run = useSyncExternalStore(bulkRuns.subscribe, bulkRuns.current);
  const progress = useSyncExternalStore(
    run ? (l) => run.subscribe(l) : noSubscribe,
    () => run?.progress ?? null,
  );
  const [fileIds, setFileIds] = useState<number[] | null>(null);
  const targets = store.targets();
  const active = !!progress && !isFinished(progress.state);
  return (
    <>
      <button
        type="button"
        data-testid="ai-bulk-describe"
        disabled={!active && targets.length === 0}
        title="Describe and tag the selected samples with AI (only analysis numbers and file names are sent)"
        onClick={() => setFileIds(active ? [] : targets)}
      >
        {active ? `AI ${progress.done + progress.failed.length} / ${progress.total}…` : 'Describe with AI'}
      </button>
      {fileIds && (
        <AiDialog title="Describe with AI" onClose={() => setFileIds(null)} testId="ai-bulk-dialog">
          <Suspense fallback={<div className="muted">Loading…</div>}>
            <AiBulkBody fileIds={fileIds} onClose={() => setFileIds(null)} />
          </Suspense>
        </AiDialog>
      )}
    </>
  );
}
