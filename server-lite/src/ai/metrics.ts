import { Counter, Histogram, type Registry } from 'prom-client';

export type AiMetrics = {
  cacheHits: Counter<'backend'>;
  cacheMisses: Counter<'backend'>;
  providerCalls: Counter<'provider' | 'outcome'>;
  providerLatency: Histogram<'provider'>;
  tokens: Counter<'provider' | 'direction'>;
  limited: Counter<'reason'>;
};

/**
 * Registers the AI metrics on the given registry. Names are fixed, so a registry takes one AI
 * plugin; a second registration on the same registry reuses the existing metrics.
 */
export function createAiMetrics(registry: Registry): AiMetrics {
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    (registry.getSingleMetric(name) as Counter<L> | undefined) ??
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  const latency =
    (registry.getSingleMetric('samplemind_ai_provider_latency_seconds') as
      | Histogram<'provider'>
      | undefined) ??
    new Histogram({
      name: 'samplemind_ai_provider_latency_seconds',
      help: 'Time to a complete answer from an AI provider (including the repair round)',
      labelNames: ['provider'],
      buckets: [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
      registers: [registry],
    });
  return {
    cacheHits: counter('samplemind_ai_cache_hits_total', 'AI answers served from cache, per sample', [
      'backend',
    ]),
    cacheMisses: counter('samplemind_ai_cache_misses_total', 'AI answers not in cache, per sample', [
      'backend',
    ]),
    providerCalls: counter('samplemind_ai_provider_calls_total', 'AI provider calls by outcome', [
      'provider',
      'outcome',
    ]),
    providerLatency: latency,
    tokens: counter('samplemind_ai_tokens_total', 'Tokens spent at AI providers', ['provider', 'direction']),
    limited: counter('samplemind_ai_limited_total', 'AI requests refused by the per-user limits', ['reason']),
  };
}
