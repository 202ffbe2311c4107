import type { AiAnalyzeItem, AiProviderId, AiSampleAnalysis, AiSampleInput } from './contract';
import type { AiMetrics } from './metrics';
import { analysisSchema } from './parse-output';
import { cacheKey, type NormalisedSample } from './prompt';
import type { AiCache } from './store';

type CachedEntry = { analysis: AiSampleAnalysis; provider: AiProviderId; model: string };
type Meter = { inc(n: number): void };

/**
 * Answers by (provider, model, prompt version, normalised sample) over an AiCache, counting hits
 * and misses per sample. Entries are checked against the contract on the way back in.
 */
export class AnswerCache {
  private readonly hits: Meter;
  private readonly misses: Meter;

  constructor(
    private readonly cache: AiCache,
    metrics: AiMetrics,
    private readonly ttlSec: number,
  ) {
    // Label series resolved once, not looked up on every request.
    this.hits = metrics.cacheHits.labels(cache.backend);
    this.misses = metrics.cacheMisses.labels(cache.backend);
  }

  /**
   * Each sample's cached answer from the first provider in `order` that has one (one round trip
   * for all keys when the backend can); `refresh` skips the lookup and counts misses.
   */
  async lookup(
    samples: AiSampleInput[],
    normalised: NormalisedSample[],
    order: { provider: AiProviderId; model: string }[],
    refresh = false,
  ): Promise<(AiAnalyzeItem | undefined)[]> {
    const out: (AiAnalyzeItem | undefined)[] = normalised.map(() => undefined);
    if (refresh) {
      this.misses.inc(normalised.length);
      return out;
    }
    const keys = normalised.flatMap((s) => order.map((o) => cacheKey(o.provider, o.model, s)));
    const { cache } = this;
    const values = cache.getMany
      ? await cache.getMany(keys)
      : await Promise.all(keys.map((k) => cache.get(k)));
    let hits = 0;
    for (let i = 0; i < normalised.length; i++) {
      for (let j = 0; j < order.length && out[i] === undefined; j++) {
        const entry = decodeEntry(values[i * order.length + j] ?? null);
        if (entry) out[i] = { id: samples[i]!.id, ...entry, cached: true };
      }
      if (out[i]) hits++;
    }
    if (hits > 0) this.hits.inc(hits);
    if (hits < normalised.length) this.misses.inc(normalised.length - hits);
    return out;
  }

  /** Stores one provider's answers; never rejects (a broken backend drops the write). */
  async store(
    provider: AiProviderId,
    model: string,
    samples: NormalisedSample[],
    items: AiSampleAnalysis[],
  ): Promise<void> {
    await Promise.all(
      samples.map((s, k) =>
        this.cache.set(
          cacheKey(provider, model, s),
          JSON.stringify({ analysis: items[k], provider, model } satisfies CachedEntry),
          this.ttlSec,
        ),
      ),
    );
  }
}

function decodeEntry(raw: string | null): CachedEntry | undefined {
  if (raw === null) return undefined;
  try {
    const v = JSON.parse(raw) as CachedEntry;
    // A shared cache is still input: a damaged or foreign entry reads as a miss.
    const analysis = analysisSchema.safeParse(v.analysis);
    if (!analysis.success || typeof v.provider !== 'string' || typeof v.model !== 'string') return undefined;
    return { analysis: analysis.data, provider: v.provider, model: v.model };
  } catch {
    return undefined;
  }
}
