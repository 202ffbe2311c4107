import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import type { generateText, LanguageModel, Output } from 'ai';
import { createOllama } from 'ollama-ai-provider-v2';
import type { AiProviderConfig } from './config';

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
  model: V3Model;
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

/**
 * Builds the SDK model for one configured provider. Keys and base URLs are passed explicitly so
 * the SDKs never fall back to reading the environment on their own.
 */
export function createModel(p: AiProviderConfig, fetchImpl?: typeof fetch): ModelHandle {
  const common = { ...(fetchImpl ? { fetch: fetchImpl } : {}) };
  switch (p.id) {
    case 'openai':
      // Chat completions: the wire protocol every OpenAI-compatible server (vLLM, LM Studio, …) speaks.
      return {
        model: createOpenAI({
          apiKey: p.apiKey,
          baseURL: p.baseURL ?? 'https://api.openai.com/v1',
          ...common,
        }).chat(p.model),
        jsonMode: true,
        ...(OPENAI_REASONING.test(p.model)
          ? { providerOptions: { openai: { reasoningEffort: 'low' } }, reasoningAllowance: 4096 }
          : { reasoningAllowance: 0 }),
      };
    case 'anthropic':
      return {
        model: createAnthropic({
          apiKey: p.apiKey,
          baseURL: p.baseURL ?? 'https://api.anthropic.com/v1',
          ...common,
        }).messages(p.model),
        jsonMode: false,
        // Extended thinking is off unless asked for.
        reasoningAllowance: 0,
      };
    case 'gemini':
      return {
        model: createGoogleGenerativeAI({
          apiKey: p.apiKey,
          baseURL: p.baseURL ?? 'https://generativelanguage.googleapis.com/v1beta',
          ...common,
        }).languageModel(p.model),
        jsonMode: true,
        ...(GEMINI_FLASH_25.test(p.model)
          ? { providerOptions: { google: { thinkingConfig: { thinkingBudget: 0 } } }, reasoningAllowance: 0 }
          : { reasoningAllowance: GEMINI_THINKING.test(p.model) ? 4096 : 0 }),
      };
    case 'ollama':
      return {
        model: createOllama({
          baseURL: p.baseURL ?? 'http://127.0.0.1:11434/api',
          // A bare local Ollama takes no key; a proxied or hosted one takes a bearer token.
          ...(p.apiKey ? { headers: { Authorization: `Bearer ${p.apiKey}` } } : {}),
          ...common,
        }).chat(p.model),
        jsonMode: true,
        // The provider sends think: false by default.
        reasoningAllowance: 0,
      };
  }
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
