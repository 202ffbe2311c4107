import { describe, expect, it } from 'vitest';
import { AiConfigError, loadAiConfig } from './config';

describe('loadAiConfig', () => {
  it('configures only providers that have their key (Ollama: its URL or model)', () => {
    expect(loadAiConfig({}).providers).toEqual([]);
    const c = loadAiConfig({
      ANTHROPIC_API_KEY: 'sk-ant-1234567890',
      OLLAMA_MODEL: 'qwen2.5',
      OPENAI_MODEL: 'gpt-x',
    });
    expect(c.providers.map((p) => p.id)).toEqual(['anthropic', 'ollama']);
    expect(c.providers[1]).toMatchObject({ model: 'qwen2.5', baseURL: undefined, apiKey: undefined });
  });

  it('orders by AI_PROVIDER_PRIORITY, then the rest', () => {
    const c = loadAiConfig({
      OPENAI_API_KEY: 'sk-1234567890',
      GOOGLE_GENERATIVE_AI_API_KEY: 'AIza1234567890',
      OLLAMA_BASE_URL: 'http://localhost:11434',
      AI_PROVIDER_PRIORITY: 'ollama, google',
    });
    expect(c.providers.map((p) => p.id)).toEqual(['ollama', 'gemini', 'openai']);
    // Ollama's host URL gets the API root the provider expects.
    expect(c.providers[0]!.baseURL).toBe('http://localhost:11434/api');
    expect(c.providers[1]!.apiKey).toBe('AIza1234567890');
  });

  it('applies global and per-provider timeouts and concurrency', () => {
    const c = loadAiConfig({
      OPENAI_API_KEY: 'sk-1234567890',
      GEMINI_API_KEY: 'AIza1234567890',
      AI_TIMEOUT_MS: '9000',
      AI_CONCURRENCY: '3',
      GEMINI_TIMEOUT_MS: '1500',
      OPENAI_CONCURRENCY: '8',
    });
    expect(c.providers.map((p) => [p.id, p.timeoutMs, p.concurrency])).toEqual([
      ['openai', 9000, 8],
      ['gemini', 1500, 3],
    ]);
  });

  it('treats empty values as unset and lists every problem at once', () => {
    expect(loadAiConfig({ OPENAI_API_KEY: '' }).providers).toEqual([]);
    let err: unknown;
    try {
      loadAiConfig({
        OPENAI_API_KEY: 'sk-1234567890',
        OPENAI_BASE_URL: 'ftp://x',
        AI_TIMEOUT_MS: 'soon',
        AI_PROVIDER_PRIORITY: 'openai,mistral',
        AI_MAX_BATCH: '500',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AiConfigError);
    const problems = (err as AiConfigError).problems.join('\n');
    expect(problems).toContain('AI_TIMEOUT_MS');
    expect(problems).toContain('OPENAI_BASE_URL');
    expect(problems).toContain('unknown provider "mistral"');
    expect(problems).toContain('AI_MAX_BATCH');
    // A key is never echoed in a configuration error.
    expect(problems).not.toContain('sk-1234567890');
  });
});
