// Test/benchmark page: the real module worker behind the real pool, driven from Playwright.
import type { AnalysisOutcome } from '@samplemind/contract';
import { wrap } from 'comlink';
import type { EngineApi } from '../src/worker/engine-api';
import type { EngineHarness } from '../src/worker/harness-types';
import { createEnginePool, defaultPoolSize, type EnginePool, type PoolWorker } from '../src/worker/pool';

function spawnBrowserWorker(): PoolWorker {
  const worker = new Worker(new URL('../src/worker/browser-worker.ts', import.meta.url), { type: 'module' });
  const listeners: Array<(reason: string) => void> = [];
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    for (const l of listeners) l(e.message || 'uncaught error in worker');
  });
  return {
    api: wrap<EngineApi>(worker),
    onCrash: (l) => listeners.push(l),
    terminate: () => worker.terminate(),
  };
}

type RunReport = Awaited<ReturnType<EngineHarness['analyseUrls']>>;

const longTasks: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longTasks.push(e.duration);
}).observe({ type: 'longtask', buffered: true });

let pool: EnginePool | null = null;

const api: EngineHarness = {
  defaultPoolSize: () => defaultPoolSize(navigator.hardwareConcurrency),
  async warmUp(size: number): Promise<void> {
    pool?.close();
    pool = createEnginePool({ size, spawn: spawnBrowserWorker });
    // One tiny job per worker so WASM compilation is not in the measured time.
    await Promise.all(Array.from({ length: size }, () => pool!.submit(new ArrayBuffer(0)).done));
  },
  /** Fetches every URL first, then times the analysis only (bytes transferred to workers). */
  async analyseUrls(urls: string[], repeat = 1): Promise<RunReport> {
    if (!pool) throw new Error('call warmUp first');
    const buffers = await Promise.all(
      urls.map(async (u) => ({ url: u, bytes: await (await fetch(u)).arrayBuffer() })),
    );
    longTasks.length = 0;
    const t0 = performance.now();
    const outcomes: RunReport['outcomes'] = [];
    await Promise.all(
      Array.from({ length: repeat }).flatMap(() =>
        buffers.map(async ({ url, bytes }) => {
          const outcome = await pool!.submit(bytes.slice(0), { path: url }).done;
          outcomes.push({ url, outcome });
        }),
      ),
    );
    return { outcomes, ms: performance.now() - t0, mainThreadLongTasks: [...longTasks] };
  },
  /** Submits then cancels: the promise must settle with 'aborted'. */
  async analyseAndCancel(url: string, afterMs: number): Promise<AnalysisOutcome> {
    if (!pool) throw new Error('call warmUp first');
    const bytes = await (await fetch(url)).arrayBuffer();
    const handle = pool.submit(bytes, { path: url });
    await new Promise((r) => setTimeout(r, afterMs));
    handle.cancel();
    return handle.done;
  },
  /** Whether a transferred buffer was detached on the sending side (zero-copy). */
  async isTransferred(url: string): Promise<boolean> {
    if (!pool) throw new Error('call warmUp first');
    const bytes = await (await fetch(url)).arrayBuffer();
    const done = pool.submit(bytes, { path: url }).done;
    const isDetached = bytes.byteLength === 0;
    await done;
    return isDetached;
  },
  stats: () => pool?.stats(),
};

declare global {
  interface Window {
    engineHarness: EngineHarness;
  }
}
window.engineHarness = api;
document.body.dataset.ready = 'true';
