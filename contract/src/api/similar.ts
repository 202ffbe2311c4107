import { z } from 'zod';
import { FEATURE_VECTOR_LENGTH } from '../features';
import { sampleIdSchema } from './common';
import { sampleFiltersSchema, sampleSummarySchema } from './files';

/** Exactly one of `id` (a sample in the caller's library) or `vector`. */
export const similarRequestSchema = z
  .object({
    id: sampleIdSchema.optional(),
    vector: z.array(z.number().finite()).length(FEATURE_VECTOR_LENGTH).optional(),
    limit: z.number().int().min(1).max(100).default(20),
    filters: sampleFiltersSchema.default({}),
  })
  .refine((r) => (r.id === undefined) !== (r.vector === undefined), {
    message: 'give exactly one of id or vector',
    path: ['id'],
  });
export type SimilarRequest = z.infer<typeof similarRequestSchema>;

export const similarResponseSchema = z.object({
  items: z.array(
    z.object({
      sample: sampleSummarySchema,
      /** Cosine similarity in [-1, 1]; higher is closer. */
      score: z.number(),
    }),
  ),
});
export type SimilarResponse = z.infer<typeof similarResponseSchema>;
