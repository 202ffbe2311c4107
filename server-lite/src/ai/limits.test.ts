import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UserLimits } from './limits';
import { MemoryAiStore } from './store';
import { awayFromMinuteBoundary, kick } from './testing/fixtures';
import { type AiTestApp, buildAiTestApp, stubEnv } from './testing/harness';
import { type ProviderStub, startProviderStub } from './testing/provider-stub';

let stub: ProviderStub;
beforeAll(async () => {
  stub = await startProviderStub();
});
afterAll(() => stub.close());
afterEach(() => stub.reset());

const analyze = (t: AiTestApp, payload: object, user = 'user-1') =>
  t.app.inject({ method: 'POST', url: '/api/v1/ai/analyze', headers: t.auth(user), payload });

describe('per-user limits over HTTP', () => {
  it('answers 429 with Retry-After past the per-minute limit, per user', async () => {
    await awayFromMinuteBoundary();
    const t = await buildAiTestApp({ env: { ...stubEnv(stub, ['openai']), AI_RATE_LIMIT_PER_MIN: '3' } });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await analyze(t, { sample: kick(1) })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await analyze(t, { sample: kick(1) });
    expect(limited.json()).toMatchObject({ error: 'rate-limited' });
    const wait = Number(limited.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect((await analyze(t, { sample: kick(1) }, 'someone-else')).statusCode).toBe(200);
    const metric = await t.registry.getSingleMetric('samplemind_ai_limited_total')!.get();
    expect(metric.values).toEqual([expect.objectContaining({ labels: { reason: 'rate-limit' }, value: 2 })]);
    await t.app.close();
  });

  it('stops provider calls once the daily token budget is spent, but still serves the cache', async () => {
    // One stub answer costs several hundred tokens, so the first call spends this budget.
    const t = await buildAiTestApp({ env: { ...stubEnv(stub, ['openai']), AI_DAILY_TOKEN_BUDGET: '200' } });
    const first = await analyze(t, { sample: kick(1) });
    expect(first.statusCode).toBe(200);
    expect(first.json().tokens.input + first.json().tokens.output).toBeGreaterThan(200);
    const second = await analyze(t, { sample: kick(2) });
    expect(second.statusCode).toBe(429);
    expect(second.json()).toMatchObject({ error: 'token-budget-exceeded' });
    const wait = Number(second.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(24 * 3600);
    expect(stub.requests).toHaveLength(1);
    // Cached answers cost no tokens.
    const cached = await analyze(t, { sample: kick(1) });
    expect(cached.statusCode).toBe(200);
    expect(cached.json().cached).toBe(true);
    // Budgets are per user.
    expect((await analyze(t, { sample: kick(2) }, 'other-user')).statusCode).toBe(200);
    await t.app.close();
  });

  it('counts the tokens of failed attempts too', async () => {
    const t = await buildAiTestApp({ env: { ...stubEnv(stub, ['openai']), AI_DAILY_TOKEN_BUDGET: '400' } });
    // Two malformed answers (call + repair) spend tokens and produce nothing.
    stub.script('openai', { content: 'not json' }, { content: 'still not json' });
    expect((await analyze(t, { sample: kick(1) })).statusCode).toBe(502);
    const next = await analyze(t, { sample: kick(2) });
    expect(next.statusCode).toBe(429);
    expect(next.json().error).toBe('token-budget-exceeded');
    await t.app.close();
  });
});

describe('UserLimits', () => {
  it('opens a new minute window and a new UTC day', async () => {
    let now = Date.UTC(2025, 0, 1, 23, 59, 30);
    const limits = new UserLimits(new MemoryAiStore(), 1, 100, () => now);
    expect((await limits.hit('u')).ok).toBe(true);
    const second = await limits.hit('u');
    expect(second).toEqual({ ok: false, reason: 'rate-limit', retryAfterSec: 30 });
    await limits.spend('u', 150);
    expect(await limits.canSpend('u')).toEqual({ ok: false, reason: 'token-budget', retryAfterSec: 30 });
    now += 31_000; // 00:00:01 the next day: a new minute and a new day
    expect((await limits.hit('u')).ok).toBe(true);
    expect((await limits.canSpend('u')).ok).toBe(true);
  });

  it('lets requests through when the counters are unavailable', async () => {
    const broken = { incrBy: async () => null, peek: async () => null };
    const limits = new UserLimits(broken, 1, 1);
    for (let i = 0; i < 3; i++) expect((await limits.hit('u')).ok).toBe(true);
    expect((await limits.canSpend('u')).ok).toBe(true);
  });
});
