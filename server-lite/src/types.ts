import type { preHandlerAsyncHookHandler } from 'fastify';
import type { Registry } from 'prom-client';
import type { SessionService } from './auth/sessions';
import type { Config } from './config/env';
import type { AnalysisEngine } from './engine/engine';
import type { LibraryService } from './library/service';
import type { Stores } from './stores/types';

export type AccessClaims = { sub: string; sid: string; typ: 'access' };

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    stores: Stores;
    sessions: SessionService;
    library: LibraryService;
    engine: AnalysisEngine;
    /** Prometheus registry behind /metrics. */
    metricsRegistry: Registry;
    /** preHandler that requires a valid, unrevoked access token and sets request.auth. */
    authenticate: preHandlerAsyncHookHandler;
  }
  interface FastifyRequest {
    auth: { userId: string; sessionId: string };
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AccessClaims;
  }
}
