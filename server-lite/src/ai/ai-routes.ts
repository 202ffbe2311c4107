import type {
  FastifyError,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  preHandlerHookHandler,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { type AiEvent, AiHttpError, AiService } from './ai-service';
import type { AiConfig } from './config';
import {
  type AiErrorResponse,
  aiAnalyzeQuerySchema,
  aiAnalyzeRequestSchema,
  aiAnalyzeResponseSchema,
  aiErrorResponseSchema,
  aiProvidersResponseSchema,
} from './contract';
import { createAiMetrics } from './metrics';
import { type AiCache, type AiCounters, MemoryAiStore } from './store';

export type AiRoutesOptions = {
  config: AiConfig;
  /** Answer cache; an in-process LRU (config.cacheMaxEntries) when omitted. */
  cache?: AiCache;
  /** Rate-limit and budget counters; the cache when it has them (both stores here do), else in-process. */
  counters?: AiCounters;
  /** Runs first on every AI route; must set request.user (with `id` or `sub`) or reply 401. */
  authenticate: onRequestHookHandler | preHandlerHookHandler;
  /** Who the caller is, once authenticated. Default: request.auth.userId, else request.user.id or .sub. */
  userIdOf?: (request: FastifyRequest) => string | undefined;
  /** Where the AI metrics go (the app's /metrics registry). A private registry when omitted. */
  metrics?: Registry;
  /** Transport for the provider SDKs (tests, benchmarks); global fetch when omitted. */
  fetch?: typeof fetch;
};

const defaultUserId = (request: FastifyRequest): string | undefined => {
  const r = request as { auth?: { userId?: unknown }; user?: { id?: unknown; sub?: unknown } };
  const id = r.auth?.userId ?? r.user?.id ?? r.user?.sub;
  return typeof id === 'string' && id !== '' ? id : typeof id === 'number' ? String(id) : undefined;
};

/** Fastify's own errors carry FST_* codes; answer with the same words as server-lite's handler. */
const CODE_BY_STATUS: Record<number, string> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
};

const errorSchemas = { 400: aiErrorResponseSchema, 401: aiErrorResponseSchema, 429: aiErrorResponseSchema };

/**
 * GET /ai/providers and POST /ai/analyze (register with prefix '/api/v1'). Encapsulated on purpose:
 * it sets its own zod compilers and error handler, so it works the same inside the app and alone
 * in a test.
 */
export const aiRoutes: FastifyPluginAsync<AiRoutesOptions> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // Request schemas compiled ahead of time (same answers and issues: a failing input is re-run on
  // zod's runtime parser), so validation costs one generated function instead of a schema walk.
  app.setValidatorCompiler<z.ZodType>((route) =>
    validatorCompiler({ ...route, schema: z.compile(route.schema) }),
  );
  // Every item was validated against the contract when it was parsed or read from cache, and the
  // envelope is ours; like server-lite's compiled serializers, answers are not re-validated on the way out.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const cache = opts.cache ?? new MemoryAiStore(opts.config.cacheMaxEntries);
  const counters = opts.counters ?? (isCounters(cache) ? cache : new MemoryAiStore(1));
  const service = new AiService({
    config: opts.config,
    cache,
    counters,
    metrics: createAiMetrics(opts.metrics ?? new Registry()),
    log: app.log,
    fetch: opts.fetch,
  });
  const userIdOf = opts.userIdOf ?? defaultUserId;
  // The SDK prints its warnings (e.g. an unsupported setting) to the console unless told otherwise.
  const g = globalThis as { AI_SDK_LOG_WARNINGS?: unknown };
  if (g.AI_SDK_LOG_WARNINGS === undefined) {
    g.AI_SDK_LOG_WARNINGS = (w: { warnings: unknown[]; provider: string; model: string }) =>
      app.log.warn({ provider: w.provider, model: w.model, warnings: w.warnings }, 'ai sdk warning');
  }

  // Authentication runs before the body is parsed, so anonymous callers learn nothing about validation.
  app.addHook('onRequest', opts.authenticate as onRequestHookHandler);

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const body: AiErrorResponse = { error: 'internal', message: 'Internal error', requestId: request.id };
    if (err instanceof AiHttpError) {
      if (err.extra.retryAfterSec !== undefined) reply.header('retry-after', String(err.extra.retryAfterSec));
      return reply.status(err.statusCode).send({
        ...body,
        error: err.code,
        message: err.message,
        ...(err.extra.attempts ? { attempts: err.extra.attempts } : {}),
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      // Same shape as server-lite's global handler (plugins/external/errors.ts).
      const issues = err.validation.map((v) => ({
        path: String(
          (v.params as { issue?: { path?: unknown[] } })?.issue?.path?.join('.') ?? v.instancePath ?? '',
        ),
        message: v.message ?? 'invalid',
      }));
      return reply.status(400).send({
        ...body,
        error: 'validation',
        message: `invalid ${err.validationContext ?? 'request'}`,
        issues,
      });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // e.g. server-lite's HttpError from authenticate, or a 429 from the global rate limiter.
      const headers = (err as { headers?: Record<string, string> }).headers;
      if (headers && typeof headers === 'object')
        for (const [k, v] of Object.entries(headers)) reply.header(k, v);
      const code = /^[a-z][a-z0-9-]*$/.test(err.code ?? '')
        ? err.code
        : (CODE_BY_STATUS[status] ?? 'bad-request');
      return reply.status(status).send({ ...body, error: code, message: err.message });
    }
    request.log.error({ err }, 'ai route failed');
    return reply.status(500).send(body);
  });

  app.get(
    '/ai/providers',
    {
      schema: {
        tags: ['ai'],
        summary: 'Configured AI providers, their models and last health',
        security: [{ bearerAuth: [] }],
        response: { 200: aiProvidersResponseSchema, 401: aiErrorResponseSchema },
      },
    },
    async () => service.providers(),
  );

  app.post(
    '/ai/analyze',
    {
      schema: {
        tags: ['ai'],
        summary: 'Describe and tag samples with an AI provider',
        security: [{ bearerAuth: [] }],
        description:
          'Describe and tag samples from their analysis (never audio). `?stream=1` or `Accept: text/event-stream` streams the descriptions as server-sent events.',
        querystring: aiAnalyzeQuerySchema,
        body: aiAnalyzeRequestSchema,
        response: {
          200: aiAnalyzeResponseSchema,
          ...errorSchemas,
          502: aiErrorResponseSchema,
          503: aiErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const userId = userIdOf(request);
      if (userId === undefined) throw new AiHttpError(401, 'unauthorized', 'Sign in to use AI descriptions');
      const body = request.body;
      const wantsStream =
        request.query.stream ?? (request.headers.accept ?? '').toLowerCase().includes('text/event-stream');
      const client = clientSignal(reply);
      const input = {
        userId,
        samples: body.samples ?? [body.sample!],
        provider: body.provider,
        refresh: body.refresh,
        signal: client,
      };
      if (wantsStream) return streamAnalyze(service, request, reply, input);
      const { response, settle } = await service.answer(input);
      // The answer is written before its bookkeeping (cache entries, token budget, metrics): send()
      // writes synchronously, and settle() starts right after it in the same turn (an in-process
      // cache is updated before the server reads another request).
      reply.send(response);
      void settle();
      return reply;
    },
  );
};

function isCounters(x: AiCache): x is AiCache & AiCounters {
  return (
    typeof (x as Partial<AiCounters>).incrBy === 'function' &&
    typeof (x as Partial<AiCounters>).peek === 'function'
  );
}

/** Aborts when the client disconnects before the answer is complete. */
function clientSignal(reply: FastifyReply): AbortSignal {
  const ctl = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ctl.abort(new Error('client disconnected'));
  });
  return ctl.signal;
}

/**
 * Server-sent events. Headers go out with the first event, so a request refused before any work
 * (limits, configuration) still gets a plain JSON error with its status code.
 */
async function streamAnalyze(
  service: AiService,
  request: FastifyRequest,
  reply: FastifyReply,
  input: Parameters<AiService['analyze']>[0],
): Promise<undefined> {
  let open = false;
  let heartbeat: NodeJS.Timeout | undefined;
  const raw = reply.raw;
  const send = (event: string, data: unknown) => {
    if (!open) {
      open = true;
      reply.hijack();
      // Hooks (CORS, request id, security headers) set theirs on the reply; keep them.
      const kept = Object.entries(reply.getHeaders()).filter(
        (e): e is [string, string | number | string[]] => e[1] !== undefined,
      );
      raw.writeHead(200, {
        ...Object.fromEntries(kept),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
      heartbeat.unref();
    }
    if (!raw.destroyed) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  try {
    const { response, settle } = await service.answer({
      ...input,
      onEvent: (e: AiEvent) => send(e.event, e.data),
    });
    send('result', aiAnalyzeResponseSchema.parse(response));
    void settle();
  } catch (err) {
    if (!open) throw err;
    const body: AiErrorResponse =
      err instanceof AiHttpError
        ? {
            error: err.code,
            message: err.message,
            requestId: request.id,
            ...(err.extra.attempts ? { attempts: err.extra.attempts } : {}),
          }
        : { error: 'internal', message: 'Internal error', requestId: request.id };
    if (!(err instanceof AiHttpError)) request.log.error({ err }, 'ai stream failed');
    send('error', body);
  } finally {
    clearInterval(heartbeat);
    if (open) raw.end();
  }
  return undefined;
}
