import { z } from 'zod';

/** Body of every 4xx/5xx answer. 5xx bodies never carry internal messages or stacks. */
export const errorResponseSchema = z.object({
  error: z.string().describe('Stable machine-readable code, e.g. "validation", "unauthorized", "not-found"'),
  message: z.string().describe('Human-readable explanation, safe to show'),
  requestId: z.string().optional(),
  /** Validation problems, one per offending field. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** A sample's id is the hex content hash of its audio bytes (see AnalysisResult.contentHash). */
export const sampleIdSchema = z
  .string()
  .regex(/^[0-9a-f]{16,128}$/, 'a sample id is the lowercase hex content hash of the file');

/** Client-chosen ids for collections (e.g. UUIDs). */
export const entityIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'ids are 1-64 of A-Z a-z 0-9 _ -');

export const isoDateSchema = z.string().describe('ISO 8601 timestamp');
