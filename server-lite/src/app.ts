import { randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { aiRoutes } from './ai/ai-routes';
import { RedisAiStore } from './ai/redis-store';
import { type AiStore, MemoryAiStore } from './ai/store';
import type { Config } from './config/env';
import { compileSerializer } from './library/serialize';
import authPlugin from './plugins/app/auth';
import storesPlugin, { type StoreOverrides } from './plugins/app/stores';
import compressionPlugin from './plugins/external/compression';
import docsPlugin from './plugins/external/docs';
import errorsPlugin from './plugins/external/errors';
import metricsPlugin from './plugins/external/metrics';
import rateLimitPlugin from './plugins/external/rate-limit';
import securityPlugin from './plugins/external/security';
import analyzeRoutes from './routes/analyze';
import authRoutes from './routes/auth';
import fileRoutes from './routes/files';
import healthRoutes from './routes/health';
import staticRoutes from './routes/static';
import syncRoutes from './routes/sync';
import { RedisConnection } from './stores/redis/client';
import './types';

export type BuildOptions = StoreOverrides & {
  config: Config;
  logger?: FastifyServerOptions['logger'];
};

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * The server as a tree of plugins: external (errors, security headers, CORS, rate limits, body
 * parsers, docs, metrics) → app (stores and services, auth) → routes.
 */
export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const { config } = opts;
  const app = Fastify({
    logger: opts.logger ?? {
      level: config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    // Keep a caller's request id when it looks like one, so logs join up across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: Math.round(config.BODY_LIMIT_MB * 1024 * 1024),
    trustProxy: config.TRUST_PROXY,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // Responses go through fast-json-stringify compiled from the same zod schemas.
  app.setSerializerCompiler(
    ({ schema }) => compileSerializer(schema as z.ZodType) as (data: unknown) => string,
  );
  app.decorate('config', config);

  // external
  await app.register(errorsPlugin);
  await app.register(securityPlugin);
  await app.register(rateLimitPlugin);
  await app.register(compressionPlugin);
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  await app.register(multipart, {
    limits: { fileSize: Math.round(config.MAX_UPLOAD_MB * 1024 * 1024), files: 1 },
  });
  await app.register(docsPlugin);
  await app.register(metricsPlugin);
  // app
  await app.register(storesPlugin, { stores: opts.stores, engine: opts.engine });
  await app.register(authPlugin);
  // routes
  await app.register(healthRoutes);
  await app.register(authRoutes, { prefix: '/api/v1/auth' });
  await app.register(fileRoutes, { prefix: '/api/v1/audio' });
  await app.register(analyzeRoutes, { prefix: '/api/v1/audio' });
  await app.register(syncRoutes, { prefix: '/api/v1/sync' });
  await app.register(aiRoutes, {
    prefix: '/api/v1',
    config: config.ai,
    // Also holds the AI rate-limit and token-budget counters: shared through Redis when set.
    cache: await createAiStore(app, config),
    authenticate: app.authenticate,
    metrics: app.metricsRegistry,
  });
  await app.register(staticRoutes);
  return app;
}

async function createAiStore(app: FastifyInstance, config: Config): Promise<AiStore> {
  if (!config.REDIS_URL) return new MemoryAiStore(config.ai.cacheMaxEntries);
  const conn = new RedisConnection(config.REDIS_URL, app.log, 'redis-ai');
  await conn.start();
  app.addHook('onClose', () => conn.close());
  return new RedisAiStore(conn.client, { prefix: config.REDIS_KEY_PREFIX });
}
