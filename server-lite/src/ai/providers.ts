import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import type { generateText, LanguageModel, Output } from 'ai';
import { createOllama } from 'ollama-ai-provider-v2';
import type { AiProviderConfig } from './config';
import { createHttpFetch } from './http-fetch';

type ProviderOptions = NonNullable<Parameters<typeof generateText>[0]['providerOptions']>;
/** The provider-level model every SDK here returns (called directly for non-streamed answers). */
export type V3Model = Extract<LanguageModel, { specificationVersion: 'v3' }>;
export type V3CallOptions = Parameters<V3Model['doGenerate']>[0];

/** OpenAI reasoning families (o1, o3, o4-mini, gpt-5…; not the gpt-5 chat variants). */
const OPENAI_REASONING = /^(o\d|gpt-5(?!.*chat))/;
/** Gemini 2.5 Flash can switch thinking off; Pro and 3.x think regardless. */
const GEMINI_FLASH_25 = /^(models\/)?gemini-2\.5-flash/;
const GEMINI_THINKING = /^(models\/)?gemini-(2\.5|3)/;

export type ModelHandle = {
  /** For non-streamed calls (node:http transport unless one was passed in). */
  model: V3Model;
  /** For streamed calls (the platform's fetch unless a transport was passed in). */
  streamModel: V3Model;
  /** Provider options for every call (reasoning kept short: descriptions need no deep thought). */
  providerOptions?: ProviderOptions;
  /** Extra output tokens for a model that spends them on reasoning before it answers. */
  reasoningAllowance: number;
  /**
   * Ask the provider for JSON-only output (OpenAI json_object, Gemini responseMimeType, Ollama
   * format "json"). Anthropic has no schema-free JSON mode; the prompt alone asks for JSON there.
   */
  jsonMode: boolean;
};

/** One pool for every provider's non-streamed calls (see http-fetch.ts). */
let sharedHttpFetch: typeof fetch | undefined;

/**
 * Builds the SDK models for one configured provider. Keys and base URLs are passed explicitly so
 * the SDKs never fall back to reading the environment on their own. A transport passed in (tests,
 * benchmarks) serves both models; otherwise non-streamed calls go through the node:http fetch and
 * streams through the platform's.
 */
export function createModel(p: AiProviderConfig, fetchImpl?: typeof fetch): ModelHandle {
  sharedHttpFetch ??= createHttpFetch();
  const build = makeBuilder(p);
  const model = build(fetchImpl ?? sharedHttpFetch);
  const streamModel = build(fetchImpl);
  switch (p.id) {
    case 'openai':
      return {
        model,
        streamModel,
        jsonMode: true,
        ...(OPENAI_REASONING.test(p.model)
          ? { providerOptions: { openai: { reasoningEffort: 'low' } }, reasoningAllowance: 4096 }
          : { reasoningAllowance: 0 }),
      };
    case 'anthropic':
      // Extended thinking is off unless asked for.
      return { model, streamModel, jsonMode: false, reasoningAllowance: 0 };
    case 'gemini':
      return {
        model,
        streamModel,
        jsonMode: true,
        ...(GEMINI_FLASH_25.test(p.model)
          ? { providerOptions: { google: { thinkingConfig: { thinkingBudget: 0 } } }, reasoningAllowance: 0 }
          : { reasoningAllowance: GEMINI_THINKING.test(p.model) ? 4096 : 0 }),
      };
    case 'ollama':
      // The provider sends think: false by default.
      return { model, streamModel, jsonMode: true, reasoningAllowance: 0 };
  }
}

function makeBuilder(p: AiProviderConfig): (fetchImpl: typeof fetch | undefined) => V3Model {
  return (fetchImpl) => {
    const common = { ...(fetchImpl ? { fetch: fetchImpl } : {}) };
    switch (p.id) {
      case 'openai':
        // Chat completions: the wire protocol every OpenAI-compatible server (vLLM, LM Studio, …) speaks.
        return createOpenAI({
          apiKey: p.apiKey,
          baseURL: p.baseURL ?? 'https://api.openai.com/v1',
          ...common,
        }).chat(p.model);
      case 'anthropic':
        return createAnthropic({
          apiKey: p.apiKey,
          baseURL: p.baseURL ?? 'https://api.anthropic.com/v1',
          ...common,
        }).messages(p.model);
      case 'gemini':
        return createGoogleGenerativeAI({
          apiKey: p.apiKey,
          baseURL: p.baseURL ?? 'https://generativelanguage.googleapis.com/v1beta',
          ...common,
        }).languageModel(p.model);
      case 'ollama':
        return createOllama({
          baseURL: p.baseURL ?? 'http://127.0.0.1:11434/api',
          // A bare local Ollama takes no key; a proxied or hosted one takes a bearer token.
          ...(p.apiKey ? { headers: { Authorization: `Bearer ${p.apiKey}` } } : {}),
          ...common,
        }).chat(p.model);
    }
  };
}

/**
 * Output spec that switches on the provider's JSON mode but hands back the raw text: parsing and
 * the one repair round are ours (parse-output.ts), so a near-miss is repaired rather than thrown.
 */
export const jsonText: Output.Output<string, string, never> = {
  name: 'json-text',
  responseFormat: Promise.resolve({ type: 'json' }),
  parseCompleteOutput: async ({ text }) => text,
  parsePartialOutput: async ({ text }) => ({ partial: text }),
  createElementStreamTransform: () => undefined,
};
