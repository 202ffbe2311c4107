import {
  type AiAnalyzeResponse,
  type AiProviderId,
  type AiProvidersResponse,
  type AiSampleInput,
  aiAnalyzeResponseSchema,
  aiProvidersResponseSchema,
  aiStreamEventSchemas,
} from '@samplemind/contract';
import type { ApiClient } from '../account/api-client';
import { ApiError, errorFromBody } from '../account/api-error';
import { readSse } from './sse';

export type AnalyzeOptions = {
  /** Try this provider first; undefined = the server's priority order. */
  provider?: AiProviderId;
  /** Skip the server's cache. */
  refresh?: boolean;
  signal?: AbortSignal;
};

/** What a stream reports before the validated result. */
export type AiStreamEvent =
  | { event: 'meta'; provider: AiProviderId; model: string }
  | { event: 'description'; index: number; id: string; delta: string }
  | { event: 'fallback'; provider: AiProviderId; message: string };

/** HTTP status a streamed `error` event stands for (the stream itself was a 200). */
const STATUS_OF_CODE: Record<string, number> = {
  'ai-unavailable': 502,
  'ai-not-configured': 503,
  'providers-rate-limited': 429,
  'rate-limited': 429,
  'token-budget-exceeded': 429,
  cancelled: 499,
};

function parseOrThrow<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  v: unknown,
): T {
  const r = schema.safeParse(v);
  if (!r.success)
    throw new ApiError(
      'bad-response',
      'The server answered with something this app does not understand (is it a different version?).',
    );
  return r.data;
}

/** POST /ai/analyze and GET /ai/providers, answers checked against the shared contract. */
export class AiClient {
  constructor(readonly api: ApiClient) {}

  async providers(signal?: AbortSignal): Promise<AiProvidersResponse> {
    const body = await this.api.json('/api/v1/ai/providers', signal ? { signal } : {});
    return parseOrThrow(aiProvidersResponseSchema, body);
  }

  async analyze(samples: AiSampleInput[], options: AnalyzeOptions = {}): Promise<AiAnalyzeResponse> {
    const body = await this.api.json(
      '/api/v1/ai/analyze',
      { method: 'POST', ...(options.signal ? { signal: options.signal } : {}) },
      requestBody(samples, options),
    );
    return parseOrThrow(aiAnalyzeResponseSchema, body);
  }

  /**
   * The same, streamed: `onEvent` sees the provider start and the description text as the model
   * writes it; the returned result is the validated answer (the streamed text is the model's raw
   * one and should be replaced by it). A `fallback` event means the partial text so far is void.
   */
  async analyzeStream(
    samples: AiSampleInput[],
    options: AnalyzeOptions & { onEvent?: (e: AiStreamEvent) => void } = {},
  ): Promise<AiAnalyzeResponse> {
    const { signal } = options;
    const res = await this.api.request('/api/v1/ai/analyze?stream=1', {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify(requestBody(samples, options)),
      ...(signal ? { signal } : {}),
    });
    if (!(res.headers.get('content-type') ?? '').includes('text/event-stream') || !res.body) {
      // A server that answers plainly is still right.
      let body: unknown;
      try {
        body = await res.json();
      } catch (e) {
        throw this.api.readFailure(e, signal);
      }
      return parseOrThrow(aiAnalyzeResponseSchema, body);
    }
    try {
      for await (const ev of readSse(res.body)) {
        let data: unknown;
        try {
          data = JSON.parse(ev.data);
        } catch {
          continue;
        }
        if (ev.event === 'result') return parseOrThrow(aiAnalyzeResponseSchema, data);
        if (ev.event === 'error') {
          const err = aiStreamEventSchemas.error.safeParse(data);
          const code = err.success ? err.data.error : 'ai-unavailable';
          throw errorFromBody(STATUS_OF_CODE[code] ?? 502, err.success ? err.data : data);
        }
        if (ev.event === 'meta' || ev.event === 'description' || ev.event === 'fallback') {
          const parsed = aiStreamEventSchemas[ev.event].safeParse(data);
          if (parsed.success) options.onEvent?.({ event: ev.event, ...parsed.data } as AiStreamEvent);
        }
      }
    } catch (e) {
      throw this.api.readFailure(e, signal);
    }
    if (signal?.aborted) throw this.api.readFailure(new DOMException('aborted', 'AbortError'), signal);
    throw new ApiError(
      'unreachable',
      'The connection to the server was lost before the answer was complete.',
    );
  }
}

function requestBody(samples: AiSampleInput[], options: AnalyzeOptions) {
  return {
    samples,
    ...(options.provider ? { provider: options.provider } : {}),
    ...(options.refresh ? { refresh: true } : {}),
  };
}
