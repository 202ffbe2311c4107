import type { IncomingHttpHeaders } from 'node:http';
import type { AiProviderId } from '../contract';

/**
 * Wire formats of the four provider APIs, as the SDK packages send and parse them (read from
 * @ai-sdk/openai, @ai-sdk/anthropic, @ai-sdk/google and ollama-ai-provider-v2):
 * - OpenAI chat completions: POST {base}/chat/completions, `Authorization: Bearer`; JSON, or SSE
 *   `data: {chunk}` lines ending with `data: [DONE]`.
 * - Anthropic messages: POST {base}/messages, `x-api-key` + `anthropic-version: 2023-06-01`; JSON,
 *   or SSE events message_start, content_block_start, ping, content_block_delta, content_block_stop,
 *   message_delta, message_stop.
 * - Gemini: POST {base}/models/{model}:generateContent (JSON) or :streamGenerateContent?alt=sse
 *   (SSE `data:` chunks), `x-goog-api-key` header or `?key=`.
 * - Ollama: POST {base}/chat, JSON with `stream: false`, NDJSON lines with `stream: true`.
 */

export type ParsedRequest = {
  model: string;
  stream: boolean;
  /** Every user message's text, in order (the last one is the repair prompt on a repair round). */
  userTexts: string[];
  system: string;
  /** Whether the request asked for JSON output (response_format, responseMimeType, format). */
  jsonMode: boolean;
};

type Body = Record<string, unknown>;

const textOf = (content: unknown): string => {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) =>
        p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string'
          ? (p as { text: string }).text
          : '',
      )
      .join('');
  }
  return '';
};

type Msg = { role?: string; content?: unknown; parts?: unknown };

export function parseRequest(provider: AiProviderId, path: string, body: Body): ParsedRequest {
  if (provider === 'gemini') {
    const m = /\/models\/([^/:]+):(generateContent|streamGenerateContent)/.exec(path);
    const contents = (body.contents as Msg[] | undefined) ?? [];
    const cfg = (body.generationConfig as Body | undefined) ?? {};
    return {
      model: m?.[1] ?? '',
      stream: m?.[2] === 'streamGenerateContent',
      userTexts: contents.filter((c) => c.role === 'user').map((c) => textOf(c.parts)),
      system: textOf((body.systemInstruction as Msg | undefined)?.parts),
      jsonMode: cfg.responseMimeType === 'application/json',
    };
  }
  const messages = (body.messages as Msg[] | undefined) ?? [];
  const system =
    provider === 'anthropic'
      ? textOf(body.system)
      : messages
          .filter((m) => m.role === 'system')
          .map((m) => textOf(m.content))
          .join('\n');
  return {
    model: typeof body.model === 'string' ? body.model : '',
    stream: body.stream === true,
    userTexts: messages.filter((m) => m.role === 'user').map((m) => textOf(m.content)),
    system,
    jsonMode:
      provider === 'openai'
        ? (body.response_format as Body | undefined)?.type === 'json_object'
        : provider === 'ollama'
          ? body.format !== undefined
          : false,
  };
}

/** Whether the request carries the provider's auth header with the expected key. */
export function authOk(
  provider: AiProviderId,
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  key: string | undefined,
): boolean {
  switch (provider) {
    case 'openai':
      return headers.authorization === `Bearer ${key}`;
    case 'anthropic':
      return headers['x-api-key'] === key && headers['anthropic-version'] === '2023-06-01';
    case 'gemini':
      return headers['x-goog-api-key'] === key || query.get('key') === key;
    case 'ollama':
      // A local Ollama has no auth; when a key is configured it must come as a bearer token.
      return key === undefined
        ? headers.authorization === undefined
        : headers.authorization === `Bearer ${key}`;
  }
}

export function errorBody(provider: AiProviderId, status: number, message: string): unknown {
  switch (provider) {
    case 'openai':
      return {
        error: {
          message,
          type:
            status === 429
              ? 'rate_limit_exceeded'
              : status === 401
                ? 'invalid_request_error'
                : 'server_error',
          param: null,
          code: status === 429 ? 'rate_limit_exceeded' : status === 401 ? 'invalid_api_key' : null,
        },
      };
    case 'anthropic':
      return {
        type: 'error',
        error: {
          type:
            status === 429
              ? 'rate_limit_error'
              : status === 401
                ? 'authentication_error'
                : status === 529
                  ? 'overloaded_error'
                  : 'api_error',
          message,
        },
      };
    case 'gemini':
      return {
        error: {
          code: status,
          message,
          status: status === 429 ? 'RESOURCE_EXHAUSTED' : status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL',
        },
      };
    case 'ollama':
      return { error: message };
  }
}

export type Usage = { input: number; output: number };

export function jsonResponse(provider: AiProviderId, model: string, text: string, usage: Usage): unknown {
  const created = Math.floor(Date.now() / 1000);
  switch (provider) {
    case 'openai':
      return {
        id: `chatcmpl-stub${created}`,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: text, refusal: null },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: {
          prompt_tokens: usage.input,
          completion_tokens: usage.output,
          total_tokens: usage.input + usage.output,
        },
      };
    case 'anthropic':
      return {
        id: `msg_stub${created}`,
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: usage.input, output_tokens: usage.output },
      };
    case 'gemini':
      return {
        candidates: [{ content: { parts: [{ text }], role: 'model' }, finishReason: 'STOP', index: 0 }],
        usageMetadata: {
          promptTokenCount: usage.input,
          candidatesTokenCount: usage.output,
          totalTokenCount: usage.input + usage.output,
        },
        modelVersion: model,
        responseId: `stub${created}`,
      };
    case 'ollama':
      return {
        model,
        created_at: new Date().toISOString(),
        message: { role: 'assistant', content: text },
        done: true,
        done_reason: 'stop',
        total_duration: 1_000_000,
        load_duration: 1000,
        prompt_eval_count: usage.input,
        prompt_eval_duration: 1000,
        eval_count: usage.output,
        eval_duration: 1000,
      };
  }
}

/** The frames of a streamed answer, each a complete string ready to write. */
export function streamFrames(
  provider: AiProviderId,
  model: string,
  pieces: string[],
  usage: Usage,
): string[] {
  const sse = (data: unknown, event?: string) =>
    `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
  const created = Math.floor(Date.now() / 1000);
  switch (provider) {
    case 'openai': {
      const chunk = (delta: object, finish: string | null) => ({
        id: `chatcmpl-stub${created}`,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      });
      return [
        sse(chunk({ role: 'assistant', content: '' }, null)),
        ...pieces.map((p) => sse(chunk({ content: p }, null))),
        sse(chunk({}, 'stop')),
        sse({
          id: `chatcmpl-stub${created}`,
          object: 'chat.completion.chunk',
          created,
          model,
          choices: [],
          usage: {
            prompt_tokens: usage.input,
            completion_tokens: usage.output,
            total_tokens: usage.input + usage.output,
          },
        }),
        sse('[DONE]'),
      ];
    }
    case 'anthropic':
      return [
        sse(
          {
            type: 'message_start',
            message: {
              id: `msg_stub${created}`,
              type: 'message',
              role: 'assistant',
              model,
              content: [],
              stop_reason: null,
              stop_sequence: null,
              usage: { input_tokens: usage.input, output_tokens: 1 },
            },
          },
          'message_start',
        ),
        sse(
          { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
          'content_block_start',
        ),
        sse({ type: 'ping' }, 'ping'),
        ...pieces.map((p) =>
          sse(
            { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: p } },
            'content_block_delta',
          ),
        ),
        sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
        sse(
          {
            type: 'message_delta',
            delta: { stop_reason: 'end_turn', stop_sequence: null },
            usage: { output_tokens: usage.output },
          },
          'message_delta',
        ),
        sse({ type: 'message_stop' }, 'message_stop'),
      ];
    case 'gemini':
      return pieces.map((p, i) =>
        sse({
          candidates: [
            {
              content: { parts: [{ text: p }], role: 'model' },
              index: 0,
              ...(i === pieces.length - 1 ? { finishReason: 'STOP' } : {}),
            },
          ],
          usageMetadata: {
            promptTokenCount: usage.input,
            ...(i === pieces.length - 1
              ? { candidatesTokenCount: usage.output, totalTokenCount: usage.input + usage.output }
              : {}),
          },
          modelVersion: model,
          responseId: `stub${created}`,
        }),
      );
    case 'ollama': {
      const line = (o: object) => `${JSON.stringify(o)}\n`;
      const at = () => new Date().toISOString();
      return [
        ...pieces.map((p) =>
          line({ model, created_at: at(), message: { role: 'assistant', content: p }, done: false }),
        ),
        line({
          model,
          created_at: at(),
          message: { role: 'assistant', content: '' },
          done: true,
          done_reason: 'stop',
          total_duration: 1_000_000,
          load_duration: 1000,
          prompt_eval_count: usage.input,
          prompt_eval_duration: 1000,
          eval_count: usage.output,
          eval_duration: 1000,
        }),
      ];
    }
  }
}

export function streamContentType(provider: AiProviderId): string {
  return provider === 'ollama' ? 'application/x-ndjson' : 'text/event-stream';
}
