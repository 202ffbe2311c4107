import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { HttpError } from '../../http-errors';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  429: 'rate-limited',
  503: 'unavailable',
};

/**
 * One error shape for every answer: { error, message, requestId }. Client errors keep their
 * message; 5xx answers never carry internal messages or stacks (those go to the log only).
 */
export default fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err: FastifyError, req, reply) => {
      if (hasZodFastifySchemaValidationErrors(err)) {
        return reply.code(400).send({
          error: 'validation',
          message: `invalid ${err.validationContext ?? 'request'}`,
          requestId: req.id,
          issues: err.validation.map((v) => ({
            path: String(v.instancePath ?? '')
              .replace(/^\//, '')
              .replaceAll('/', '.'),
            message: v.message ?? 'invalid',
          })),
        });
      }
      if (err instanceof HttpError) {
        for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
        return reply.code(err.statusCode).send({ error: err.code, message: err.message, requestId: req.id });
      }
      const status = err.statusCode ?? 500;
      if (status < 500 && !isResponseSerializationError(err)) {
        req.log.info({ err: err.message, code: err.code }, 'client error');
        return reply
          .code(status)
          .send({ error: CODE_BY_STATUS[status] ?? 'bad-request', message: err.message, requestId: req.id });
      }
      req.log.error({ err }, 'request failed');
      const safe = status === 503 ? 'service temporarily unavailable' : 'internal server error';
      return reply
        .code(Math.max(status, 500))
        .send({ error: status === 503 ? 'unavailable' : 'internal', message: safe, requestId: req.id });
    });

    app.setNotFoundHandler((req, reply) => {
      reply.code(404).send({
        error: 'not-found',
        message: `no route ${req.method} ${req.url.split('?')[0]}`,
        requestId: req.id,
      });
    });
  },
  { name: 'errors' },
);
