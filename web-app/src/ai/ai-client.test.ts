import { type AiSampleInput, toAiSampleInput } from '@samplemind/contract';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../e2e/pages/ai-server';
import { Account } from '../account/account';
import { AccountStore, MemoryAccountPersistence } from '../account/account-store';
import { type ApiError, isApiError } from '../account/api-error';
import { rng, syntheticResult } from '../dev/synthetic';
import { AiClient, type AiStreamEvent } from './ai-client';
import { describeAiError, NO_PROVIDER_MESSAGE } from './ai-messages';

// A real server-lite with OpenAI then Anthropic (both the stub), and one with no provider at all.
let server: TestServer;
let bare: TestServer;
beforeAll(async () => {
  [server, bare] = await Promise.all([
    startTestServer({ providers: ['openai', 'anthropic'], env: { AI_RATE_LIMIT_PER_MIN: '8' } }),
    startTestServer({ providers: [] }),
  ]);
}, 90_000);
afterAll(async () => {
  await Promise.all([server?.stop(), bare?.stop()]);
});
beforeEach(() => {
  server.stub!.reset();
});

let n = 0;
async function client(url = server.url): Promise<AiClient> {
  const account = new Account(new AccountStore(new MemoryAccountPersistence(), { channelName: null }), {
    locks: null,
  });
  await account.connect(url);
  const id = `${Date.now().toString(36)}${++n}`;
  await account.signUp({
    email: `a${id}@example.com`,
    username: `a${id}`,
    password: 'correct horse battery',
  });
  return new AiClient(account.api);
}

/** A sample no other test sends (the server caches by content, not by id). */
function sample(seed = ++n): AiSampleInput {
  const hash = seed.toString(16).padStart(32, '0');
  return toAiSampleInput(hash, `Sample ${seed} ${Date.now()}.wav`, syntheticResult(rng(seed), hash));
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (isApiError(e)) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('AiClient against server-lite', () => {
  it('lists the configured providers with model, health and the batch limit', async () => {
    const ai = await client();
    const info = await ai.providers();
    expect(info.providers.map((p) => [p.id, p.model])).toEqual([
      ['openai', 'openai-stub-model'],
      ['anthropic', 'anthropic-stub-model'],
    ]);
    expect(info.maxBatch).toBeGreaterThan(1);
  });

  it('describes a batch in request order, then answers the same from cache', async () => {
    const ai = await client();
    const batch = [sample(), sample()];
    const res = await ai.analyze(batch);
    expect(res.items.map((i) => i.id)).toEqual(batch.map((s) => s.id));
    expect(res.items[0].analysis.description).toContain(batch[0].fileName);
    expect(res.items[1].analysis.description).toContain(batch[1].fileName);
    expect(res.cached).toBe(false);
    // Only analysis numbers and names reached the provider: no waveform, no feature vector.
    const sent = JSON.stringify(server.stub!.requests.map((r) => r.body));
    expect(sent).toContain(batch[0].fileName);
    expect(sent).not.toMatch(/peaks|featureVector|"vector"/);
    const again = await ai.analyze(batch);
    expect(again.cached).toBe(true);
    expect(again.items[0].analysis).toEqual(res.items[0].analysis);
  });

  it('streams the description as it is written, then returns the validated result', async () => {
    const ai = await client();
    server.stub!.setDefault('openai', { chunkDelayMs: 5 });
    const events: AiStreamEvent[] = [];
    const s = sample();
    const res = await ai.analyzeStream([s], { onEvent: (e) => events.push(e) });
    expect(events[0]).toMatchObject({ event: 'meta', provider: 'openai', model: 'openai-stub-model' });
    const deltas = events.filter((e) => e.event === 'description');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((d) => (d.event === 'description' ? d.delta : '')).join('')).toBe(
      res.items[0].analysis.description,
    );
    expect(res.items[0].id).toBe(s.id);
  });

  it('reports a provider dying mid-stream as a fallback, and the next provider answers', async () => {
    const ai = await client();
    server.stub!.script('openai', { dropAfterFrames: 3, chunkDelayMs: 5 });
    const events: AiStreamEvent[] = [];
    const res = await ai.analyzeStream([sample()], { onEvent: (e) => events.push(e) });
    expect(events.some((e) => e.event === 'fallback' && e.provider === 'openai')).toBe(true);
    expect(events.filter((e) => e.event === 'meta').map((e) => e.event === 'meta' && e.provider)).toEqual([
      'openai',
      'anthropic',
    ]);
    expect(res.provider).toBe('anthropic');
    expect(res.fallbacks.map((f) => f.provider)).toEqual(['openai']);
  });

  it('cancels a stream in flight', async () => {
    const ai = await client();
    server.stub!.setDefault('openai', { chunkDelayMs: 300 });
    const ctl = new AbortController();
    const err = await rejection(
      ai.analyzeStream([sample()], {
        signal: ctl.signal,
        onEvent: (e) => {
          if (e.event === 'description') ctl.abort();
        },
      }),
    );
    expect(err.kind).toBe('cancelled');
  });

  it('maps the server errors to plain messages, without provider text or keys', async () => {
    const ai = await client();
    const secret = 'provider internals sk-stub-openai-0123456789';
    server.stub!.script('openai', { status: 500, errorMessage: secret });
    server.stub!.script('anthropic', { status: 529, errorMessage: secret });
    const down = await rejection(ai.analyze([sample()]));
    expect(down).toMatchObject({ kind: 'http', status: 502, code: 'ai-unavailable' });
    expect(down.extra.attempts?.map((a) => a.provider)).toEqual(['openai', 'anthropic']);
    expect(JSON.stringify(down)).not.toContain('provider internals');
    expect(describeAiError(down)).not.toMatch(/sk-/);

    // The same through the stream: an `error` event (or a plain error) becomes the same ApiError.
    server.stub!.script('openai', { status: 500, errorMessage: secret });
    server.stub!.script('anthropic', { status: 500, errorMessage: secret });
    const streamed = await rejection(ai.analyzeStream([sample()]));
    expect(streamed).toMatchObject({ status: 502, code: 'ai-unavailable' });

    const notConfigured = await rejection(ai.analyze([sample()], { provider: 'gemini' }));
    expect(notConfigured).toMatchObject({ status: 400, code: 'provider-not-configured' });
    expect(describeAiError(notConfigured)).toMatch(/gemini/i);

    const bareAi = await client(bare.url);
    expect((await bareAi.providers()).providers).toEqual([]);
    const none = await rejection(bareAi.analyze([sample()]));
    expect(none).toMatchObject({ status: 503, code: 'ai-not-configured' });
    expect(describeAiError(none)).toBe(NO_PROVIDER_MESSAGE);
  });

  it('says when the per-user rate limit is hit, and when to try again', async () => {
    const ai = await client();
    const s = sample();
    for (let i = 0; i < 8; i++) await ai.analyze([s]);
    const limited = await rejection(ai.analyze([s]));
    expect(limited).toMatchObject({ status: 429, code: 'rate-limited' });
    expect(limited.retryAfterSec).toBeGreaterThan(0);
    expect(describeAiError(limited)).toMatch(/Try again in \d+ s\./);
  });

  it('needs a server and a signed-in user, and says so', async () => {
    const store = new AccountStore(new MemoryAccountPersistence(), { channelName: null });
    const account = new Account(store, { locks: null });
    const ai = new AiClient(account.api);
    const noServer = await rejection(ai.analyze([sample()]));
    expect(describeAiError(noServer)).toBe('Connect a SampleMind server in Settings to use AI.');
    await account.connect(server.url);
    const signedOut = await rejection(ai.providers());
    expect(describeAiError(signedOut)).toBe('Sign in to your SampleMind server in Settings to use AI.');
  });
});
