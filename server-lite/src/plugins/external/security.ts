import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

type HeaderMap = Record<string, string>;

/**
 * Runs helmet once against a stand-in response and keeps the headers it sets. Helmet's answer
 * does not depend on the request, and @fastify/helmet re-ran it (CSP parsing included) on every
 * request: about 7 % of the CPU under the benchmark mix.
 */
export function securityHeaders(options: Parameters<typeof helmet>[0]): HeaderMap {
  const headers: HeaderMap = {};
  const res = {
    setHeader: (k: string, v: string | number | string[]) => {
      headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    },
    removeHeader: (k: string) => {
      delete headers[k.toLowerCase()];
    },
    getHeader: (k: string) => headers[k.toLowerCase()],
  };
  let failed: unknown;
  helmet(options)({} as never, res as never, (err?: unknown) => {
    failed = err;
  });
  if (failed) throw failed;
  return headers;
}

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
    const headers = securityHeaders({
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
      strictTransportSecurity: config.NODE_ENV === 'production',
    });
    // Set before routing so every answer carries them, errors and 404s included; routes such as
    // /docs may override the CSP.
    app.addHook('onRequest', (req, reply, done) => {
      reply.headers(headers);
      reply.header('x-request-id', req.id);
      done();
    });
  },
  { name: 'security', dependencies: ['errors'] },
);
