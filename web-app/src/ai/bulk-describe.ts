import { AI_MAX_BATCH, type AiProviderId, type AiSampleInput } from '@samplemind/contract';
import { cancelledError, isApiError } from '../account/api-error';
import type { AiClient } from './ai-client';
import { describeAiError, NO_PROVIDER_MESSAGE } from './ai-messages';
import { type AiRecord, recordsFrom } from './ai-store';

export { isFinished } from './bulk-registry';

/** One sound to describe. Files with the same content share it (and its description). */
export type BulkItem = {
  /** Content hash: the request id and the storage key. */
  hash: string;
  name: string;
  fileIds: number[];
  /** Builds the request item when its batch goes out (reads the stored analysis only then). */
  input(): Promise<AiSampleInput | null>;
};

export type BulkFailure = { hash: string; name: string; fileIds: number[]; message: string };

export type BulkState = 'starting' | 'running' | 'waiting' | 'done' | 'cancelled' | 'stopped';

export type BulkProgress = {
  state: BulkState;
  total: number;
  done: number;
  failed: BulkFailure[];
  /** Why the run stopped early, or what it is waiting for. */
  message: string | null;
  /** While waiting out a rate limit: when it goes on (ms since epoch). */
  resumesAt: number | null;
  /** Samples per request in this run. */
  batchSize: number;
  /** Hashes described in this run, in order. */
  described: string[];
};

export type BulkDeps = {
  ai: Pick<AiClient, 'analyze' | 'providers'>;
  save(records: AiRecord[]): Promise<void>;
  provider?: AiProviderId;
  /** Ask the server to skip its cache. */
  refresh?: boolean;
  /** Samples per request; default the server's maxBatch (GET /ai/providers). */
  maxBatch?: number;
  signal?: AbortSignal;
  onProgress?(p: BulkProgress): void;
  /** Longest rate-limit wait honoured before stopping (default 120 s). */
  maxWaitSec?: number;
  /** Consecutive failed requests before the run stops (default 3): a dead provider should not burn the list. */
  maxConsecutiveFailures?: number;
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
};

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(cancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Failures that will not get better by trying the next batch. */
function isFatal(e: unknown): boolean {
  if (!isApiError(e)) return false;
  if (
    e.kind === 'no-server' ||
    e.kind === 'signed-out' ||
    e.kind === 'unreachable' ||
    e.kind === 'bad-response'
  )
    return true;
  return (
    e.code === 'ai-not-configured' ||
    e.code === 'token-budget-exceeded' ||
    e.code === 'provider-not-configured'
  );
}

/**
 * Describes many sounds, a batch (≤ the server's max) per request, one request at a time (the
 * server limits requests per user per minute, so parallel requests would only queue there).
 * Each answered batch is saved at once, so a cancel or a failure keeps what was done. Rate limits
 * are waited out (Retry-After); a batch the server rejects as invalid is retried sample by sample
 * so one odd sample does not fail its neighbours.
 */
export async function runBulkDescribe(items: BulkItem[], deps: BulkDeps): Promise<BulkProgress> {
  const { signal } = deps;
  const sleep = deps.sleep ?? abortableSleep;
  const maxWaitSec = deps.maxWaitSec ?? 120;
  const maxFailures = deps.maxConsecutiveFailures ?? 3;
  const p: BulkProgress = {
    state: 'starting',
    total: items.length,
    done: 0,
    failed: [],
    message: null,
    resumesAt: null,
    batchSize: 0,
    described: [],
  };
  const emit = () => deps.onProgress?.({ ...p, failed: [...p.failed], described: [...p.described] });
  const fail = (item: BulkItem, message: string) =>
    p.failed.push({ hash: item.hash, name: item.name, fileIds: item.fileIds, message });
  emit();

  try {
    let size = deps.maxBatch;
    if (size === undefined) {
      const info = await deps.ai.providers(signal);
      if (!info.providers.length) {
        p.state = 'stopped';
        p.message = NO_PROVIDER_MESSAGE;
        return p;
      }
      size = info.maxBatch;
    }
    p.batchSize = Math.max(1, Math.min(AI_MAX_BATCH, Math.floor(size)));
    p.state = 'running';
    emit();

    const queue: BulkItem[][] = [];
    for (let i = 0; i < items.length; i += p.batchSize) queue.push(items.slice(i, i + p.batchSize));
    let failuresInARow = 0;

    while (queue.length) {
      const batch = queue.shift()!;
      const ready: { item: BulkItem; input: AiSampleInput }[] = [];
      for (const item of batch) {
        if (signal?.aborted) throw cancelledError();
        const input = await item.input().catch(() => null);
        if (input) ready.push({ item, input });
        else fail(item, 'Not analysed yet, so there is nothing to describe.');
      }
      if (!ready.length) {
        emit();
        continue;
      }
      for (;;) {
        if (signal?.aborted) throw cancelledError();
        try {
          const res = await deps.ai.analyze(
            ready.map((r) => r.input),
            {
              ...(deps.provider ? { provider: deps.provider } : {}),
              refresh: !!deps.refresh,
              ...(signal ? { signal } : {}),
            },
          );
          const records = recordsFrom(res);
          await deps.save(records);
          const answered = new Set(records.map((r) => r.contentHash));
          for (const { item } of ready) {
            if (answered.has(item.hash)) {
              p.done++;
              p.described.push(item.hash);
            } else fail(item, 'The server returned no description for this sample.');
          }
          failuresInARow = 0;
          break;
        } catch (e) {
          if (isApiError(e) && e.kind === 'cancelled') throw e;
          if (
            isApiError(e) &&
            e.status === 429 &&
            (e.code === 'rate-limited' || e.code === 'providers-rate-limited') &&
            (e.retryAfterSec ?? 60) <= maxWaitSec
          ) {
            const waitSec = Math.max(1, e.retryAfterSec ?? 60);
            p.state = 'waiting';
            p.message = describeAiError(e);
            p.resumesAt = Date.now() + waitSec * 1000;
            emit();
            await sleep(waitSec * 1000, signal);
            p.state = 'running';
            p.message = null;
            p.resumesAt = null;
            emit();
            continue;
          }
          if (isFatal(e) || (isApiError(e) && e.status === 429)) {
            p.state = 'stopped';
            p.message = describeAiError(e);
            return p;
          }
          if (isApiError(e) && e.code === 'validation' && ready.length > 1) {
            // Find the sample the server refuses instead of failing the whole batch.
            queue.unshift(...ready.map((r) => [r.item]));
            break;
          }
          const message = describeAiError(e);
          for (const { item } of ready) fail(item, message);
          if (++failuresInARow >= maxFailures) {
            p.state = 'stopped';
            p.message = `Stopped after ${failuresInARow} failed requests in a row: ${message}`;
            return p;
          }
          break;
        }
      }
      emit();
    }
    p.state = 'done';
    return p;
  } catch (e) {
    if ((isApiError(e) && e.kind === 'cancelled') || signal?.aborted) p.state = 'cancelled';
    else {
      p.state = 'stopped';
      p.message = describeAiError(e);
    }
    return p;
  } finally {
    p.resumesAt = null;
    emit();
  }
}
