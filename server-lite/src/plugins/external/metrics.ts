import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { z } from 'zod';

/** Prometheus metrics at /metrics: request counts and latencies per route, plus process metrics. */
export default fp(
  async (app: FastifyInstance) => {
    // A registry per app instance, so several apps in one process (tests) do not collide. Other
    // plugins (the AI proxy) register their counters on it.
    const register = new Registry();
    app.decorate('metricsRegistry', register);
    if (!app.config.METRICS_ENABLED) return;
    collectDefaultMetrics({ register });
    const requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [register],
    });
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer HTTP requests',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [register],
    });
    // Label children cached per route: resolving labels on every request is measurable.
    const timers = new Map<string, ReturnType<typeof duration.labels>>();
    const counters = new Map<string, ReturnType<typeof requests.labels>>();
    app.addHook('onResponse', (req, reply, done) => {
      const route = req.routeOptions.url ?? 'unmatched';
      const key = `${req.method} ${route}`;
      let timer = timers.get(key);
      if (!timer) {
        timer = duration.labels(req.method, route);
        timers.set(key, timer);
      }
      timer.observe(reply.elapsedTime / 1000);
      const ckey = `${key} ${reply.statusCode}`;
      let counter = counters.get(ckey);
      if (!counter) {
        counter = requests.labels(req.method, route, String(reply.statusCode));
        counters.set(ckey, counter);
      }
      counter.inc();
      done();
    });
    app.get('/metrics', { schema: { hide: true, response: { 200: z.string() } } }, async (_req, reply) => {
      reply.type(register.contentType);
      return register.metrics();
    });
  },
  { name: 'metrics' },
);
