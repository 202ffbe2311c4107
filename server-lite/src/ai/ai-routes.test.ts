import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AI_PROVIDERS,
  type AiProviderId,
  aiAnalyzeResponseSchema,
  aiProvidersResponseSchema,
} from './contract';
import { drumLoop, kick } from './testing/fixtures';
import { buildAiTestApp, stubEnv } from './testing/harness';
import { type ProviderStub, STUB_KEYS, startProviderStub } from './testing/provider-stub';

let stub: ProviderStub;

beforeAll(async () => {
  // Ollama with a key too, so the test proves the bearer header reaches it.
  stub = await startProviderStub({ keys: { ollama: STUB_KEYS.ollama } });
});
afterAll(() => stub.close());
afterEach(() => stub.reset());

describe.each(AI_PROVIDERS)('%s happy path', (provider: AiProviderId) => {
  it('answers with a validated analysis, over the real wire protocol with the right auth and model', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, [provider]) });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze',
      headers: t.auth(),
      payload: { sample: kick(1) },
    });
    expect(res.statusCode).toBe(200);
    const body = aiAnalyzeResponseSchema.parse(res.json());
    expect(body.provider).toBe(provider);
    expect(body.model).toBe(`${provider}-stub-model`);
    expect(body.cached).toBe(false);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]!.id).toBe('kick0001');
    expect(body.items[0]!.analysis.description).toContain('Kick_Punchy_1.wav');
    expect(body.items[0]!.analysis.tags).toEqual(expect.arrayContaining(['punchy', 'one-shot']));
    expect(body.items[0]!.analysis.genres[0]).toEqual({ name: 'techno', confidence: 0.7 });
    expect(body.tokens.input).toBeGreaterThan(0);
    expect(body.tokens.output).toBeGreaterThan(0);
    expect(body.latencyMs).toBeGreaterThanOrEqual(0);

    expect(stub.requests).toHaveLength(1);
    const req = stub.requests[0]!;
    expect(req.provider).toBe(provider);
    expect(req.authOk).toBe(true);
    expect(req.model).toBe(`${provider}-stub-model`);
    expect(req.stream).toBe(false);
    expect(req.system).toContain('Answer with ONE JSON object');
    expect(req.userTexts[0]).toContain('[s1] file: "Kick_Punchy_1.wav"');
    // Only analysis numbers leave the server: not the caller's id.
    expect(req.userTexts[0]).not.toContain('kick0001');
    expect(req.jsonMode).toBe(provider !== 'anthropic');
    await t.app.close();
  });
});

describe('reasoning models', () => {
  it('keeps reasoning short where the provider allows it, and leaves other models alone', async () => {
    const cases: [AiProviderId, string, (body: Record<string, unknown>) => unknown, unknown][] = [
      ['openai', 'gpt-5-mini', (b) => b.reasoning_effort, 'low'],
      ['openai', 'gpt-4o-mini', (b) => b.reasoning_effort, undefined],
      [
        'gemini',
        'gemini-2.5-flash',
        (b) => (b.generationConfig as { thinkingConfig?: unknown }).thinkingConfig,
        { thinkingBudget: 0 },
      ],
      [
        'gemini',
        'gemini-1.5-pro',
        (b) => (b.generationConfig as { thinkingConfig?: unknown }).thinkingConfig,
        undefined,
      ],
    ];
    for (const [provider, model, pick, expected] of cases) {
      stub.reset();
      const t = await buildAiTestApp({
        env: { ...stubEnv(stub, [provider]), [`${provider.toUpperCase()}_MODEL`]: model },
      });
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/ai/analyze',
        headers: t.auth(),
        payload: { sample: kick(1) },
      });
      expect(res.statusCode).toBe(200);
      expect(stub.requests[0]!.model).toBe(model);
      expect(pick(stub.requests[0]!.body)).toEqual(expected);
      await t.app.close();
    }
  });
});

describe('batches', () => {
  it('answers a batch in request order with one provider call', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai']) });
    const samples = [kick(1), drumLoop(2), kick(3)];
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze',
      headers: t.auth(),
      payload: { samples },
    });
    expect(res.statusCode).toBe(200);
    const body = aiAnalyzeResponseSchema.parse(res.json());
    expect(body.items.map((i) => i.id)).toEqual(['kick0001', 'loop0002', 'kick0003']);
    expect(body.items[1]!.analysis.description).toContain('Techno_Loop_2_128bpm.wav');
    expect(body.items[1]!.analysis.tags).toContain('drum-loop');
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]!.userTexts[0]).toContain('[s3] file: "Kick_Punchy_3.wav"');
    await t.app.close();
  });

  it('refuses a batch over the limit and a request with both sample and samples', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai']) });
    const tooMany = Array.from({ length: 21 }, (_, i) => kick(i));
    const a = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze',
      headers: t.auth(),
      payload: { samples: tooMany },
    });
    expect(a.statusCode).toBe(400);
    expect(a.json().error).toBe('validation');
    const b = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze',
      headers: t.auth(),
      payload: { sample: kick(1), samples: [kick(2)] },
    });
    expect(b.statusCode).toBe(400);
    expect(stub.requests).toHaveLength(0);
    await t.app.close();
  });
});

describe('access and configuration', () => {
  it('requires a signed-in user on both routes', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai']) });
    const a = await t.app.inject({ method: 'GET', url: '/api/v1/ai/providers' });
    const b = await t.app.inject({ method: 'POST', url: '/api/v1/ai/analyze', payload: { sample: kick(1) } });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(stub.requests).toHaveLength(0);
    await t.app.close();
  });

  it('answers transport errors in the common error shape', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai']) });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze',
      headers: { ...t.auth(), 'content-type': 'application/xml' },
      payload: '<sample/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: 'unsupported-media-type', requestId: expect.any(String) });
    await t.app.close();
  });

  it('lists only configured providers, in priority order, with health after use and no secrets', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['ollama', 'openai']) });
    const before = aiProvidersResponseSchema.parse(
      (await t.app.inject({ method: 'GET', url: '/api/v1/ai/providers', headers: t.auth() })).json(),
    );
    expect(before.providers.map((p) => p.id)).toEqual(['ollama', 'openai']);
    expect(before.providers[0]!.model).toBe('ollama-stub-model');
    expect(before.providers[0]!.health.status).toBe('unknown');

    stub.script('ollama', { status: 500, errorMessage: 'boom' });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze',
      headers: t.auth(),
      payload: { sample: kick(1) },
    });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/ai/providers', headers: t.auth() });
    const after = aiProvidersResponseSchema.parse(res.json());
    expect(after.providers[0]!.health).toMatchObject({
      status: 'error',
      lastError: 'ollama: server error (500)',
    });
    expect(after.providers[0]!.health.lastErrorAt).not.toBeNull();
    expect(after.providers[1]!.health).toMatchObject({ status: 'ok', lastError: null });
    expect(after.providers[1]!.health.lastSuccessAt).not.toBeNull();
    for (const key of Object.values(STUB_KEYS)) expect(res.body).not.toContain(key);
    expect(res.body).not.toContain(stub.url);
    await t.app.close();
  });

  it('says plainly when no provider is configured, and when the requested one is not', async () => {
    const none = await buildAiTestApp({ env: {} });
    const list = await none.app.inject({ method: 'GET', url: '/api/v1/ai/providers', headers: none.auth() });
    expect(list.json().providers).toEqual([]);
    const a = await none.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze',
      headers: none.auth(),
      payload: { sample: kick(1) },
    });
    expect(a.statusCode).toBe(503);
    expect(a.json()).toMatchObject({ error: 'ai-not-configured' });
    await none.app.close();

    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai']) });
    const b = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze',
      headers: t.auth(),
      payload: { sample: kick(1), provider: 'anthropic' },
    });
    expect(b.statusCode).toBe(400);
    expect(b.json()).toMatchObject({ error: 'provider-not-configured' });
    await t.app.close();
  });

  it('tries the requested provider first, then the priority order', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai', 'gemini', 'anthropic']) });
    stub.script('gemini', { status: 503, errorMessage: 'unavailable' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze',
      headers: t.auth(),
      payload: { sample: kick(1), provider: 'gemini' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().provider).toBe('openai');
    expect(stub.requests.map((r) => r.provider)).toEqual(['gemini', 'openai']);
    expect(res.json().fallbacks).toEqual([{ provider: 'gemini', message: 'gemini: overloaded (503)' }]);
    await t.app.close();
  });
});
