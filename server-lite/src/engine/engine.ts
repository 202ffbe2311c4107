import type { AnalysisOutcome } from '@samplemind/contract';

export type AnalysisEngine = {
  analyse(bytes: Uint8Array, options: { path?: string; signal?: AbortSignal }): Promise<AnalysisOutcome>;
  close(): Promise<void>;
};

/**
 * The analysis engine on worker threads (src-workers' node pool). The pool starts on first use, so a
 * server that never analyses uploads never spawns workers.
 */
export function createEngine(size: number): AnalysisEngine {
  let pool: Promise<import('@samplemind/engine/pool').EnginePool> | null = null;
  const get = () => {
    pool ??= import('@samplemind/engine/node-pool').then((m) => m.createNodePool({ size }));
    return pool;
  };
  return {
    async analyse(bytes, options) {
      const p = await get();
      // Copy into a fresh ArrayBuffer: the pool transfers it to the worker.
      const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      return p.submit(buf, { path: options.path, signal: options.signal }).done;
    },
    async close() {
      if (pool) (await pool).close();
    },
  };
}
