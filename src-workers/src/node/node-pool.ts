import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { EngineApi } from '../worker/engine-api';
import { createEnginePool, defaultPoolSize, type EnginePool, type PoolWorker } from '../worker/pool';

const entry = new URL('./node-worker-entry.mjs', import.meta.url);

function spawnNodeWorker(): PoolWorker {
  // Bounded heap per worker: a pathological file kills its worker, not the process.
  const worker = new Worker(entry, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
  const listeners: Array<(reason: string) => void> = [];
  let isTerminated = false;
  const crash = (reason: string) => {
    if (isTerminated) return;
    isTerminated = true;
    for (const l of listeners) l(reason);
  };
  worker.on('error', (err) => crash(err.message));
  worker.on('exit', (code) => crash(`exited with code ${code}`));
  return {
    api: wrap<EngineApi>(nodeEndpoint(worker)),
    onCrash: (listener) => listeners.push(listener),
    terminate: () => {
      isTerminated = true;
      void worker.terminate();
    },
  };
}

/** The engine on worker_threads, for the CLI and server-lite. */
export function createNodePool(options: { size?: number; watchdogMs?: number } = {}): EnginePool {
  return createEnginePool({
    size: options.size ?? defaultPoolSize(availableParallelism()),
    spawn: spawnNodeWorker,
    watchdogMs: options.watchdogMs,
  });
}
