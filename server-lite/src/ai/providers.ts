import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModel, Output } from 'ai';
import { createOllama } from 'ollama-ai-provider-v2';
import type { AiProviderConfig } from './config';

export type ModelHandle = {
  model: LanguageModel;
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
      };
    case 'anthropic':
      return {
        model: createAnthropic({
          apiKey: p.apiKey,
          baseURL: p.baseURL ?? 'https://api.anthropic.com/v1',
          ...common,
        }).messages(p.model),
        jsonMode: false,
      };
    case 'gemini':
      return {
        model: createGoogleGenerativeAI({
          apiKey: p.apiKey,
          baseURL: p.baseURL ?? 'https://generativelanguage.googleapis.com/v1beta',
          ...common,
        }).languageModel(p.model),
        jsonMode: true,
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
