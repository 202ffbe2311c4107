import { constants } from 'node:zlib';
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Brotli quality for responses. On a 5,000-sample compact pull page (4.39 MB of JSON, 2 shared
 * cores): quality 4 gives 896 KB (179 B/sample) in 33-60 ms, about as fast as gzip -6 (951 KB);
 * quality 5 is 4 % smaller (857 KB) but 2-3x slower (70-145 ms); quality 11 is 13 % smaller
 * (780 KB) and takes 7.4 s, which no request can afford. See docs/sync.md, "Wire size".
 */
export const BROTLI_QUALITY = 4;

/**
 * Response compression: brotli or gzip by Accept-Encoding (brotli first), for bodies of 1 KB and
 * more. Event streams are never compressed or buffered (the plugin skips text/event-stream, and
 * /sync/events writes to the raw response anyway). Request bodies are not decompressed.
 */
export default fp(
  async (app: FastifyInstance) => {
    await app.register(compress, {
      global: true,
      globalDecompression: false,
      encodings: ['br', 'gzip'],
      threshold: 1024,
      brotliOptions: {
        params: {
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        },
      },
      zlibOptions: { level: 6 },
    });
  },
  { name: 'compression' },
);
