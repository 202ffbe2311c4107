import type { AnalysisOutcome } from '@samplemind/contract';
import { xxhash128 } from 'hash-wasm';
import { analyse } from '../analyse';
import { toAnalysisError } from '../errors';

export type AnalyseJobOptions = {
  path?: string;
  contentHash?: string;
  timeLimitMs?: number;
  waveformPairs?: number;
};

const running = new Map<number, AbortController>();

/**
 * The one object a worker exposes over comlink. Pure: the browser and Node adapters only wire it
 * to their message ports, so this exact code is what the Node tests exercise.
 */
export const engineApi = {
  /** Audio arrives transferred (zero-copy); `jobId` lets the caller cancel it with cancel(). */
  async analyse(
    jobId: number,
    bytes: ArrayBuffer,
    options: AnalyseJobOptions = {},
  ): Promise<AnalysisOutcome> {
    const controller = new AbortController();
    running.set(jobId, controller);
    try {
      const result = await analyse(new Uint8Array(bytes), { ...options, signal: controller.signal });
      return { ok: true, result };
    } catch (err) {
      return { ok: false, error: toAnalysisError(err) };
    } finally {
      running.delete(jobId);
    }
  },
  cancel(jobId: number): void {
    running.get(jobId)?.abort();
  },
  async hash(bytes: ArrayBuffer): Promise<string> {
    return xxhash128(new Uint8Array(bytes));
  },
  ping(): 'pong' {
    return 'pong';
  },
};

export type EngineApi = typeof engineApi;
