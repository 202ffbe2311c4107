import type { Registry } from 'prom-client';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aiAnalyzeResponseSchema } from './contract';
import { RedisAiStore } from './redis-store';
import { awayFromMinuteBoundary, drumLoop, kick } from './testing/fixtures';
import { type AiTestApp, buildAiTestApp, stubEnv } from './testing/harness';
import { type ProviderStub, startProviderStub } from './testing/provider-stub';
import { type RedisServer, startRedisServer } from './testing/redis-server';

let stub: ProviderStub;
beforeAll(async () => {
  stub = await startProviderStub();
});
afterAll(() => stub.close());
afterEach(() => stub.reset());

const analyze = (t: AiTestApp, payload: object, user = 'user-1') =>
  t.app.inject({ method: 'POST', url: '/api/v1/ai/analyze', headers: t.auth(user), payload });

async function counter(registry: Registry, name: string): Promise<Record<string, number>> {
  const metric = registry.getSingleMetric(name);
  const out: Record<string, number> = {};
  for (const v of (await metric?.get())?.values ?? []) out[String(v.labels.backend ?? '')] = v.value;
  return out;
}

describe('in-process cache', () => {
  it('answers a repeat from cache without calling the provider, and counts hits and misses', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai']) });
    const first = aiAnalyzeResponseSchema.parse((await analyze(t, { sample: kick(1) })).json());
    const again = aiAnalyzeResponseSchema.parse((await analyze(t, { sample: kick(1) })).json());
    expect(first.cached).toBe(false);
    expect(again.cached).toBe(true);
    expect(again.items[0]!.cached).toBe(true);
    expect(again.items[0]!.analysis).toEqual(first.items[0]!.analysis);
    expect(again.tokens).toEqual({ input: 0, output: 0 });
    expect(again.provider).toBe('openai');
    expect(stub.requests).toHaveLength(1);
    expect(await counter(t.registry, 'samplemind_ai_cache_hits_total')).toEqual({ memory: 1 });
    expect(await counter(t.registry, 'samplemind_ai_cache_misses_total')).toEqual({ memory: 1 });
    const text = await t.registry.metrics();
    expect(text).toContain('samplemind_ai_cache_hits_total{backend="memory"} 1');
    await t.app.close();
  });

  it('treats float noise, another id and reordered user tags as the same request', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai']) });
    await analyze(t, { sample: kick(1, { tags: ['dark', 'analog'] }) });
    const base = kick(1);
    const noisy = kick(1, {
      id: 'another-device-id',
      tags: ['Analog', 'dark'],
      spectral: { ...base.spectral, centroidHz: base.spectral.centroidHz + 0.01 },
      levels: { ...base.levels, lufs: -8.2300001 },
    });
    const res = aiAnalyzeResponseSchema.parse((await analyze(t, { sample: noisy })).json());
    expect(res.cached).toBe(true);
    expect(res.items[0]!.id).toBe('another-device-id');
    // A real difference is a different request.
    const other = aiAnalyzeResponseSchema.parse(
      (await analyze(t, { sample: kick(1, { fileName: 'Other.wav' }) })).json(),
    );
    expect(other.cached).toBe(false);
    expect(stub.requests).toHaveLength(2);
    await t.app.close();
  });

  it('sends only the uncached samples of a batch to the provider', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai']) });
    await analyze(t, { sample: kick(1) });
    const res = aiAnalyzeResponseSchema.parse((await analyze(t, { samples: [kick(1), drumLoop(2)] })).json());
    expect(res.items.map((i) => i.cached)).toEqual([true, false]);
    expect(res.cached).toBe(false);
    expect(stub.requests).toHaveLength(2);
    expect(stub.requests[1]!.userTexts[0]).toContain('[s1] file: "Techno_Loop_2_128bpm.wav"');
    expect(stub.requests[1]!.userTexts[0]).not.toContain('Kick_Punchy_1');
    await t.app.close();
  });

  it('keys the cache by provider and model; refresh skips the lookup', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai', 'gemini']) });
    await analyze(t, { sample: kick(1) });
    // Asking for gemini by name wants gemini's answer, not openai's cached one.
    const named = aiAnalyzeResponseSchema.parse(
      (await analyze(t, { sample: kick(1), provider: 'gemini' })).json(),
    );
    expect(named).toMatchObject({ cached: false, provider: 'gemini' });
    const refreshed = aiAnalyzeResponseSchema.parse(
      (await analyze(t, { sample: kick(1), refresh: true })).json(),
    );
    expect(refreshed.cached).toBe(false);
    expect(stub.requests.map((r) => r.provider)).toEqual(['openai', 'gemini', 'openai']);
    await t.app.close();

    const other = await buildAiTestApp({
      env: { ...stubEnv(stub, ['openai']), OPENAI_MODEL: 'another-model' },
    });
    const res = aiAnalyzeResponseSchema.parse((await analyze(other, { sample: kick(1) })).json());
    expect(res.cached).toBe(false);
    await other.app.close();
  });

  it('shares one provider call between identical requests in flight', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai']) });
    stub.setDefault('openai', { delayMs: 100 });
    const [a, b] = await Promise.all([
      analyze(t, { sample: kick(7) }, 'alice'),
      analyze(t, { sample: kick(7) }, 'bob'),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(stub.requests).toHaveLength(1);
    expect(a.json().items[0].analysis).toEqual(b.json().items[0].analysis);
    await t.app.close();
  });

  it('writes the answer before caching it, and a repeat meanwhile joins the same provider call', async () => {
    const { MemoryAiStore } = await import('./store');
    let open = () => {};
    const gate = new Promise<void>((ok) => {
      open = ok;
    });
    let pendingWrites = 0;
    // A cache whose writes wait for the gate, as a slow shared cache would.
    const store = new (class extends MemoryAiStore {
      override async set(key: string, value: string, ttlSec: number) {
        pendingWrites++;
        await gate;
        await super.set(key, value, ttlSec);
        pendingWrites--;
      }
    })();
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai']), cache: store });
    const first = await analyze(t, { sample: kick(9) });
    expect(first.statusCode).toBe(200);
    // The client has its answer while the cache write is still waiting.
    expect(pendingWrites).toBe(1);
    const second = aiAnalyzeResponseSchema.parse((await analyze(t, { sample: kick(9) })).json());
    expect(second.cached).toBe(false);
    expect(second.items[0]!.analysis).toEqual(first.json().items[0].analysis);
    expect(stub.requests).toHaveLength(1);
    open();
    await expect.poll(() => pendingWrites).toBe(0);
    const third = aiAnalyzeResponseSchema.parse((await analyze(t, { sample: kick(9) })).json());
    expect(third.cached).toBe(true);
    expect(stub.requests).toHaveLength(1);
    await t.app.close();
  });

  it('ignores a damaged cache entry', async () => {
    const { MemoryAiStore } = await import('./store');
    const store = new MemoryAiStore();
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai']), cache: store });
    await analyze(t, { sample: kick(1) });
    const { cacheKey, normaliseSample } = await import('./prompt');
    await store.set(
      cacheKey('openai', 'openai-stub-model', normaliseSample(kick(1))),
      '{"analysis":{"tags":7}}',
      60,
    );
    const res = aiAnalyzeResponseSchema.parse((await analyze(t, { sample: kick(1) })).json());
    expect(res.cached).toBe(false);
    expect(stub.requests).toHaveLength(2);
    await t.app.close();
  });
});

describe('Redis-backed cache and limits', () => {
  let redis: RedisServer;
  const clients: ReturnType<typeof createClient>[] = [];
  const connect = async () => {
    const c = createClient({
      url: redis.url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: false },
    });
    c.on('error', () => {});
    await c.connect();
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    for (const c of clients) if (c.isOpen) c.destroy();
    await redis?.stop();
  });

  it('serves a repeat from Redis, across two server instances', async () => {
    const env = stubEnv(stub, ['anthropic']);
    const storeA = new RedisAiStore(await connect(), { prefix: 'test1:' });
    const storeB = new RedisAiStore(await connect(), { prefix: 'test1:' });
    const a = await buildAiTestApp({ env, cache: storeA });
    const b = await buildAiTestApp({ env, cache: storeB });
    const first = aiAnalyzeResponseSchema.parse((await analyze(a, { sample: drumLoop(3) })).json());
    const second = aiAnalyzeResponseSchema.parse((await analyze(b, { sample: drumLoop(3) })).json());
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.items[0]!.analysis).toEqual(first.items[0]!.analysis);
    expect(stub.requests).toHaveLength(1);
    expect(await counter(b.registry, 'samplemind_ai_cache_hits_total')).toEqual({ redis: 1 });
    // The entry really is in Redis, with a TTL.
    const keys = (await clients[0]!.sendCommand(['KEYS', 'test1:ai:v2:*'])) as string[];
    expect(keys).toHaveLength(1);
    const ttl = (await clients[0]!.sendCommand(['TTL', keys[0]!])) as number;
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(7 * 24 * 3600);
    await a.app.close();
    await b.app.close();
  });

  it('shares the per-user rate limit between instances', async () => {
    await awayFromMinuteBoundary();
    const env = { ...stubEnv(stub, ['openai']), AI_RATE_LIMIT_PER_MIN: '2' };
    const a = await buildAiTestApp({ env, cache: new RedisAiStore(await connect(), { prefix: 'test2:' }) });
    const b = await buildAiTestApp({ env, cache: new RedisAiStore(await connect(), { prefix: 'test2:' }) });
    expect((await analyze(a, { sample: kick(1) }, 'carol')).statusCode).toBe(200);
    expect((await analyze(b, { sample: kick(1) }, 'carol')).statusCode).toBe(200);
    const third = await analyze(a, { sample: kick(1) }, 'carol');
    expect(third.statusCode).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(third.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another user is not affected.
    expect((await analyze(b, { sample: kick(1) }, 'dave')).statusCode).toBe(200);
    await a.app.close();
    await b.app.close();
  });

  it('keeps answering (uncached) when Redis goes away', async () => {
    const client = await connect();
    const t = await buildAiTestApp({
      env: stubEnv(stub, ['openai']),
      cache: new RedisAiStore(client, { prefix: 'test3:' }),
    });
    client.destroy();
    const res = await analyze(t, { sample: kick(9) });
    expect(res.statusCode).toBe(200);
    expect(res.json().cached).toBe(false);
    await t.app.close();
  });
});
