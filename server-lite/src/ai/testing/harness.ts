import fastifyJwt from '@fastify/jwt';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Registry } from 'prom-client';
import { aiRoutes } from '../ai-routes';
import { type AiConfig, loadAiConfig } from '../config';
import type { AiProviderId } from '../contract';
import type { AiCache, AiCounters } from '../store';
import type { ProviderStub } from './provider-stub';

/** Environment that points every listed provider at the stub, in that priority order. */
export function stubEnv(stub: ProviderStub, providers: AiProviderId[]): Record<string, string> {
  const env: Record<string, string> = { AI_PROVIDER_PRIORITY: providers.join(',') };
  for (const p of providers) {
    const prefix = p.toUpperCase();
    env[`${prefix}_BASE_URL`] = stub.baseURL(p);
    env[`${prefix}_MODEL`] = `${p}-stub-model`;
    const key = stub.keys[p];
    if (key !== undefined) env[`${prefix}_API_KEY`] = key;
  }
  return env;
}

export type AiTestApp = {
  app: FastifyInstance;
  config: AiConfig;
  registry: Registry;
  /** A bearer header for the given user. */
  auth(userId?: string): { authorization: string };
};

/**
 * Fastify with the AI plugin alone, behind a minimal JWT check (@fastify/jwt): what the real app
 * provides, without depending on the rest of server-lite.
 */
export async function buildAiTestApp(opts: {
  env: Record<string, string>;
  cache?: AiCache;
  counters?: AiCounters;
  /** Extra routes (e.g. the benchmark's /metrics) before the app is sealed. */
  beforeReady?: (app: FastifyInstance, registry: Registry) => void;
}): Promise<AiTestApp> {
  const config = loadAiConfig(opts.env);
  const registry = new Registry();
  const app = Fastify({ logger: false });
  // fast-jwt's verified-token cache stands in for the real app's (VerifiedTokens in src/plugins/app/auth.ts).
  await app.register(fastifyJwt, { secret: 'ai-test-secret-0123456789abcdef', verify: { cache: 10_000 } });
  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await request.jwtVerify();
    } catch {
      return reply.code(401).send({ error: 'unauthorized', message: 'Sign in first' });
    }
  };
  await app.register(aiRoutes, {
    prefix: '/api/v1',
    config,
    authenticate,
    metrics: registry,
    ...(opts.cache ? { cache: opts.cache } : {}),
    ...(opts.counters ? { counters: opts.counters } : {}),
  });
  opts.beforeReady?.(app, registry);
  await app.ready();
  return {
    app,
    config,
    registry,
    // The claims server-lite's access tokens carry (sub = user id).
    auth: (userId = 'user-1') => ({
      authorization: `Bearer ${app.jwt.sign({ sub: userId, sid: 'test-session', typ: 'access' })}`,
    }),
  };
}
