import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { MemoryCounters } from '../../stores/embedded/memory';
import type { Counters } from '../../stores/types';

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;

/** Adapts our Counters (in-process or Redis, shared by instances) to @fastify/rate-limit's store API. */
function storeOver(counters: () => Counters) {
  return class CountersStore {
    constructor(private readonly prefix = 'g') {}
    incr(key: string, cb: Callback, timeWindow: number) {
      const c = counters();
      if (c instanceof MemoryCounters) {
        // In-process counters answer synchronously: skip the promise on every request.
        const r = c.incrSync(`${this.prefix}:${key}`, timeWindow);
        return cb(null, { current: r.count, ttl: r.ttlMs });
      }
      c.incr(`${this.prefix}:${key}`, timeWindow).then(
        (r) => cb(null, { current: r.count, ttl: r.ttlMs }),
        cb,
      );
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
      allowList: (req) => req.url === '/health' || req.url.startsWith('/health/'),
      errorResponseBuilder: (_req, ctx) => ({
        statusCode: ctx.statusCode,
        error: 'rate-limited',
        message: `rate limit exceeded; retry in ${ctx.after}`,
      }),
    });
  },
  { name: 'rate-limit', dependencies: ['errors'] },
);
