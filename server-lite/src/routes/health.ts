import { livenessResponseSchema, readinessResponseSchema } from '@samplemind/contract';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

async function check(backend: string, probe: () => Promise<void>) {
  const t0 = performance.now();
  try {
    await probe();
    return { ok: true, backend, latencyMs: +(performance.now() - t0).toFixed(2) };
  } catch (e) {
    return {
      ok: false,
      backend,
      latencyMs: +(performance.now() - t0).toFixed(2),
      error: (e as Error).message,
    };
  }
}

export default async function healthRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const started = Date.now();
  const body = (uptime: number) => ({ status: 'ok' as const, uptimeSec: uptime });

  app.get(
    '/health',
    { schema: { tags: ['health'], summary: 'Liveness', response: { 200: livenessResponseSchema } } },
    async () => body(Math.round((Date.now() - started) / 1000)),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: every store checked; 503 names the failing parts',
        response: { 200: readinessResponseSchema, 503: readinessResponseSchema },
      },
    },
    async (_req, reply) => {
      const { docs, cache, vectors } = app.stores;
      const [documents, c, v] = await Promise.all([
        check(docs.backend, () => docs.ping()),
        check(cache.backend, () => cache.ping()),
        check(vectors.backend, () => vectors.ping()),
      ]);
      const checks = { documents, cache: c, vectors: v };
      const failing = (Object.keys(checks) as (keyof typeof checks)[]).filter((k) => !checks[k].ok);
      reply.code(failing.length > 0 ? 503 : 200);
      return { status: failing.length > 0 ? ('fail' as const) : ('ok' as const), failing, checks };
    },
  );
}
