import { AnswerCache } from './answer-cache';
import type { AiConfig, AiProviderConfig } from './config';
import type {
  AiAnalyzeItem,
  AiAnalyzeResponse,
  AiProviderId,
  AiProvidersResponse,
  AiSampleAnalysis,
  AiSampleInput,
} from './contract';
import { UserLimits } from './limits';
import type { AiMetrics } from './metrics';
import { type NormalisedSample, normaliseSample, sampleDigest } from './prompt';
import { CallFailed, type CallResult, callProvider, type Tokens } from './provider-call';
import { failureDetail, type ProviderFailure, toProviderFailure } from './provider-errors';
import { createModel, type ModelHandle } from './providers';
import { Semaphore } from './semaphore';
import type { AiCache, AiCounters } from './store';

/** An answer for the client: status, stable code, safe message (and Retry-After for 429s). */
export class AiHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extra: { retryAfterSec?: number; attempts?: { provider: AiProviderId; message: string }[] } = {},
  ) {
    super(message);
    this.name = 'AiHttpError';
  }
}

export type AiEvent =
  | { event: 'meta'; data: { provider: AiProviderId; model: string } }
  | { event: 'description'; data: { index: number; id: string; delta: string } }
  | { event: 'fallback'; data: { provider: AiProviderId; message: string } };

export type AnalyzeInput = {
  userId: string;
  samples: AiSampleInput[];
  provider?: AiProviderId;
  refresh?: boolean;
  /** The client's signal (aborted when it disconnects). */
  signal: AbortSignal;
  /** Streaming: receives meta, description deltas and fallbacks as they happen. */
  onEvent?: (e: AiEvent) => void;
};

type Log = { warn(obj: object, msg: string): void };

export type AiServiceDeps = {
  config: AiConfig;
  cache: AiCache;
  counters: AiCounters;
  metrics: AiMetrics;
  log?: Log;
  /** Tests and the benchmark may swap the transport; production uses global fetch. */
  fetch?: typeof fetch;
};

type Health = AiProvidersResponse['providers'][number]['health'];
type Runtime = {
  config: AiProviderConfig;
  handle: ModelHandle;
  slots: Semaphore;
  health: Health;
  /** When the last success was (epoch ms); formatted only when someone asks for the health. */
  lastSuccessMs: number | null;
  meters: ProviderMeters;
};
/** The provider's labelled metric series, resolved once instead of by label lookup on every call. */
type ProviderMeters = {
  ok: { inc(): void };
  latency: { observe(seconds: number): void };
  tokensIn: { inc(n: number): void };
  tokensOut: { inc(n: number): void };
};
type Served = {
  items: AiSampleAnalysis[];
  provider: AiProviderId;
  model: string;
  tokens: Tokens;
  /** Caches the answer and books its cost; run once, by the request that made the call. */
  settle: () => Promise<void>;
};

/**
 * An answer and the bookkeeping that can wait until it is on the wire (metrics, the provider's
 * health, cache entries, the token budget). settle() never rejects.
 */
export type AiAnswer = { response: AiAnalyzeResponse; settle: () => Promise<void> };

const settled = async () => {};

export class AiService {
  private readonly runtimes = new Map<AiProviderId, Runtime>();
  private readonly limits: UserLimits;
  private readonly answers: AnswerCache;
  /** Identical uncached requests in flight share one provider call. */
  private readonly inFlight = new Map<string, Promise<Served>>();

  constructor(private readonly deps: AiServiceDeps) {
    for (const p of deps.config.providers) {
      this.runtimes.set(p.id, {
        config: p,
        handle: createModel(p, deps.fetch),
        slots: new Semaphore(p.concurrency),
        health: {
          status: 'unknown',
          lastSuccessAt: null,
          lastErrorAt: null,
          lastError: null,
          lastLatencyMs: null,
        },
        lastSuccessMs: null,
        meters: {
          ok: deps.metrics.providerCalls.labels(p.id, 'ok'),
          latency: deps.metrics.providerLatency.labels(p.id),
          tokensIn: deps.metrics.tokens.labels(p.id, 'input'),
          tokensOut: deps.metrics.tokens.labels(p.id, 'output'),
        },
      });
    }
    this.answers = new AnswerCache(deps.cache, deps.metrics, deps.config.cacheTtlSec);
    this.limits = new UserLimits(deps.counters, deps.config.rateLimitPerMin, deps.config.dailyTokenBudget);
  }

  providers(): AiProvidersResponse {
    return {
      providers: [...this.runtimes.values()].map((r) => ({
        id: r.config.id,
        model: r.config.model,
        timeoutMs: r.config.timeoutMs,
        concurrency: r.config.concurrency,
        health: {
          ...r.health,
          lastSuccessAt: r.lastSuccessMs === null ? null : new Date(r.lastSuccessMs).toISOString(),
        },
      })),
      maxBatch: this.deps.config.maxBatch,
    };
  }

  /** The answer, with its bookkeeping done. */
  async analyze(input: AnalyzeInput): Promise<AiAnalyzeResponse> {
    const { response, settle } = await this.answer(input);
    await settle();
    return response;
  }

  /**
   * The answer, with the bookkeeping left to the caller's settle(): a route writes the answer first,
   * so caching and accounting are not part of the client's wait. Until settle() has cached the
   * answer, an identical request still joins this one's provider call.
   */
  async answer(input: AnalyzeInput): Promise<AiAnswer> {
    const started = performance.now();
    const { config, metrics } = this.deps;
    if (this.runtimes.size === 0) {
      throw new AiHttpError(503, 'ai-not-configured', 'No AI provider is configured on this server');
    }
    if (input.provider !== undefined && !this.runtimes.has(input.provider)) {
      const names = [...this.runtimes.keys()].join(', ');
      throw new AiHttpError(
        400,
        'provider-not-configured',
        `${input.provider} is not configured here (configured: ${names})`,
      );
    }
    if (input.samples.length > config.maxBatch) {
      throw new AiHttpError(400, 'batch-too-large', `at most ${config.maxBatch} samples per request`);
    }
    const rate = await this.limits.hit(input.userId);
    if (!rate.ok) {
      metrics.limited.inc({ reason: rate.reason });
      throw new AiHttpError(
        429,
        'rate-limited',
        `Too many AI requests; try again in ${rate.retryAfterSec} s`,
        {
          retryAfterSec: rate.retryAfterSec,
        },
      );
    }

    const order = this.order(input.provider);
    const normalised = input.samples.map(normaliseSample);
    // Naming a provider asks for its answer: only its cache entries count. Otherwise any
    // configured provider's entry does, best priority first.
    const lookIn = input.provider ? [input.provider] : order;
    const items = await this.answers.lookup(
      input.samples,
      normalised,
      lookIn.map((p) => ({ provider: p, model: this.runtimes.get(p)!.config.model })),
      input.refresh,
    );
    const missIdx = items.flatMap((it, i) => (it === undefined ? [i] : []));
    const emit = input.onEvent;

    let served: Served | undefined;
    let settle = settled;
    const fallbacks: { provider: AiProviderId; message: string }[] = [];
    let tokens: Tokens = { input: 0, output: 0 };
    if (missIdx.length > 0) {
      const budget = await this.limits.canSpend(input.userId);
      if (!budget.ok) {
        metrics.limited.inc({ reason: budget.reason });
        throw new AiHttpError(
          429,
          'token-budget-exceeded',
          'Daily AI token budget used up; it resets at 00:00 UTC',
          {
            retryAfterSec: budget.retryAfterSec,
          },
        );
      }
    }
    // Cached descriptions go out first, once nothing can refuse the request any more.
    for (const [i, it] of items.entries()) {
      if (it) emit?.({ event: 'description', data: { index: i, id: it.id, delta: it.analysis.description } });
    }
    if (missIdx.length > 0) {
      const misses = missIdx.map((i) => normalised[i]!);
      const onDelta = emit
        ? (k: number, delta: string) =>
            emit({
              event: 'description',
              data: { index: missIdx[k]!, id: input.samples[missIdx[k]!]!.id, delta },
            })
        : undefined;
      // Streams are not shared: a joiner would miss the deltas already sent.
      const flightKey = emit ? undefined : `${order.join(',')}|${misses.map(sampleDigest).join('|')}`;
      const run = () => this.serve(misses, order, input, onDelta, (f) => fallbacks.push(f));
      const shared = flightKey === undefined ? undefined : this.inFlight.get(flightKey);
      if (shared) {
        try {
          served = await shared;
        } catch (e) {
          // The leader's client went away; that cancels its call, not ours.
          if (!(e instanceof AiHttpError && e.code === 'cancelled') || input.signal.aborted) throw e;
          served = await run();
          tokens = served.tokens;
          settle = guard(served.settle, this.deps.log);
        }
      } else {
        const p = run();
        if (flightKey !== undefined) {
          this.inFlight.set(flightKey, p);
          p.catch(() => this.inFlight.delete(flightKey));
        }
        served = await p;
        tokens = served.tokens;
        const book = guard(served.settle, this.deps.log);
        settle = flightKey === undefined ? book : () => book().finally(() => this.inFlight.delete(flightKey));
      }
      for (const [k, i] of missIdx.entries()) {
        items[i] = {
          id: input.samples[i]!.id,
          analysis: served.items[k]!,
          provider: served.provider,
          model: served.model,
          cached: false,
        };
      }
    }

    const done = items as AiAnalyzeItem[];
    const response: AiAnalyzeResponse = {
      items: done,
      provider: served?.provider ?? done[0]!.provider,
      model: served?.model ?? done[0]!.model,
      tokens,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      cached: missIdx.length === 0,
      fallbacks,
    };
    return { response, settle };
  }

  /** The requested provider first, then the configured priority. */
  private order(requested: AiProviderId | undefined): AiProviderId[] {
    const all = [...this.runtimes.keys()];
    return requested ? [requested, ...all.filter((p) => p !== requested)] : all;
  }

  /** Tries providers in order until one answers; caches and accounts for the answer. */
  private async serve(
    samples: NormalisedSample[],
    order: AiProviderId[],
    input: AnalyzeInput,
    onDelta: ((index: number, delta: string) => void) | undefined,
    onFallback: (f: { provider: AiProviderId; message: string }) => void,
  ): Promise<Served> {
    const { metrics, config } = this.deps;
    const failures: ProviderFailure[] = [];
    let spent: Tokens = { input: 0, output: 0 };
    let isServed = false;
    try {
      for (const id of order) {
        const rt = this.runtimes.get(id)!;
        const t0 = performance.now();
        input.onEvent?.({ event: 'meta', data: { provider: id, model: rt.config.model } });
        try {
          const r = await callProvider({
            provider: rt.config,
            handle: rt.handle,
            slots: rt.slots,
            samples,
            maxOutputTokensPerSample: config.maxOutputTokensPerSample,
            signal: input.signal,
            onDelta,
          });
          const secs = (performance.now() - t0) / 1000;
          spent = sum(spent, r.tokens);
          isServed = true;
          const total = spent;
          return {
            items: r.items,
            provider: id,
            model: rt.config.model,
            tokens: total,
            settle: () => this.book(rt, samples, r, secs, input.userId, total),
          };
        } catch (e) {
          const cause = e instanceof CallFailed ? e.reason : e;
          if (e instanceof CallFailed) {
            spent = sum(spent, e.tokens);
            this.recordTokens(rt, e.tokens);
          }
          if (input.signal.aborted) throw new AiHttpError(499, 'cancelled', 'The request was cancelled');
          const f = toProviderFailure(id, cause);
          failures.push(f);
          metrics.providerCalls.inc({ provider: id, outcome: f.kind });
          Object.assign(rt.health, {
            status: 'error',
            lastErrorAt: new Date().toISOString(),
            lastError: f.message,
          });
          this.deps.log?.warn(
            { provider: id, kind: f.kind, status: f.status, detail: failureDetail(cause) },
            'ai provider failed; trying the next',
          );
          const attempt = { provider: id, message: f.message };
          onFallback(attempt);
          input.onEvent?.({ event: 'fallback', data: attempt });
        }
      }
    } finally {
      // A served answer books its tokens in settle(); failed attempts are booked now.
      if (!isServed) await this.limits.spend(input.userId, spent.input + spent.output);
    }
    throw allFailed(failures);
  }

  /**
   * A served answer's bookkeeping: its metrics and the provider's health, its cache entries and
   * the tokens spent on it (failed attempts before it included).
   */
  private async book(
    rt: Runtime,
    samples: NormalisedSample[],
    r: CallResult,
    secs: number,
    userId: string,
    spent: Tokens,
  ): Promise<void> {
    const { id, model } = rt.config;
    this.recordTokens(rt, r.tokens);
    rt.meters.ok.inc();
    rt.meters.latency.observe(secs);
    rt.health.status = 'ok';
    rt.health.lastLatencyMs = Math.round(secs * 1000);
    rt.lastSuccessMs = Date.now();
    await Promise.all([
      this.answers.store(id, model, samples, r.items),
      this.limits.spend(userId, spent.input + spent.output),
    ]);
  }

  private recordTokens(rt: Runtime, t: Tokens) {
    if (t.input > 0) rt.meters.tokensIn.inc(t.input);
    if (t.output > 0) rt.meters.tokensOut.inc(t.output);
  }
}

/** Bookkeeping must not fail a request that has been answered: a failure is logged. */
function guard(settle: () => Promise<void>, log: Log | undefined): () => Promise<void> {
  return () => settle().catch((err: unknown) => log?.warn({ err }, 'ai bookkeeping failed after the answer'));
}

function sum(a: Tokens, b: Tokens): Tokens {
  return { input: a.input + b.input, output: a.output + b.output };
}

function allFailed(failures: ProviderFailure[]): AiHttpError {
  const attempts = failures.map((f) => ({ provider: f.provider, message: f.message }));
  const summary = failures.map((f) => f.message).join('; ');
  if (failures.length > 0 && failures.every((f) => f.kind === 'rate-limited' || f.kind === 'busy')) {
    const waits = failures.map((f) => f.retryAfterSec).filter((s): s is number => s !== undefined);
    return new AiHttpError(429, 'providers-rate-limited', `Every AI provider is rate limited: ${summary}`, {
      retryAfterSec: waits.length > 0 ? Math.max(1, Math.min(...waits)) : 30,
      attempts,
    });
  }
  return new AiHttpError(502, 'ai-unavailable', `No AI provider could answer: ${summary}`, { attempts });
}
