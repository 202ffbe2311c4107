import { z } from 'zod';
import {
  envelopeSchema,
  keySchema,
  levelsSchema,
  loopSchema,
  pitchSchema,
  sampleTypeSchema,
  spectralSchema,
  tempoSchema,
} from '../analysis';
import { AI_GENRES, AI_MAX_BATCH, AI_MOODS, AI_PROVIDERS, AI_TAGS } from './ai-constants';

export * from './ai-constants';

/**
 * AI descriptions (POST /api/v1/ai/analyze, GET /api/v1/ai/providers).
 *
 * The browser sends only analysis numbers and the file name, never audio. The server asks one of
 * the configured providers for a short description, tags, genre/mood guesses, production tips and
 * ideas, validates the answer against the schemas below and caches it.
 */

export const aiProviderIdSchema = z.enum(AI_PROVIDERS);
export type AiProviderId = z.infer<typeof aiProviderIdSchema>;

// ---------------------------------------------------------------------------------------------
// Controlled vocabulary. Tags outside it are kept as `freeTags`; genres and moods outside it are
// dropped, so filters and facets in the app can rely on a closed set.

export const aiTagSchema = z.enum(AI_TAGS);
export type AiTag = z.infer<typeof aiTagSchema>;

export const aiGenreSchema = z.enum(AI_GENRES);
export type AiGenre = z.infer<typeof aiGenreSchema>;

export const aiMoodSchema = z.enum(AI_MOODS);
export type AiMood = z.infer<typeof aiMoodSchema>;

// ---------------------------------------------------------------------------------------------
// Input: the part of an AnalysisResult a model can use. No waveform, no feature vector, no audio.

export const aiSampleInputSchema = z.object({
  /** The caller's handle for this sample (usually its content hash); echoed back, never sent to a model. */
  id: z.string().min(1).max(128),
  fileName: z.string().trim().min(1).max(255),
  durationSec: z
    .number()
    .nonnegative()
    .max(24 * 3600),
  type: z.object({ label: sampleTypeSchema, confidence: z.number().min(0).max(1) }),
  loop: loopSchema,
  tempo: tempoSchema.pick({ bpm: true, confidence: true, beatsPerBar: true }),
  key: keySchema.pick({ tonic: true, scale: true, confidence: true }),
  pitch: pitchSchema.pick({ midiNote: true, confidence: true }),
  levels: levelsSchema.pick({
    lufs: true,
    truePeakDb: true,
    rmsDb: true,
    loudnessRangeLu: true,
    isSilent: true,
  }),
  envelope: envelopeSchema,
  spectral: spectralSchema,
  /** What the file's own metadata claims (genre/comment tags), when present. */
  claimed: z
    .object({
      genre: z.string().max(64).nullable(),
      comment: z.string().max(200).nullable(),
    })
    .optional(),
  /** Tags the user already gave the sample: hints, not orders. */
  tags: z.array(z.string().trim().min(1).max(64)).max(30).optional(),
});
export type AiSampleInput = z.infer<typeof aiSampleInputSchema>;

export const aiAnalyzeRequestSchema = z
  .object({
    /** One sample… */
    sample: aiSampleInputSchema.optional(),
    /** …or a batch of up to AI_MAX_BATCH, answered in the same order. */
    samples: z.array(aiSampleInputSchema).min(1).max(AI_MAX_BATCH).optional(),
    /** Try this provider first (the others follow in the server's priority order). */
    provider: aiProviderIdSchema.optional(),
    /** Skip the cache lookup (the fresh answer still replaces the cached one). */
    refresh: z.boolean().default(false),
  })
  .refine((r) => (r.sample === undefined) !== (r.samples === undefined), {
    message: 'give exactly one of sample or samples',
    path: ['samples'],
  });
export type AiAnalyzeRequest = z.infer<typeof aiAnalyzeRequestSchema>;

/** `?stream=1` (or `Accept: text/event-stream`) answers with server-sent events. */
export const aiAnalyzeQuerySchema = z.object({
  /** `?stream`, `?stream=1` or `?stream=true`. */
  stream: z
    .enum(['', '1', '0', 'true', 'false'])
    .transform((v) => v === '' || v === '1' || v === 'true')
    .optional(),
});

// ---------------------------------------------------------------------------------------------
// Output

const confidence = z.number().min(0).max(1);

/** What a model says about one sample, after validation and repair. */
export const aiSampleAnalysisSchema = z.object({
  /** One or two sentences a producer can read at a glance. */
  description: z.string().min(1).max(400),
  tags: z.array(aiTagSchema).max(12),
  /** Lowercase, at most three words each; things the vocabulary lacks (e.g. "909", "tape"). */
  freeTags: z.array(z.string().min(1).max(32)).max(6),
  /** Best first. */
  genres: z.array(z.object({ name: aiGenreSchema, confidence })).max(3),
  moods: z.array(z.object({ name: aiMoodSchema, confidence })).max(3),
  productionTips: z.array(z.string().min(1).max(300)).max(4),
  creativeIdeas: z.array(z.string().min(1).max(300)).max(4),
});
export type AiSampleAnalysis = z.infer<typeof aiSampleAnalysisSchema>;

export const aiTokensSchema = z.object({
  input: z.number().int().nonnegative(),
  output: z.number().int().nonnegative(),
});

export const aiAnalyzeItemSchema = z.object({
  id: z.string(),
  analysis: aiSampleAnalysisSchema,
  provider: aiProviderIdSchema,
  model: z.string(),
  cached: z.boolean(),
});
export type AiAnalyzeItem = z.infer<typeof aiAnalyzeItemSchema>;

/** A provider that was tried and failed before the one that answered. Messages are safe to show. */
export const aiAttemptSchema = z.object({ provider: aiProviderIdSchema, message: z.string() });

export const aiAnalyzeResponseSchema = z.object({
  /** In request order. */
  items: z.array(aiAnalyzeItemSchema),
  /** The provider/model that answered the uncached items (or that wrote the cache entry, when all were cached). */
  provider: aiProviderIdSchema,
  model: z.string(),
  /** Tokens this request spent (0 when every item came from cache). */
  tokens: aiTokensSchema,
  latencyMs: z.number().nonnegative(),
  /** Every item came from cache. */
  cached: z.boolean(),
  fallbacks: z.array(aiAttemptSchema),
});
export type AiAnalyzeResponse = z.infer<typeof aiAnalyzeResponseSchema>;

/** Error body of the AI routes: the common error shape plus the per-provider trail. */
export const aiErrorResponseSchema = z.object({
  error: z.string(),
  message: z.string(),
  requestId: z.string().optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  attempts: z.array(aiAttemptSchema).optional(),
});
export type AiErrorResponse = z.infer<typeof aiErrorResponseSchema>;

/**
 * Server-sent events of a streamed analysis, in order: `meta` when a provider starts, `description`
 * deltas per item, `fallback` when a provider failed mid-answer (drop the partial descriptions and
 * wait for the next `meta`), then exactly one of `result` (the AiAnalyzeResponse) or `error`.
 */
export const aiStreamEventSchemas = {
  meta: z.object({ provider: aiProviderIdSchema, model: z.string() }),
  description: z.object({ index: z.number().int().nonnegative(), id: z.string(), delta: z.string() }),
  fallback: aiAttemptSchema,
  result: aiAnalyzeResponseSchema,
  error: aiErrorResponseSchema,
} as const;
export type AiStreamEventName = keyof typeof aiStreamEventSchemas;

export const aiProviderHealthSchema = z.object({
  status: z.enum(['unknown', 'ok', 'error']),
  lastSuccessAt: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  /** Safe summary of the last failure, e.g. "openai: rate limited (429)". */
  lastError: z.string().nullable(),
  lastLatencyMs: z.number().nullable(),
});

export const aiProvidersResponseSchema = z.object({
  /** Configured providers only, in priority order. */
  providers: z.array(
    z.object({
      id: aiProviderIdSchema,
      model: z.string(),
      timeoutMs: z.number().int().positive(),
      concurrency: z.number().int().positive(),
      health: aiProviderHealthSchema,
    }),
  ),
  maxBatch: z.number().int().positive(),
});
export type AiProvidersResponse = z.infer<typeof aiProvidersResponseSchema>;
