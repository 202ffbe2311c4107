import { z } from 'zod';
import { analysisResultSchema, audioFormatSchema, sampleTypeSchema } from '../analysis';
import { pitchClassSchema, scaleSchema } from '../keys';
import { entityIdSchema, sampleIdSchema } from './common';

/**
 * Sync protocol (server-lite/docs/sync.md has the full rules).
 *
 * Each device is a client with a stable `clientId`. It numbers its mutations 1, 2, 3, … (`mutationId`)
 * and stamps each with a hybrid logical clock (`hlc`). The server applies each mutation exactly once,
 * in mutationId order per client; conflicts between clients are settled per field by the HLC stamp,
 * so every delivery order converges to the same state.
 */

export const clientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'clientId: 8-64 of A-Z a-z 0-9 _ -');

/**
 * Hybrid logical clock: 13-digit zero-padded wall-clock milliseconds, "-", 4-digit zero-padded counter,
 * e.g. "1732700000000-0003". Compared as strings; ties between clients are broken by clientId.
 * A client keeps its stamps strictly increasing: next = max(now, last.ms, lastSeen.ms) with the
 * counter bumped when the ms part does not move.
 */
export const hlcSchema = z.string().regex(/^\d{13}-\d{4}$/, 'hlc: "<13-digit ms>-<4-digit counter>"');

export const tagSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .transform((t) => t.toLowerCase());
const tagsSchema = z.array(tagSchema).min(1).max(100);

/**
 * A key correction: the key the user heard, or 'none' when the analyser found a key in something
 * that has none (a drum hit, noise). As a register value, null means no correction.
 */
export const keyCorrectionSchema = z.union([
  z.object({ tonic: pitchClassSchema, scale: scaleSchema }),
  z.literal('none'),
]);
export type KeyCorrection = z.infer<typeof keyCorrectionSchema>;

/** Fields set with sample.setField, each a last-writer-wins register. */
export const sampleFieldValueSchema = z.discriminatedUnion('field', [
  z.object({ field: z.literal('name'), value: z.string().trim().min(1).max(512) }),
  z.object({ field: z.literal('path'), value: z.string().max(2048).nullable() }),
  z.object({ field: z.literal('rating'), value: z.number().int().min(0).max(5).nullable() }),
  z.object({ field: z.literal('favorite'), value: z.boolean() }),
  z.object({ field: z.literal('notes'), value: z.string().max(10_000) }),
  /** The user's corrections of the analysis; null = no correction (the analysis value shows). */
  z.object({ field: z.literal('bpm'), value: z.number().positive().max(999).nullable() }),
  z.object({ field: z.literal('key'), value: keyCorrectionSchema.nullable() }),
  z.object({ field: z.literal('type'), value: sampleTypeSchema.nullable() }),
]);
export type SampleFieldValue = z.infer<typeof sampleFieldValueSchema>;
export const SAMPLE_LWW_FIELDS = [
  'name',
  'path',
  'rating',
  'favorite',
  'notes',
  'bpm',
  'key',
  'type',
] as const;

/** Arguments of each mutation, by name. */
export const mutationArgsSchemas = {
  /** Create or re-analyse a sample. `id` must equal analysis.contentHash. Revives a deleted sample. */
  'sample.upsertAnalysis': z
    .object({
      id: sampleIdSchema,
      analysis: analysisResultSchema,
      /** Set only on first registration (or a deliberate rename); omitted fields are untouched. */
      name: z.string().trim().min(1).max(512).optional(),
      path: z.string().max(2048).nullable().optional(),
    })
    .refine((a) => a.analysis.contentHash === a.id, {
      message: 'id must equal analysis.contentHash',
      path: ['id'],
    }),
  'sample.setField': z.object({ id: sampleIdSchema }).and(sampleFieldValueSchema),
  'sample.addTags': z.object({ id: sampleIdSchema, tags: tagsSchema }),
  'sample.removeTags': z.object({ id: sampleIdSchema, tags: tagsSchema }),
  /** The AI description and the model that wrote it form one register; null clears it. */
  'sample.setAiDescription': z.object({
    id: sampleIdSchema,
    description: z.string().max(4000).nullable(),
    model: z.string().max(128).nullable().default(null),
  }),
  /** Soft delete: the sample stays as a tombstone; a later upsertAnalysis revives it. */
  'sample.delete': z.object({ id: sampleIdSchema }),
  /** Create or edit a collection; omitted fields are untouched. Revives a deleted collection. */
  'collection.upsert': z.object({
    id: entityIdSchema,
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2000).optional(),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/)
      .nullable()
      .optional(),
  }),
  'collection.addMembers': z.object({
    id: entityIdSchema,
    sampleIds: z.array(sampleIdSchema).min(1).max(1000),
  }),
  'collection.removeMembers': z.object({
    id: entityIdSchema,
    sampleIds: z.array(sampleIdSchema).min(1).max(1000),
  }),
  'collection.delete': z.object({ id: entityIdSchema }),
} as const;

export type MutationName = keyof typeof mutationArgsSchemas;
export const MUTATION_NAMES = Object.keys(mutationArgsSchemas) as MutationName[];
export type MutationArgs<N extends MutationName> = z.infer<(typeof mutationArgsSchemas)[N]>;

const envelope = {
  clientId: clientIdSchema,
  /** 1, 2, 3, … per client, no gaps. */
  mutationId: z.number().int().positive(),
  hlc: hlcSchema,
};

export const mutationSchema = z.discriminatedUnion('name', [
  z.object({
    ...envelope,
    name: z.literal('sample.upsertAnalysis'),
    args: mutationArgsSchemas['sample.upsertAnalysis'],
  }),
  z.object({ ...envelope, name: z.literal('sample.setField'), args: mutationArgsSchemas['sample.setField'] }),
  z.object({ ...envelope, name: z.literal('sample.addTags'), args: mutationArgsSchemas['sample.addTags'] }),
  z.object({
    ...envelope,
    name: z.literal('sample.removeTags'),
    args: mutationArgsSchemas['sample.removeTags'],
  }),
  z.object({
    ...envelope,
    name: z.literal('sample.setAiDescription'),
    args: mutationArgsSchemas['sample.setAiDescription'],
  }),
  z.object({ ...envelope, name: z.literal('sample.delete'), args: mutationArgsSchemas['sample.delete'] }),
  z.object({
    ...envelope,
    name: z.literal('collection.upsert'),
    args: mutationArgsSchemas['collection.upsert'],
  }),
  z.object({
    ...envelope,
    name: z.literal('collection.addMembers'),
    args: mutationArgsSchemas['collection.addMembers'],
  }),
  z.object({
    ...envelope,
    name: z.literal('collection.removeMembers'),
    args: mutationArgsSchemas['collection.removeMembers'],
  }),
  z.object({
    ...envelope,
    name: z.literal('collection.delete'),
    args: mutationArgsSchemas['collection.delete'],
  }),
]);
export type Mutation = z.infer<typeof mutationSchema>;

export const pushRequestSchema = z.object({ mutations: z.array(mutationSchema).min(1).max(500) });
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const MUTATION_STATUSES = ['applied', 'duplicate', 'rejected'] as const;
export const pushResponseSchema = z.object({
  /** One per mutation, in request order. */
  results: z.array(
    z.object({
      clientId: z.string(),
      mutationId: z.number().int(),
      /** duplicate: already applied earlier, nothing changed. rejected: out of order, resend from lastMutationId + 1. */
      status: z.enum(MUTATION_STATUSES),
      reason: z.string().optional(),
    }),
  ),
  /** Last applied mutationId of each client named in the batch. */
  clients: z.record(z.string(), z.number().int().nonnegative()),
}); // 200 when nothing was rejected, 409 (same body) otherwise.
export type PushResponse = z.infer<typeof pushResponseSchema>;

export const pullQuerySchema = z.object({
  /** Opaque; "0" or absent for everything. */
  cursor: z
    .string()
    .regex(/^\d{1,16}$/)
    .default('0'),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  /**
   * full: each sample carries its whole `analysis` (at most 1000 entities per page).
   * compact: each sample carries `summary` instead (what a device without the audio file needs to
   * list, filter and find similar sounds), about 40x smaller; used for a device's initial sync.
   */
  view: z.enum(['full', 'compact']).default('full'),
});
export type PullQuery = z.infer<typeof pullQuerySchema>;

/**
 * The analysis of a sample as a device without its audio needs it (the compact pull view).
 * `features` is the feature vector quantised to bytes: base64 of FEATURE_VECTOR_LENGTH uint8, each
 * value = byte / 255 (every dimension is in [0, 1], see features.ts). No waveform: there is no audio
 * to play on that device; the full analysis is one `view=full` pull away.
 */
export const syncSummarySchema = z.object({
  analyserVersion: z.string(),
  format: audioFormatSchema.pick({
    container: true,
    sampleRate: true,
    channels: true,
    bitDepth: true,
    durationSec: true,
  }),
  isLoop: z.boolean(),
  loopConfidence: z.number(),
  bpm: z.number().nullable(),
  bpmConfidence: z.number(),
  beats: z.number().int().nullable(),
  bars: z.number().nullable(),
  tonic: pitchClassSchema.nullable(),
  scale: scaleSchema.nullable(),
  keyConfidence: z.number(),
  midiNote: z.number().int().nullable(),
  cents: z.number().nullable(),
  type: sampleTypeSchema,
  typeConfidence: z.number(),
  lufs: z.number().nullable(),
  samplePeakDb: z.number().nullable(),
  features: z.string(),
});
export type SyncSummary = z.infer<typeof syncSummarySchema>;

export const syncSampleSchema = z.object({
  id: sampleIdSchema,
  /** Tombstone: the client deletes its copy. */
  deleted: z.boolean(),
  name: z.string().nullable(),
  path: z.string().nullable(),
  tags: z.array(z.string()),
  rating: z.number().int().nullable(),
  favorite: z.boolean(),
  notes: z.string(),
  aiDescription: z.string().nullable(),
  aiModel: z.string().nullable(),
  /** The user's corrections (null = none; show the analysis value). */
  bpm: z.number().nullable(),
  key: keyCorrectionSchema.nullable(),
  type: sampleTypeSchema.nullable(),
  /** view=full only. Null until some client sent sample.upsertAnalysis. */
  analysis: analysisResultSchema.nullable().optional(),
  /** view=compact only. Null until some client sent sample.upsertAnalysis. */
  summary: syncSummarySchema.nullable().optional(),
  updatedAt: z.string(),
});
export type SyncSample = z.infer<typeof syncSampleSchema>;

export const syncCollectionSchema = z.object({
  id: entityIdSchema,
  deleted: z.boolean(),
  name: z.string().nullable(),
  description: z.string(),
  color: z.string().nullable(),
  sampleIds: z.array(z.string()),
  updatedAt: z.string(),
});
export type SyncCollection = z.infer<typeof syncCollectionSchema>;

export const pullResponseSchema = z.object({
  /** Pass back as `cursor` next time. */
  cursor: z.string(),
  /** More changes are waiting: pull again at once with the new cursor. */
  hasMore: z.boolean(),
  /** Current state of every entity changed since the cursor (not the individual mutations). */
  samples: z.array(syncSampleSchema),
  collections: z.array(syncCollectionSchema),
  /** Last applied mutationId per client of this user: drop local pending mutations at or below it. */
  clients: z.record(z.string(), z.number().int().nonnegative()),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;
