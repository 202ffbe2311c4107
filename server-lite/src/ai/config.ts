import { z } from 'zod';
import { AI_MAX_BATCH, AI_PROVIDERS, type AiProviderId } from './contract';

export type AiProviderConfig = {
  id: AiProviderId;
  model: string;
  /** Never leaves the server: not logged, not in any response. */
  apiKey: string | undefined;
  /** undefined = the SDK's default endpoint. */
  baseURL: string | undefined;
  timeoutMs: number;
  concurrency: number;
};

export type AiConfig = {
  /** Configured providers in priority order; an unconfigured provider is absent. */
  providers: AiProviderConfig[];
  /** Requests per user per minute (cached answers count too: they still cost a round trip). */
  rateLimitPerMin: number;
  /** Provider tokens (input + output) per user per UTC day; 0 = unlimited. */
  dailyTokenBudget: number;
  cacheTtlSec: number;
  cacheMaxEntries: number;
  maxBatch: number;
  /** Output tokens allowed per sample in one call (the call's limit is this times the batch, plus slack). */
  maxOutputTokensPerSample: number;
};

export const DEFAULT_MODELS: Record<AiProviderId, string> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-haiku-4-5',
  gemini: 'gemini-2.5-flash',
  ollama: 'llama3.2',
};

export class AiConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid AI configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AiConfigError';
  }
}

const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();
const httpUrl = z.url().refine((u) => /^https?:\/\//.test(u), 'must start with http:// or https://');

type Env = Record<string, string | undefined>;

/**
 * Reads the AI settings from the environment. A provider counts as configured when its key is set
 * (Ollama: when OLLAMA_BASE_URL or OLLAMA_MODEL is set, since a local Ollama needs no key).
 * Throws AiConfigError listing every problem at once.
 */
export function loadAiConfig(source: Env = process.env): AiConfig {
  // `FOO=` in an .env file means unset, as in the rest of server-lite.
  const env: Env = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const problems: string[] = [];
  const read = <T>(name: string, schema: z.ZodType<T>, fallback: T): T => {
    const raw = env[name];
    if (raw === undefined) return fallback;
    const r = schema.safeParse(raw.trim());
    if (r.success) return r.data;
    problems.push(`${name}: ${r.error.issues[0]?.message ?? 'invalid'} (got ${JSON.stringify(raw)})`);
    return fallback;
  };

  const timeoutMs = read('AI_TIMEOUT_MS', positiveInt, 30_000);
  const concurrency = read('AI_CONCURRENCY', positiveInt, 4);
  const prefix: Record<AiProviderId, string> = {
    openai: 'OPENAI',
    anthropic: 'ANTHROPIC',
    gemini: 'GEMINI',
    ollama: 'OLLAMA',
  };
  const keys: Record<AiProviderId, string | undefined> = {
    openai: env.OPENAI_API_KEY,
    anthropic: env.ANTHROPIC_API_KEY,
    gemini: env.GEMINI_API_KEY ?? env.GOOGLE_GENERATIVE_AI_API_KEY,
    ollama: env.OLLAMA_API_KEY,
  };
  const configured = (id: AiProviderId) =>
    id === 'ollama'
      ? env.OLLAMA_BASE_URL !== undefined || env.OLLAMA_MODEL !== undefined
      : keys[id] !== undefined;

  const byId = new Map<AiProviderId, AiProviderConfig>();
  for (const id of AI_PROVIDERS) {
    if (!configured(id)) continue;
    const p = prefix[id];
    let baseURL = read(`${p}_BASE_URL`, httpUrl, undefined as string | undefined);
    if (id === 'gemini' && baseURL === undefined)
      baseURL = read('GOOGLE_GENERATIVE_AI_BASE_URL', httpUrl, undefined);
    if (id === 'ollama' && baseURL !== undefined) baseURL = ollamaApiUrl(baseURL);
    byId.set(id, {
      id,
      model: env[`${p}_MODEL`]?.trim() ?? DEFAULT_MODELS[id],
      apiKey: keys[id]?.trim(),
      baseURL: baseURL?.replace(/\/+$/, ''),
      timeoutMs: read(`${p}_TIMEOUT_MS`, positiveInt, timeoutMs),
      concurrency: read(`${p}_CONCURRENCY`, positiveInt, concurrency),
    });
  }

  const priority = parsePriority(env.AI_PROVIDER_PRIORITY, problems);
  const providers = [
    ...priority.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
    ...AI_PROVIDERS.filter((id) => byId.has(id) && !priority.includes(id)).map((id) => byId.get(id)!),
  ];

  const config: AiConfig = {
    providers,
    rateLimitPerMin: read('AI_RATE_LIMIT_PER_MIN', positiveInt, 30),
    dailyTokenBudget: read('AI_DAILY_TOKEN_BUDGET', nonNegativeInt, 200_000),
    cacheTtlSec: read('AI_CACHE_TTL_SEC', positiveInt, 7 * 24 * 3600),
    cacheMaxEntries: read('AI_CACHE_MAX_ENTRIES', positiveInt, 10_000),
    maxBatch: read('AI_MAX_BATCH', positiveInt.max(AI_MAX_BATCH), AI_MAX_BATCH),
    maxOutputTokensPerSample: read('AI_MAX_OUTPUT_TOKENS_PER_SAMPLE', positiveInt, 600),
  };
  if (problems.length > 0) throw new AiConfigError(problems);
  return config;
}

function parsePriority(raw: string | undefined, problems: string[]): AiProviderId[] {
  if (raw === undefined) return [...AI_PROVIDERS];
  const out: AiProviderId[] = [];
  for (const part of raw.split(',')) {
    const name = part.trim().toLowerCase();
    if (name === '') continue;
    const id = name === 'google' ? 'gemini' : name;
    if (!(AI_PROVIDERS as readonly string[]).includes(id)) {
      problems.push(
        `AI_PROVIDER_PRIORITY: unknown provider "${part.trim()}" (known: ${AI_PROVIDERS.join(', ')})`,
      );
      continue;
    }
    if (!out.includes(id as AiProviderId)) out.push(id as AiProviderId);
  }
  return out;
}

/** Ollama's own docs give the host ("http://localhost:11434"); the provider wants the /api root. */
function ollamaApiUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/api') ? trimmed : `${trimmed}/api`;
}
