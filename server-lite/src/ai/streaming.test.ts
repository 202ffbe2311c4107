import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AI_PROVIDERS, type AiProviderId, aiStreamEventSchemas } from './contract';
import { awayFromMinuteBoundary, drumLoop, kick } from './testing/fixtures';
import { buildAiTestApp, stubEnv } from './testing/harness';
import { type ProviderStub, startProviderStub } from './testing/provider-stub';

let stub: ProviderStub;
beforeAll(async () => {
  stub = await startProviderStub();
});
afterAll(() => stub.close());
afterEach(() => stub.reset());

type Event = { event: string; data: unknown };

/** Splits an SSE body into events and checks each against the contract's event schemas. */
function parseSse(body: string): Event[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim() !== '' && !block.startsWith(':'))
    .map((block) => {
      const event = /^event: (.+)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? 'null') as unknown;
      const schema = aiStreamEventSchemas[event as keyof typeof aiStreamEventSchemas];
      expect(schema, `unknown event ${event}`).toBeDefined();
      return { event, data: schema.parse(data) };
    });
}

const descriptions = (events: Event[], index: number) =>
  events
    .filter((e) => e.event === 'description' && (e.data as { index: number }).index === index)
    .map((e) => (e.data as { delta: string }).delta);

describe.each(AI_PROVIDERS)('%s streaming', (provider: AiProviderId) => {
  it('streams the description in pieces, then the validated result', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, [provider]) });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze?stream=1',
      headers: t.auth(),
      payload: { sample: kick(1) },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    const events = parseSse(res.body);
    expect(events[0]).toEqual({ event: 'meta', data: { provider, model: `${provider}-stub-model` } });
    const pieces = descriptions(events, 0);
    expect(pieces.length).toBeGreaterThan(2);
    const last = events.at(-1)!;
    expect(last.event).toBe('result');
    const result = aiStreamEventSchemas.result.parse(last.data);
    expect(pieces.join('')).toBe(result.items[0]!.analysis.description);
    expect(result.tokens.output).toBeGreaterThan(0);
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]!.stream).toBe(true);
    expect(stub.requests[0]!.authOk).toBe(true);
    await t.app.close();
  });
});

describe('streaming behaviour', () => {
  it('streams on Accept: text/event-stream and keeps batch items apart', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai']) });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze',
      headers: { ...t.auth(), accept: 'text/event-stream' },
      payload: { samples: [kick(1), drumLoop(2)] },
    });
    const events = parseSse(res.body);
    const result = aiStreamEventSchemas.result.parse(events.at(-1)!.data);
    expect(descriptions(events, 0).join('')).toBe(result.items[0]!.analysis.description);
    expect(descriptions(events, 1).join('')).toBe(result.items[1]!.analysis.description);
    expect(result.items[1]!.analysis.description).toContain('Techno_Loop_2');
    await t.app.close();
  });

  it('announces a fallback when a provider dies mid-answer, then streams the next one', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['anthropic', 'gemini']) });
    stub.script('anthropic', { dropAfterFrames: 8, errorMessage: 'RAW-PROVIDER-TEXT' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze?stream=1',
      headers: t.auth(),
      payload: { sample: kick(1) },
    });
    const events = parseSse(res.body);
    const names = events.map((e) => e.event);
    const fallbackAt = names.indexOf('fallback');
    expect(fallbackAt).toBeGreaterThan(0);
    // Some of anthropic's description went out before it died.
    expect(names.slice(0, fallbackAt)).toContain('description');
    expect(events[fallbackAt]!.data).toEqual({
      provider: 'anthropic',
      message: 'anthropic: connection lost mid-answer',
    });
    expect(events[fallbackAt + 1]).toEqual({
      event: 'meta',
      data: { provider: 'gemini', model: 'gemini-stub-model' },
    });
    const result = aiStreamEventSchemas.result.parse(events.at(-1)!.data);
    expect(result.provider).toBe('gemini');
    const after = events
      .slice(fallbackAt)
      .filter((e) => e.event === 'description')
      .map((e) => (e.data as { delta: string }).delta);
    expect(after.join('')).toBe(result.items[0]!.analysis.description);
    expect(res.body).not.toContain('RAW-PROVIDER-TEXT');
    await t.app.close();
  });

  it('falls back when a stream is too slow, not treating the cut-off text as an answer', async () => {
    const t = await buildAiTestApp({
      env: { ...stubEnv(stub, ['ollama', 'openai']), OLLAMA_TIMEOUT_MS: '400' },
    });
    stub.script('ollama', { chunkDelayMs: 60 });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze?stream=1',
      headers: t.auth(),
      payload: { sample: kick(1) },
    });
    const events = parseSse(res.body);
    const fallback = events.find((e) => e.event === 'fallback');
    expect(fallback?.data).toEqual({ provider: 'ollama', message: 'ollama: timed out after 400 ms' });
    expect(aiStreamEventSchemas.result.parse(events.at(-1)!.data).provider).toBe('openai');
    // No repair call was made to ollama for its cut-off answer.
    expect(stub.requests.map((r) => r.provider)).toEqual(['ollama', 'openai']);
    await t.app.close();
  });

  it('repairs malformed streamed output and still ends with a result', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai']) });
    stub.script('openai', { content: 'I think this is a kick.' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze?stream=1',
      headers: t.auth(),
      payload: { sample: kick(1) },
    });
    const events = parseSse(res.body);
    expect(events.at(-1)!.event).toBe('result');
    expect(stub.requests.map((r) => r.stream)).toEqual([true, false]);
    await t.app.close();
  });

  it('ends with an error event when every provider fails after the stream started', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai']) });
    stub.script('openai', { status: 500, errorMessage: 'RAW-PROVIDER-TEXT' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze?stream=1',
      headers: t.auth(),
      payload: { sample: kick(1) },
    });
    const events = parseSse(res.body);
    expect(events.map((e) => e.event)).toEqual(['meta', 'fallback', 'error']);
    expect(events[2]!.data).toMatchObject({ error: 'ai-unavailable', attempts: [{ provider: 'openai' }] });
    expect(res.body).not.toContain('RAW-PROVIDER-TEXT');
    await t.app.close();
  });

  it('streams a cached answer as one description event', async () => {
    const t = await buildAiTestApp({ env: stubEnv(stub, ['openai']) });
    const payload = { sample: kick(1) };
    await t.app.inject({ method: 'POST', url: '/api/v1/ai/analyze', headers: t.auth(), payload });
    // A bare `?stream` counts too.
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze?stream',
      headers: t.auth(),
      payload,
    });
    const events = parseSse(res.body);
    expect(events.map((e) => e.event)).toEqual(['description', 'result']);
    expect(aiStreamEventSchemas.result.parse(events[1]!.data).cached).toBe(true);
    expect(stub.requests).toHaveLength(1);
    await t.app.close();
  });

  it('refuses before streaming with a plain JSON status when a limit is hit', async () => {
    await awayFromMinuteBoundary();
    const t = await buildAiTestApp({ env: { ...stubEnv(stub, ['openai']), AI_RATE_LIMIT_PER_MIN: '1' } });
    const payload = { sample: kick(1) };
    await t.app.inject({ method: 'POST', url: '/api/v1/ai/analyze?stream=1', headers: t.auth(), payload });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ai/analyze?stream=1',
      headers: t.auth(),
      payload,
    });
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json().error).toBe('rate-limited');
    await t.app.close();
  });
});
