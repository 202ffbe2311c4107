import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** CORS from CORS_ORIGINS; security headers with a CSP fit for the PWA (wasm, workers, blobs). */
export default fp(
  async (app: FastifyInstance) => {
    const { config } = app;
    await app.register(cors, {
      origin: config.CORS_ORIGINS,
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      exposedHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    });
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'script-src': ["'self'", "'wasm-unsafe-eval'"],
          'worker-src': ["'self'", 'blob:'],
          'img-src': ["'self'", 'data:', 'blob:'],
          'media-src': ["'self'", 'blob:'],
          'connect-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
        },
      },
      // The app decodes audio in workers and may use SharedArrayBuffer.
      crossOriginEmbedderPolicy: false,
      hsts: config.NODE_ENV === 'production',
    });
  },
  { name: 'security', dependencies: ['errors'] },
);
