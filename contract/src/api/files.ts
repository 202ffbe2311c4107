import { z } from 'zod';
import { analysisResultSchema, sampleTypeSchema } from '../analysis';
import { pitchClassSchema, scaleSchema } from '../keys';
import { sampleIdSchema } from './common';

/** The caller-editable part of a sample, as stored on the server. */
export const sampleSummarySchema = z.object({
  id: sampleIdSchema,
  name: z.string(),
  path: z.string().nullable(),
  tags: z.array(z.string()),
  rating: z.number().int().min(0).max(5).nullable(),
  favorite: z.boolean(),
  type: sampleTypeSchema,
  bpm: z.number().nullable(),
  keyTonic: pitchClassSchema.nullable(),
  keyScale: scaleSchema.nullable(),
  camelot: z.string().nullable(),
  durationSec: z.number(),
  isLoop: z.boolean(),
  lufs: z.number().nullable(),
  midiNote: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SampleSummary = z.infer<typeof sampleSummarySchema>;

export const sampleDetailSchema = sampleSummarySchema.extend({
  notes: z.string(),
  aiDescription: z.string().nullable(),
  aiModel: z.string().nullable(),
  /** Ids of the live collections this sample belongs to. */
  collections: z.array(z.string()),
  /** Analysis metadata and feature vector; never audio. */
  analysis: analysisResultSchema,
});
export type SampleDetail = z.infer<typeof sampleDetailSchema>;

export const SORT_FIELDS = ['name', 'createdAt', 'updatedAt', 'bpm', 'duration', 'lufs'] as const;
export const sortSchema = z.enum([...SORT_FIELDS, ...SORT_FIELDS.map((f) => `-${f}` as const)]);
export type SortSpec = z.infer<typeof sortSchema>;

/** Filters shared by the file list and the similarity search (object form). */
export const sampleFiltersSchema = z.object({
  type: z.array(sampleTypeSchema).max(13).optional(),
  key: pitchClassSchema.optional(),
  scale: scaleSchema.optional(),
  camelot: z
    .string()
    .regex(/^(1[0-2]|[1-9])[AB]$/)
    .optional(),
  bpmMin: z.number().nonnegative().optional(),
  bpmMax: z.number().nonnegative().optional(),
  durationMin: z.number().nonnegative().optional(),
  durationMax: z.number().nonnegative().optional(),
  /** All of these tags. */
  tags: z.array(z.string().min(1).max(64)).max(20).optional(),
  /** Case-insensitive substring of name, path, tags or AI description. */
  q: z.string().trim().min(1).max(200).optional(),
  isLoop: z.boolean().optional(),
  favorite: z.boolean().optional(),
});
export type SampleFilters = z.infer<typeof sampleFiltersSchema>;

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(1000)
    .transform((s) =>
      s
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p.length > 0),
    )
    .pipe(z.array(item));
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** GET /api/v1/audio/files query string: the same filters, lists comma-separated. */
export const listFilesQuerySchema = z.object({
  type: csv(sampleTypeSchema).optional(),
  key: pitchClassSchema.optional(),
  scale: scaleSchema.optional(),
  camelot: sampleFiltersSchema.shape.camelot,
  bpmMin: z.coerce.number().nonnegative().optional(),
  bpmMax: z.coerce.number().nonnegative().optional(),
  durationMin: z.coerce.number().nonnegative().optional(),
  durationMax: z.coerce.number().nonnegative().optional(),
  tags: csv(z.string().min(1).max(64)).optional(),
  q: sampleFiltersSchema.shape.q,
  isLoop: bool.optional(),
  favorite: bool.optional(),
  sort: sortSchema.default('-createdAt'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Opaque; from the previous page's nextCursor. */
  cursor: z.string().max(512).optional(),
});
export type ListFilesQuery = z.infer<typeof listFilesQuerySchema>;

export const listFilesResponseSchema = z.object({
  items: z.array(sampleSummarySchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type ListFilesResponse = z.infer<typeof listFilesResponseSchema>;

export const fileParamsSchema = z.object({ id: sampleIdSchema });

/** Multipart fields of POST /api/v1/audio/analyze besides the `file` part. */
export const analyzeFieldsSchema = z.object({
  /** "true" to store the result in the caller's library (metadata and features only). */
  store: z.enum(['true', 'false']).default('false'),
});

export const analyzeResponseSchema = z.object({
  result: analysisResultSchema,
  stored: z.boolean(),
  sample: sampleSummarySchema.nullable(),
});
export type AnalyzeResponse = z.infer<typeof analyzeResponseSchema>;
