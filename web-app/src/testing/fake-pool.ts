import type { AnalysisOutcome } from '@samplemind/contract';
import type { JobHandle } from '@samplemind/engine/pool';
import type { PoolLike } from '../import/importer';

type Analyse = (
  bytes: Uint8Array,
  options: { path?: string; contentHash?: string },
) => Promise<AnalysisOutcome>;

/** A pool stand-in that runs `analyse` in-process, one job at a time, honouring pause/cancel. */
export function fakePool(analyse: Analyse): PoolLike & { submitted: string[] } {
  const queue: { run: () => void; cancel: () => void }[] = [];
  let running = 0;
  let paused = false;
  const submitted: string[] = [];
  const pump = () => {
    while (!paused && running < 1 && queue.length) queue.shift()!.run();
  };
  return {
    submitted,
    submit(input, options = {}) {
      submitted.push(options.path ?? '');
      let resolve!: (o: AnalysisOutcome) => void;
      const done = new Promise<AnalysisOutcome>((r) => {
        resolve = r;
      });
      let settled = false;
      const settle = (o: AnalysisOutcome) => {
        if (!settled) {
          settled = true;
          resolve(o);
        }
      };
      const entry = {
        run: () => {
          running++;
          const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array();
          void analyse(bytes, options)
            .then(settle, (e) => settle({ ok: false, error: { code: 'worker-crashed', message: String(e) } }))
            .finally(() => {
              running--;
              pump();
            });
        },
        cancel: () => settle({ ok: false, error: { code: 'aborted', message: 'analysis was cancelled' } }),
      };
      queue.push(entry);
      queueMicrotask(pump);
      const handle: JobHandle = { id: submitted.length, done, setPriority() {}, cancel: entry.cancel };
      return handle;
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      pump();
    },
    cancelAll() {
      for (const e of queue.splice(0)) e.cancel();
    },
    stats() {
      return { queued: queue.length, running, completed: 0, workers: 1, isPaused: paused };
    },
  };
}
