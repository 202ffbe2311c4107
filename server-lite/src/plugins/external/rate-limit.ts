import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { MemoryCounters } from '../../stores/embedded/memory';
import type { Counters } from '../../stores/types';

export const hasBearer = (h: string | undefined): boolean => h !== undefined && /^bearer /i.test(h);

/** Key of the global per-IP counter (shared with the auth check). */
export const globalLimitKey = (ip: string) => `g:${ip}`;

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;

/** Adapts our Counters (in-process or Redis, shared by instances) to @fastify/rate-limit's store API. */
function storeOver(counters: () => Counters) {
  return class CountersStore {
    private readonly prefix: string;
    // The plugin constructs the global store with its options object; children get a route prefix.
    constructor(prefix?: unknown) {
      this.prefix = typeof prefix === 'string' ? prefix : 'g';
    }
    incr(key: string, cb: Callback, timeWindow: number) {
      const c = counters();
      key = this.prefix === 'g' ? globalLimitKey(key) : `${this.prefix}:${key}`;
      if (c instanceof MemoryCounters) {
        // In-process counters answer synchronously: skip the promise on every request.
        const r = c.incrSync(key, timeWindow);
        return cb(null, { current: r.count, ttl: r.ttlMs });
      }
      c.incr(key, timeWindow).then((r) => cb(null, { current: r.count, ttl: r.ttlMs }), cb);
    }
    child(routeOptions: { routeInfo?: { method?: string; url?: string } }) {
      const r = routeOptions.routeInfo;
      return new CountersStore(r ? `${r.method}:${r.url}` : 'route');
    }
  };
}

/** Global per-IP limit (RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_MS; 0 turns it off) plus route limits. */
export default fp(
  async (app: FastifyInstance) => {
    const { config } = app;
    await app.register(rateLimit, {
      global: config.RATE_LIMIT_MAX > 0,
      max: config.RATE_LIMIT_MAX || 1,
      timeWindow: config.RATE_LIMIT_WINDOW_MS,
      // Resolved per call: the stores are created later in the plugin tree.
      store: storeOver(() => app.stores.counters) as never,
      // Bearer requests are counted by the auth check instead (same counter, in parallel with the
      // session lookup: one shared-store round trip less). Routes with their own limits (login,
      // register, refresh) are always counted here, token or not.
      allowList: (req) =>
        req.url === '/health' ||
        req.url.startsWith('/health/') ||
        (hasBearer(req.headers.authorization) &&
          !(req.routeOptions.config as { rateLimit?: unknown }).rateLimit),
      errorResponseBuilder: (_req, ctx) => ({
        statusCode: ctx.statusCode,
        error: 'rate-limited',
        message: `rate limit exceeded; retry in ${ctx.after}`,
      }),
    });
  },
  { name: 'rate-limit', dependencies: ['errors'] },
);
