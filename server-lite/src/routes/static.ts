import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Serves the built PWA (web-app/dist) when present, with a fallback to index.html for client routes. */
export default async function staticRoutes(app: FastifyInstance) {
  const root = app.config.WEB_DIST_DIR;
  if (!existsSync(join(root, 'index.html'))) {
    app.log.info({ root }, 'no built web app; serving the API only');
    return;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: ['index.html'],
    cacheControl: false,
    preCompressed: true,
    setHeaders(res, path) {
      // Hashed assets are immutable; the shell and service worker must revalidate.
      res.header(
        'cache-control',
        /[.-][0-9a-zA-Z_-]{8,}\.(js|css|wasm|woff2?)$/.test(path)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
  });
  app.get('/*', { schema: { hide: true } }, (req, reply) => {
    const path = req.url.split('?')[0];
    if (
      path.startsWith('/api/') ||
      path === '/metrics' ||
      path.startsWith('/docs') ||
      path.startsWith('/health')
    ) {
      return reply.code(404).send({ error: 'not-found', message: `no route GET ${path}`, requestId: req.id });
    }
    // A file that exists is served as itself; anything else is a client-side route.
    const rel = decodeURIComponent(path).replace(/^\/+/, '');
    if (rel && !rel.includes('..') && existsSync(join(root, rel))) return reply.sendFile(rel);
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
