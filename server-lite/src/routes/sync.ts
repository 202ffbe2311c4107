import {
  errorResponseSchema,
  pullQuerySchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
} from '@samplemind/contract';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  413: errorResponseSchema,
  429: errorResponseSchema,
};

/** Sync between a user's devices; the rules are in docs/sync.md. */
export default async function syncRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.addHook('preHandler', app.authenticate);

  app.post(
    '/push',
    {
      schema: {
        tags: ['sync'],
        summary: 'Apply a batch of mutations (each exactly once, in mutationId order per client)',
        description:
          '200 when every mutation was applied or was a duplicate; 409 (same body) when some were rejected as out of order.',
        security: [{ bearerAuth: [] }],
        body: pushRequestSchema,
        response: { 200: pushResponseSchema, 409: pushResponseSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { body, rejected } = await app.library.push(req.auth.userId, req.body.mutations);
      reply.code(rejected ? 409 : 200);
      return body;
    },
  );

  app.get(
    '/pull',
    {
      schema: {
        tags: ['sync'],
        summary: 'Current state of everything changed since the cursor (tombstones included)',
        security: [{ bearerAuth: [] }],
        querystring: pullQuerySchema,
        response: { 200: pullResponseSchema, ...errors },
      },
    },
    async (req) => app.library.pull(req.auth.userId, Number(req.query.cursor), req.query.limit),
  );
}
