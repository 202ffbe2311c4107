import {
  errorResponseSchema,
  fileParamsSchema,
  listFilesQuerySchema,
  listFilesResponseSchema,
  sampleDetailSchema,
  similarRequestSchema,
  similarResponseSchema,
} from '@samplemind/contract';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { badRequest, HttpError, notFound } from '../http-errors';
import { BadCursor, NotFound } from '../library/service';
import { VectorsUnavailable } from '../stores/types';

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 429: errorResponseSchema };
const JSON_TYPE = 'application/json; charset=utf-8';

export default async function fileRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.addHook('preHandler', app.authenticate);

  app.get(
    '/files',
    {
      schema: {
        tags: ['library'],
        summary: "The caller's samples: filters, sort, cursor pagination",
        security: [{ bearerAuth: [] }],
        querystring: listFilesQuerySchema,
        response: { 200: listFilesResponseSchema, ...errors },
      },
    },
    async (req, reply) => {
      try {
        // Already serialized through the response schema (and possibly cached).
        return reply.type(JSON_TYPE).send((await app.library.list(req.auth.userId, req.query)) as never);
      } catch (e) {
        if (e instanceof BadCursor) throw badRequest(e.message);
        throw e;
      }
    },
  );

  app.get(
    '/files/:id',
    {
      schema: {
        tags: ['library'],
        summary: 'One sample with its analysis metadata and feature vector',
        security: [{ bearerAuth: [] }],
        params: fileParamsSchema,
        response: { 200: sampleDetailSchema, 404: errorResponseSchema, ...errors },
      },
    },
    async (req, reply) => {
      const body = await app.library.get(req.auth.userId, req.params.id);
      if (body === null) throw notFound('no such sample in your library');
      return reply.type(JSON_TYPE).send(body as never);
    },
  );

  app.post(
    '/similar',
    {
      schema: {
        tags: ['library'],
        summary: "Nearest samples in the caller's library to a sample id or a feature vector",
        security: [{ bearerAuth: [] }],
        body: similarRequestSchema,
        response: {
          200: similarResponseSchema,
          404: errorResponseSchema,
          503: errorResponseSchema,
          ...errors,
        },
      },
    },
    async (req) => {
      try {
        return await app.library.similar(req.auth.userId, req.body);
      } catch (e) {
        if (e instanceof NotFound) throw notFound(e.message);
        if (e instanceof VectorsUnavailable) {
          throw new HttpError(
            503,
            'vectors-unavailable',
            'similarity search is unavailable: the vector store cannot be reached; retry later',
            {
              'retry-after': '5',
            },
          );
        }
        throw e;
      }
    },
  );
}
