import type { AnalysisError, AnalysisOutcome } from '@samplemind/contract';
import { type Remote, transfer } from 'comlink';
import type { AnalyseJobOptions, EngineApi } from './engine-api';

/** What the pool needs from a worker, whatever runs it (Web Worker, worker_threads). */
export type PoolWorker = {
  api: Remote<EngineApi>;
  /** Called once if the worker dies (uncaught error, OOM, exit). */
  onCrash(listener: (reason: string) => void): void;
  terminate(): void;
};

export type PoolOptions = {
  size: number;
  spawn: () => PoolWorker;
  /** A job running longer than this is killed with its worker (the engine's own limit failed). */
  watchdogMs?: number;
};

export type SubmitOptions = AnalyseJobOptions & {
  priority?: number;
  signal?: AbortSignal;
};

/** Bytes now, or a loader called just before dispatch so queued files are not all held in memory. */
export type AudioInput = ArrayBuffer | (() => Promise<ArrayBuffer>);

export type JobHandle = {
  readonly id: number;
  readonly done: Promise<AnalysisOutcome>;
  setPriority(priority: number): void;
  cancel(): void;
};

export type PoolStats = {
  queued: number;
  running: number;
  completed: number;
  workers: number;
  isPaused: boolean;
};

export type EnginePool = {
  submit(input: AudioInput, options?: SubmitOptions): JobHandle;
  pause(): void;
  resume(): void;
  /** Cancel every queued and running job. */
  cancelAll(): void;
  stats(): PoolStats;
  close(): void;
};

export function defaultPoolSize(hardwareConcurrency: number | undefined): number {
  return Math.min(8, Math.max(1, (hardwareConcurrency ?? 2) - 1));
}

type Job = {
  id: number;
  input: AudioInput;
  options: AnalyseJobOptions;
  priority: number;
  seq: number;
  settle: (outcome: AnalysisOutcome) => void;
  isSettled: boolean;
  isCancelled: boolean;
  isRetired: boolean;
};

type Slot = {
  worker: PoolWorker;
  job: Job | null;
  isDead: boolean;
  watchdog?: ReturnType<typeof setTimeout>;
};

const fail = (error: AnalysisError): AnalysisOutcome => ({ ok: false, error });

/**
 * A fixed-size pool, one job per worker at a time, highest priority first (FIFO among equals).
 * A crashed or hung worker is replaced and only its own job fails, so a batch never hangs.
 */
export function createEnginePool(options: PoolOptions): EnginePool {
  const watchdogMs = options.watchdogMs ?? 90_000;
  const queue: Job[] = []; // binary max-heap on (priority, -seq)
  const slots: Slot[] = [];
  let nextId = 1;
  let seq = 0;
  let completed = 0;
  let isPaused = false;
  let isClosed = false;

  const before = (a: Job, b: Job) => a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq);
  const push = (job: Job) => {
    queue.push(job);
    let i = queue.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(queue[i], queue[parent])) break;
      [queue[i], queue[parent]] = [queue[parent], queue[i]];
      i = parent;
    }
  };
  const pop = (): Job | undefined => {
    const top = queue[0];
    const last = queue.pop();
    if (queue.length > 0 && last) {
      queue[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < queue.length && before(queue[l], queue[best])) best = l;
        if (r < queue.length && before(queue[r], queue[best])) best = r;
        if (best === i) break;
        [queue[i], queue[best]] = [queue[best], queue[i]];
        i = best;
      }
    }
    return top;
  };

  const settle = (job: Job, outcome: AnalysisOutcome) => {
    if (job.isSettled) return;
    job.isSettled = true;
    completed++;
    job.settle(outcome);
  };

  const spawnSlot = (): Slot => {
    const slot: Slot = { worker: options.spawn(), job: null, isDead: false };
    slot.worker.onCrash((reason) =>
      replace(slot, { code: 'worker-crashed', message: `the analysis worker crashed: ${reason}` }),
    );
    return slot;
  };

  const replace = (
    slot: Slot,
    error: { code: 'worker-crashed' | 'timeout' | 'aborted'; message: string },
  ) => {
    if (slot.isDead) return;
    slot.isDead = true;
    clearTimeout(slot.watchdog);
    slot.worker.terminate();
    if (slot.job) settle(slot.job, fail(error));
    const index = slots.indexOf(slot);
    if (!isClosed && index >= 0) {
      slots[index] = spawnSlot();
      pump();
    }
  };

  const run = async (slot: Slot, job: Job) => {
    slot.job = job;
    slot.watchdog = setTimeout(
      () =>
        replace(slot, { code: 'timeout', message: `analysis did not finish within ${watchdogMs / 1000} s` }),
      watchdogMs,
    );
    try {
      const bytes = typeof job.input === 'function' ? await job.input() : job.input;
      if (job.isCancelled) throw new DOMException('cancelled', 'AbortError');
      const outcome = await slot.worker.api.analyse(job.id, transfer(bytes, [bytes]), job.options);
      settle(job, outcome);
    } catch (err) {
      if (job.isCancelled) settle(job, fail({ code: 'aborted', message: 'analysis was cancelled' }));
      else if (!slot.isDead && typeof job.input === 'function' && !job.isSettled) {
        const detail = err instanceof Error ? err.message : String(err);
        settle(job, fail({ code: 'unreadable', message: `the file could not be read: ${detail}` }));
      }
    } finally {
      clearTimeout(slot.watchdog);
      if (!slot.isDead) {
        slot.job = null;
        pump();
      }
    }
  };

  const pump = () => {
    if (isPaused || isClosed) return;
    for (const slot of slots) {
      if (slot.job || slot.isDead) continue;
      let job = pop();
      while (job && (job.isSettled || job.isRetired)) job = pop();
      if (!job) return;
      void run(slot, job);
    }
  };

  for (let i = 0; i < options.size; i++) slots.push(spawnSlot());

  const cancelJob = (job: Job) => {
    if (job.isSettled) return;
    job.isCancelled = true;
    const slot = slots.find((s) => s.job === job);
    if (slot) {
      void slot.worker.api.cancel(job.id);
      // The engine checks for cancellation often; a worker that does not answer is replaced.
      setTimeout(() => {
        if (slot.job === job && !job.isSettled)
          replace(slot, { code: 'aborted', message: 'analysis was cancelled' });
      }, 2000);
    } else {
      settle(job, fail({ code: 'aborted', message: 'analysis was cancelled' }));
    }
  };

  return {
    submit(input, submitOptions = {}) {
      const { priority = 0, signal, ...jobOptions } = submitOptions;
      let settleFn!: (o: AnalysisOutcome) => void;
      const done = new Promise<AnalysisOutcome>((resolve) => {
        settleFn = resolve;
      });
      const job: Job = {
        id: nextId++,
        input,
        options: jobOptions,
        priority,
        seq: seq++,
        settle: settleFn,
        isSettled: false,
        isCancelled: false,
        isRetired: false,
      };
      if (isClosed) settle(job, fail({ code: 'aborted', message: 'the analysis pool is closed' }));
      else if (signal?.aborted) settle(job, fail({ code: 'aborted', message: 'analysis was cancelled' }));
      else {
        signal?.addEventListener('abort', () => cancelJob(job), { once: true });
        push(job);
        pump();
      }
      let current = job;
      return {
        id: job.id,
        done,
        setPriority(p) {
          if (current.isSettled || slots.some((s) => s.job === current) || p === current.priority) return;
          // Lazy re-insert: the old heap entry is retired and skipped when popped.
          const copy: Job = { ...current, priority: p, seq: seq++ };
          current.isRetired = true;
          current = copy;
          push(copy);
          pump();
        },
        cancel() {
          cancelJob(current);
        },
      };
    },
    pause() {
      isPaused = true;
    },
    resume() {
      isPaused = false;
      pump();
    },
    cancelAll() {
      for (const job of queue.splice(0))
        if (!job.isRetired) settle(job, fail({ code: 'aborted', message: 'analysis was cancelled' }));
      for (const slot of slots) if (slot.job) cancelJob(slot.job);
    },
    stats() {
      return {
        queued: queue.filter((j) => !j.isSettled && !j.isRetired).length,
        running: slots.filter((s) => s.job).length,
        completed,
        workers: slots.length,
        isPaused,
      };
    },
    close() {
      isClosed = true;
      for (const job of queue.splice(0))
        if (!job.isRetired) settle(job, fail({ code: 'aborted', message: 'the analysis pool is closed' }));
      for (const slot of slots) {
        slot.isDead = true;
        if (slot.job) settle(slot.job, fail({ code: 'aborted', message: 'the analysis pool is closed' }));
        slot.worker.terminate();
      }
    },
  };
}
