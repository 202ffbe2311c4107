import { z } from 'zod';

export const livenessResponseSchema = z.object({ status: z.literal('ok'), uptimeSec: z.number() });

export const STORE_PARTS = ['documents', 'cache', 'vectors'] as const;
export const storePartSchema = z.enum(STORE_PARTS);

export const readinessResponseSchema = z.object({
  status: z.enum(['ok', 'fail']),
  /** Names of the failing parts; empty when ready. */
  failing: z.array(storePartSchema),
  checks: z.record(
    z.string(),
    z.object({
      ok: z.boolean(),
      backend: z.string(),
      latencyMs: z.number(),
      error: z.string().optional(),
    }),
  ),
});
export type ReadinessResponse = z.infer<typeof readinessResponseSchema>;
