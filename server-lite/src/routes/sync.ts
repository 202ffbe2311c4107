import {
  errorResponseSchema,
  pullQuerySchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
} from '@samplemind/contract';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../http-errors';
import compression from '../plugins/external/compression';

const JSON_TYPE = 'application/json; charset=utf-8';
/** view=full pages carry whole analyses (waveforms included): keep them to what one answer can hold. */
export const FULL_VIEW_MAX_LIMIT = 1000;

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  413: errorResponseSchema,
  429: errorResponseSchema,
};

/** Sync between a user's devices; the rules are in docs/sync.md. */
export default async function syncRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // Pull pages are megabytes of JSON. When the app compresses every route (app.ts), this scope
  // already has it; otherwise compress here.
  if (!app.hasReplyDecorator('compress')) await app.register(compression);
  app.addHook('preHandler', app.authenticate);
  // Open event streams would hold a graceful shutdown for its whole grace period: end them first.
  const streams = new Set<import('node:http').ServerResponse>();
  app.addHook('preClose', async () => {
    for (const res of streams) res.end();
  });

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
    '/events',
    {
      schema: {
        tags: ['sync'],
        summary: "Server-sent events: `poke` whenever this user's data changed (on any instance); then pull",
        description:
          'text/event-stream. Events: `ready` once, `poke` after each change, a comment every 25 s to keep proxies from closing the stream. Use fetch() with the Authorization header (EventSource cannot send one).',
        security: [{ bearerAuth: [] }],
        response: { 200: z.string().describe('text/event-stream'), 401: errorResponseSchema },
      },
    },
    (req, reply) => {
      const { userId } = req.auth;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('event: ready\ndata: {}\n\n');
      let pending = false;
      const off = app.stores.pokes.subscribe((who) => {
        if (who !== userId || pending) return;
        // Coalesce bursts: one poke per tick is enough to trigger a pull.
        pending = true;
        setImmediate(() => {
          pending = false;
          res.write(`event: poke\ndata: ${JSON.stringify({ at: Date.now() })}\n\n`);
        });
      });
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
      const close = () => {
        clearInterval(keepAlive);
        off();
        streams.delete(res);
      };
      streams.add(res);
      req.raw.once('close', close);
    },
  );

  app.get(
    '/pull',
    {
      schema: {
        tags: ['sync'],
        summary: 'Current state of everything changed since the cursor (tombstones included)',
        description: `view=full (default): samples carry \`analysis\`, limit at most ${FULL_VIEW_MAX_LIMIT}. view=compact: samples carry \`summary\` instead, limit up to 5000 (a device's initial sync). Compressed (br, gzip) by Accept-Encoding.`,
        security: [{ bearerAuth: [] }],
        querystring: pullQuerySchema,
        response: { 200: pullResponseSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { cursor, limit, view } = req.query;
      if (view === 'full' && limit > FULL_VIEW_MAX_LIMIT) {
        throw new HttpError(
          400,
          'validation',
          `limit ${limit} is too large for view=full (at most ${FULL_VIEW_MAX_LIMIT}); use view=compact for pages of up to 5000`,
        );
      }
      // JSON text built from stored parts (library/sync-json.ts); its shape is PullResponse.
      const body = await app.library.pull(req.auth.userId, Number(cursor), limit, view);
      return reply.type(JSON_TYPE).send(body as never);
    },
  );
}
