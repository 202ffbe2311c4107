import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aiAnalyzeResponseSchema, aiErrorResponseSchema } from './contract';
import { kick } from './testing/fixtures';
import { buildAiTestApp, stubEnv } from './testing/harness';
import { type ProviderStub, STUB_KEYS, startProviderStub } from './testing/provider-stub';

let stub: ProviderStub;
beforeAll(async () => {
  stub = await startProviderStub();
});
afterAll(() => stub.close());
afterEach(() => stub.reset());

const RAW = 'RAW-PROVIDER-TEXT internal shard 7 exploded (req_abc123)';

const analyze = async (
  t: Awaited<ReturnType<typeof buildAiTestApp>>,
  payload: object = { sample: kick(1) },
) => t.app.inject({ method: 'POST', url: '/api/v1/ai/analyze', headers: t.auth(), payload });

/** Nothing a provider said, and no key or provider address, may reach the client. */
function expectNoLeaks(body: string) {
  expect(body).not.toContain('RAW-PROVIDER-TEXT');
  expect(body).not.toContain('req_abc123');
  for (const key of Object.values(STUB_KEYS)) expect(body).not.toContain(key);
  expect(body).not.toContain(stub.url);
  expect(body).not.toMatch(/stack|at .*\.ts:\d+/);
}

describe('fallback', () => {
  it('falls back to the next provider on a 500, with a safe message', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai', 'anthropic']) });
    stub.script('openai', { status: 500, errorMessage: RAW });
    const res = await analyze(t);
    expect(res.statusCode).toBe(200);
    const body = aiAnalyzeResponseSchema.parse(res.json());
    expect(body.provider).toBe('anthropic');
    expect(body.fallbacks).toEqual([{ provider: 'openai', message: 'openai: server error (500)' }]);
    expectNoLeaks(res.body);
    await t.app.close();
  });

  it('falls back on a 429 and on a timeout', async () => {
    const t = await buildAiTestApp({
      env: {
        ...stubEnv(stub, ['gemini', 'ollama', 'openai']),
        GEMINI_TIMEOUT_MS: '5000',
        OLLAMA_TIMEOUT_MS: '300',
      },
    });
    stub.script('gemini', { status: 429, retryAfterSec: 20, errorMessage: RAW });
    stub.script('ollama', { hang: true });
    const res = await analyze(t);
    expect(res.statusCode).toBe(200);
    const body = aiAnalyzeResponseSchema.parse(res.json());
    expect(body.provider).toBe('openai');
    expect(body.fallbacks).toEqual([
      { provider: 'gemini', message: 'gemini: rate limited (429)' },
      { provider: 'ollama', message: 'ollama: timed out after 300 ms' },
    ]);
    expect(stub.requests.map((r) => r.provider)).toEqual(['gemini', 'ollama', 'openai']);
    expectNoLeaks(res.body);
    await t.app.close();
  });

  it('answers 502 with every attempt when all providers fail, and never the raw error text', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai', 'anthropic', 'gemini', 'ollama']) });
    stub.script('openai', { status: 500, errorMessage: RAW });
    stub.script('anthropic', { status: 529, errorMessage: RAW });
    stub.script('gemini', { status: 400, errorMessage: RAW });
    stub.script('ollama', { status: 404, errorMessage: RAW });
    const res = await analyze(t);
    expect(res.statusCode).toBe(502);
    const body = aiErrorResponseSchema.parse(res.json());
    expect(body.error).toBe('ai-unavailable');
    expect(body.attempts).toEqual([
      { provider: 'openai', message: 'openai: server error (500)' },
      { provider: 'anthropic', message: 'anthropic: overloaded (529)' },
      { provider: 'gemini', message: 'gemini: request rejected (400)' },
      { provider: 'ollama', message: 'ollama: model or endpoint not found (404)' },
    ]);
    expectNoLeaks(res.body);
    await t.app.close();
  });

  it('answers 429 with Retry-After when every provider is rate limited', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai', 'anthropic']) });
    stub.script('openai', { status: 429, retryAfterSec: 40, errorMessage: RAW });
    stub.script('anthropic', { status: 429, retryAfterSec: 12, errorMessage: RAW });
    const res = await analyze(t);
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('12');
    expect(res.json().error).toBe('providers-rate-limited');
    expectNoLeaks(res.body);
    await t.app.close();
  });

  it('reports a wrong key as an auth failure without echoing it', async () => {
    const env = { ...stubEnv(stub, ['openai']), OPENAI_API_KEY: 'sk-wrong-key-9876543210' };
    const t = await buildAiTestApp({ env });
    const res = await analyze(t);
    expect(res.statusCode).toBe(502);
    expect(res.json().attempts).toEqual([
      { provider: 'openai', message: 'openai: authentication failed (401); check the API key' },
    ]);
    expect(res.body).not.toContain('sk-wrong-key');
    await t.app.close();
  });

  it('reports an unreachable provider', async () => {
    const env = { ...stubEnv(stub, ['openai']), OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
    const t = await buildAiTestApp({ env });
    const res = await analyze(t);
    expect(res.statusCode).toBe(502);
    expect(res.json().attempts).toEqual([{ provider: 'openai', message: 'openai: unreachable' }]);
    await t.app.close();
  });
});

describe('malformed output', () => {
  it('repairs a reply that is not JSON with one follow-up call to the same provider', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['anthropic', 'openai']) });
    stub.script('anthropic', { content: 'Sure! This is a punchy kick drum, great for techno.' });
    const res = await analyze(t);
    expect(res.statusCode).toBe(200);
    const body = aiAnalyzeResponseSchema.parse(res.json());
    expect(body.provider).toBe('anthropic');
    expect(body.fallbacks).toEqual([]);
    expect(stub.requests.map((r) => r.provider)).toEqual(['anthropic', 'anthropic']);
    const repair = stub.requests[1]!;
    expect(repair.userTexts).toHaveLength(2);
    expect(repair.userTexts[1]).toContain('was not valid JSON');
    // Both calls' tokens are counted.
    expect(body.tokens.input).toBeGreaterThan(2 * Math.ceil(stub.requests[0]!.system.length / 4));
    await t.app.close();
  });

  it('accepts near-misses without a repair: fences, prose around the JSON, percentages, stray tags', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai']) });
    const reply = {
      ref: 's1',
      description: 'A short, punchy kick. Sits well in techno. Third sentence is dropped.',
      tags: ['Kick', 'PUNCHY', 'Hi Hat', '909'],
      genres: [
        { name: 'Techno', confidence: '80%' },
        { name: 'polka', confidence: 0.9 },
      ],
      moods: ['energetic'],
      productionTips: 'Cut at 30 Hz.',
      creativeIdeas: [],
    };
    stub.script('openai', {
      content: `Here you go:\n\`\`\`json\n${JSON.stringify({ items: [reply] })}\n\`\`\``,
    });
    const res = await analyze(t);
    expect(res.statusCode).toBe(200);
    const a = aiAnalyzeResponseSchema.parse(res.json()).items[0]!.analysis;
    expect(a.description).toBe('A short, punchy kick. Sits well in techno.');
    expect(a.tags).toEqual(['kick', 'punchy', 'hihat']);
    expect(a.freeTags).toEqual(['909']);
    expect(a.genres).toEqual([{ name: 'techno', confidence: 0.8 }]);
    expect(a.moods).toEqual([{ name: 'energetic', confidence: 0.5 }]);
    expect(a.productionTips).toEqual(['Cut at 30 Hz.']);
    expect(stub.requests).toHaveLength(1);
    await t.app.close();
  });

  it('gives up on a provider whose repair is malformed too, and says so clearly', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['ollama']) });
    stub.script(
      'ollama',
      { content: '{"items": [{"ref": "s1", "tags": ["kick"]}]}' },
      { content: '{"items": [' },
    );
    const res = await analyze(t);
    expect(res.statusCode).toBe(502);
    expect(res.json().attempts).toEqual([
      { provider: 'ollama', message: "ollama: the model's answer was not valid after one repair" },
    ]);
    expect(stub.requests[1]!.userTexts[1]).toContain('no "description" text');
    await t.app.close();
  });

  it('falls back to the next provider after a failed repair', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['gemini', 'openai']) });
    stub.script('gemini', { content: 'nope' }, { content: 'still nope' });
    const res = await analyze(t);
    expect(res.statusCode).toBe(200);
    expect(res.json().provider).toBe('openai');
    expect(stub.requests.map((r) => r.provider)).toEqual(['gemini', 'gemini', 'openai']);
    await t.app.close();
  });
});

describe('concurrency', () => {
  it('cancels the provider call when the client goes away, without blaming the provider', async () => {
    const t = await buildAiTestApp({
      env: { ...stubEnv(stub, ['openai']), OPENAI_CONCURRENCY: '1', OPENAI_TIMEOUT_MS: '3000' },
    });
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    stub.script('openai', { hang: true });
    // node:http closes the socket on destroy() at once (fetch's abort may keep it open a while).
    const url = new URL(address);
    const body = JSON.stringify({ sample: kick(1) });
    const req = request({
      host: url.hostname,
      port: url.port,
      method: 'POST',
      path: '/api/v1/ai/analyze',
      headers: { ...t.auth(), 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    req.on('error', () => {});
    const closed = new Promise((r) => req.on('close', r));
    req.end(body);
    while (stub.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    req.destroy();
    await closed;
    // The only slot is free again: the next call goes through at once.
    const next = await analyze(t, { sample: kick(2) });
    expect(next.statusCode).toBe(200);
    const health = (
      await t.app.inject({ method: 'GET', url: '/api/v1/ai/providers', headers: t.auth() })
    ).json();
    expect(health.providers[0].health).toMatchObject({ status: 'ok', lastError: null });
    await t.app.close();
  });

  it('keeps at most N calls in flight per provider', async () => {
    const t = await buildAiTestApp({ env: { ...stubEnv(stub, ['openai']), OPENAI_CONCURRENCY: '2' } });
    let inFlight = 0;
    let peak = 0;
    stub.setDefault('openai', () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => inFlight--, 80);
      return { delayMs: 80 };
    });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => analyze(t, { sample: kick(i + 1) })),
    );
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(stub.requests).toHaveLength(6);
    expect(peak).toBe(2);
    await t.app.close();
  });
});
