import { createEnginePool, defaultPoolSize, type EnginePool, type PoolWorker } from '@samplemind/engine/pool';
import type { AnalyseJobOptions, EngineApi } from '@samplemind/engine/worker-api';
import { releaseProxy, wrap } from 'comlink';

/** One engine worker (module worker; the bundler builds it as its own chunk with the WASM decoders). */
export function spawnEngineWorker(): PoolWorker {
  const worker = new Worker(new URL('../../../src-workers/src/worker/browser-worker.ts', import.meta.url), {
    type: 'module',
    name: 'samplemind-engine',
  });
  const api = wrap<EngineApi>(worker);
  const listeners: ((reason: string) => void)[] = [];
  let crashed = false;
  const crash = (reason: string) => {
    if (crashed) return;
    crashed = true;
    for (const l of listeners) l(reason);
  };
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    crash(e.message || 'uncaught error in the worker');
  });
  worker.addEventListener('messageerror', () => crash('a message from the worker could not be read'));
  // Test hook for the e2e specs: a job whose path contains globalThis.__samplemindCrashOn gets an
  // 'error' event on its worker, exactly what a real crash (OOM, abort in WASM) delivers.
  const analyse = (jobId: number, bytes: ArrayBuffer, options?: AnalyseJobOptions) => {
    const trigger = (globalThis as { __samplemindCrashOn?: string }).__samplemindCrashOn;
    if (trigger && options?.path?.includes(trigger)) {
      setTimeout(
        () => worker.dispatchEvent(new ErrorEvent('error', { message: 'simulated crash (test hook)' })),
        0,
      );
    }
    return api.analyse(jobId, bytes, options);
  };
  return {
    api: new Proxy(api, {
      get: (target, prop) => (prop === 'analyse' ? analyse : Reflect.get(target, prop)),
    }),
    onCrash(listener) {
      listeners.push(listener);
    },
    terminate() {
      api[releaseProxy]();
      worker.terminate();
    },
  };
}

/** Pool size from the URL (?workers=N, for benchmarks) or clamp(cores - 1, 1, 8). */
export function poolSizeFor(search: string, cores: number | undefined): number {
  const asked = Number(new URLSearchParams(search).get('workers'));
  return Number.isInteger(asked) && asked >= 1 && asked <= 16 ? asked : defaultPoolSize(cores);
}

export function createBrowserPool(size: number): EnginePool {
  return createEnginePool({ size, spawn: spawnEngineWorker, watchdogMs: 120_000 });
}
