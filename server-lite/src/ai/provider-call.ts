import { streamText } from 'ai';
import type { AiProviderConfig } from './config';
import type { AiSampleAnalysis } from './contract';
import { parseModelOutput } from './parse-output';
import { type NormalisedSample, renderUserPrompt, repairPrompt, SYSTEM_PROMPT } from './prompt';
import { MalformedOutput, ProviderTimeout } from './provider-errors';
import { jsonText, type ModelHandle, type V3CallOptions, type V3Model } from './providers';
import type { Semaphore } from './semaphore';

export type Tokens = { input: number; output: number };

export type CallResult = { items: AiSampleAnalysis[]; tokens: Tokens };

export type CallOptions = {
  provider: AiProviderConfig;
  handle: ModelHandle;
  slots: Semaphore;
  samples: NormalisedSample[];
  maxOutputTokensPerSample: number;
  /** The client's signal: aborting it cancels the call without counting as a provider failure. */
  signal: AbortSignal;
  /** When set, the call streams and reports description text per sample as it arrives. */
  onDelta?: (index: number, delta: string) => void;
};

/** Thrown with the tokens spent so far, so failed attempts still count against the budget. */
export class CallFailed extends Error {
  constructor(
    readonly reason: unknown,
    readonly tokens: Tokens,
  ) {
    super('provider call failed');
    this.name = 'CallFailed';
  }
}

/**
 * One provider's attempt: a call (streamed or not), then at most one repair call when the answer
 * does not parse. Each model call gets the provider's full timeout; the first one's includes the
 * wait for a concurrency slot.
 */
export async function callProvider(o: CallOptions): Promise<CallResult> {
  const tokens: Tokens = { input: 0, output: 0 };
  const messages: TextMessage[] = [{ role: 'user', content: renderUserPrompt(o.samples) }];
  const maxOutputTokens = Math.min(
    32_000,
    200 + o.maxOutputTokensPerSample * o.samples.length + o.handle.reasoningAllowance,
  );
  let release: (() => void) | undefined;
  try {
    const text = await withDeadline(o.provider.timeoutMs, o.signal, async (signal) => {
      release = await o.slots.acquire(signal);
      if (!o.onDelta) return generateOnce(o.handle, maxOutputTokens, messages, signal, tokens);
      const args = {
        model: o.handle.streamModel,
        system: SYSTEM_PROMPT,
        messages,
        maxOutputTokens,
        maxRetries: 0,
        abortSignal: signal,
        ...(o.handle.jsonMode ? { output: jsonText } : {}),
        ...(o.handle.providerOptions ? { providerOptions: o.handle.providerOptions } : {}),
      };
      return streamOnce(args, o.samples.length, o.onDelta, tokens);
    });
    const first = parseModelOutput(text, o.samples.length);
    if (first.ok) return { items: first.items, tokens };

    // One repair round: show the model its answer and what is wrong with it.
    const repaired = await withDeadline(o.provider.timeoutMs, o.signal, (signal) =>
      generateOnce(
        o.handle,
        maxOutputTokens,
        [
          ...messages,
          { role: 'assistant', content: text },
          { role: 'user', content: repairPrompt(first.problem) },
        ],
        signal,
        tokens,
      ),
    );
    const second = parseModelOutput(repaired, o.samples.length);
    if (second.ok) return { items: second.items, tokens };
    throw new MalformedOutput(second.problem);
  } catch (e) {
    throw new CallFailed(e, tokens);
  } finally {
    release?.();
  }
}

type StreamArgs = Parameters<typeof streamText>[0];

async function streamOnce(
  args: StreamArgs,
  count: number,
  onDelta: (index: number, delta: string) => void,
  tokens: Tokens,
): Promise<string> {
  const result = streamText({ ...args, onError: () => {} });
  const descriptions = new DescriptionStream(count, onDelta);
  let text = '';
  for await (const part of result.fullStream) {
    if (part.type === 'text-delta') {
      text += part.text;
      descriptions.update(text);
    } else if (part.type === 'error') {
      throw part.error;
    } else if (part.type === 'abort') {
      // The SDK ends an aborted stream quietly; a cut-off answer must not pass for a complete one.
      throw new Error('stream aborted');
    } else if (part.type === 'finish') {
      add(tokens, part.totalUsage);
    }
  }
  return text;
}

type TextMessage = { role: 'user' | 'assistant'; content: string };
const USER_AGENT = { 'user-agent': 'ai/6' };

/**
 * One non-streamed call straight to the provider model. generateText costs about as much CPU as
 * the HTTP exchange itself (it re-validates the prompt against the SDK's recursive zod schema on
 * every call, plus telemetry, step and retry plumbing); none of that is needed for one text-only
 * turn with retries off, and the provider model still builds the request, checks the response
 * against its own schema and throws the same APICallErrors.
 */
async function generateOnce(
  handle: ModelHandle,
  maxOutputTokens: number,
  messages: readonly TextMessage[],
  abortSignal: AbortSignal,
  tokens: Tokens,
): Promise<string> {
  const prompt: V3CallOptions['prompt'] = [{ role: 'system', content: SYSTEM_PROMPT }];
  for (const m of messages) prompt.push({ role: m.role, content: [{ type: 'text', text: m.content }] });
  const model: V3Model = handle.model;
  const r = await model.doGenerate({
    prompt,
    maxOutputTokens,
    abortSignal,
    headers: USER_AGENT,
    ...(handle.jsonMode ? { responseFormat: { type: 'json' } } : {}),
    ...(handle.providerOptions ? { providerOptions: handle.providerOptions } : {}),
  });
  if (r.warnings.length > 0) reportWarnings(model, r.warnings);
  tokens.input += r.usage.inputTokens.total ?? 0;
  tokens.output += r.usage.outputTokens.total ?? 0;
  let text = '';
  for (const part of r.content) if (part.type === 'text') text += part.text;
  return text;
}

/** What generateText would do with the provider's warnings: hand them to the app's logger. */
function reportWarnings(model: V3Model, warnings: unknown[]) {
  const logger = (globalThis as { AI_SDK_LOG_WARNINGS?: unknown }).AI_SDK_LOG_WARNINGS;
  if (typeof logger === 'function') logger({ warnings, provider: model.provider, model: model.modelId });
}

function add(t: Tokens, usage: { inputTokens?: number; outputTokens?: number } | undefined) {
  t.input += usage?.inputTokens ?? 0;
  t.output += usage?.outputTokens ?? 0;
}

/**
 * Runs `fn` with a signal that aborts after `ms` or when the client's signal does. A timeout is
 * reported as ProviderTimeout whatever the SDK turned the abort into; a client abort is rethrown
 * as the client's reason.
 */
async function withDeadline<T>(
  ms: number,
  outer: AbortSignal,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort(new ProviderTimeout(ms));
  }, ms);
  const onOuter = () => ctl.abort(outer.reason);
  if (outer.aborted) onOuter();
  else outer.addEventListener('abort', onOuter, { once: true });
  try {
    const result = await fn(ctl.signal);
    if (timedOut) throw new ProviderTimeout(ms);
    if (outer.aborted) throw outer.reason;
    return result;
  } catch (e) {
    if (timedOut) throw new ProviderTimeout(ms);
    if (outer.aborted) throw outer.reason ?? e;
    throw e;
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', onOuter);
  }
}

// Matches each item's ref and the (possibly still open) description string in a partial answer.
const FIELD = /"ref"\s*:\s*"([^"\\]*)"|"description"\s*:\s*"((?:[^"\\]|\\.)*)/g;

/**
 * Follows the description strings inside a JSON answer that is still arriving and reports the new
 * text of each. The prompt puts "ref" before "description", which ties each description to its
 * sample; without refs, descriptions are taken in order.
 */
export class DescriptionStream {
  private readonly sent: string[];

  constructor(
    count: number,
    private readonly onDelta: (index: number, delta: string) => void,
  ) {
    this.sent = Array.from({ length: count }, () => '');
  }

  update(partialJson: string): void {
    let ref: number | undefined;
    let ordinal = 0;
    for (const m of partialJson.matchAll(FIELD)) {
      if (m[1] !== undefined) {
        const n = /^s(\d+)$/i.exec(m[1].trim());
        ref = n ? Number(n[1]) - 1 : undefined;
        continue;
      }
      const index = ref !== undefined && ref >= 0 && ref < this.sent.length ? ref : ordinal;
      ordinal++;
      ref = undefined;
      if (index >= this.sent.length) continue;
      const text = decodePartialString(m[2]!);
      const before = this.sent[index]!;
      if (text.length > before.length && text.startsWith(before)) {
        this.sent[index] = text;
        this.onDelta(index, text.slice(before.length));
      }
    }
  }
}

/** JSON string body that may stop mid-escape: decode what is complete. */
function decodePartialString(body: string): string {
  const complete = body.replace(/\\u[0-9a-fA-F]{0,3}$/, '').replace(/\\$/, '');
  try {
    return JSON.parse(`"${complete}"`) as string;
  } catch {
    return '';
  }
}
