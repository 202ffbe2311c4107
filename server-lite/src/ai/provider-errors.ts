import { APICallError } from 'ai';
import type { AiProviderId } from './contract';

export type FailureKind =
  | 'rate-limited'
  | 'timeout'
  | 'busy'
  | 'server'
  | 'auth'
  | 'bad-request'
  | 'network'
  | 'malformed'
  | 'aborted';

/**
 * A provider failure with a message that is safe to show: built only from the provider name, the
 * HTTP status and our own words. The provider's error text and our request (which would carry the
 * prompt, and for some transports the key) stay out of it.
 */
export class ProviderFailure extends Error {
  constructor(
    readonly provider: AiProviderId,
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
    /** Seconds, from the provider's retry-after header. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = 'ProviderFailure';
  }
}

/** Our own timer fired (as opposed to the client going away). */
export class ProviderTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'ProviderTimeout';
  }
}

export class MalformedOutput extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'MalformedOutput';
  }
}

export class ProviderBusy extends Error {
  constructor() {
    super('busy');
    this.name = 'ProviderBusy';
  }
}

function retryAfterOf(headers: Record<string, string> | undefined): number | undefined {
  const raw = headers?.['retry-after'] ?? headers?.['Retry-After'];
  if (raw === undefined) return undefined;
  const secs = Number(raw);
  if (Number.isFinite(secs) && secs >= 0) return Math.ceil(secs);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - Date.now()) / 1000)) : undefined;
}

/** Finds the APICallError behind whatever the SDK threw (it may be wrapped once or twice). */
function apiCallErrorOf(err: unknown): APICallError | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    if (APICallError.isInstance(e)) return e;
    e = (e as { cause?: unknown; lastError?: unknown }).lastError ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The provider's own words, for the server log only (operators need "model not found" or "quota
 * exceeded"); clipped, and never part of a response.
 */
export function failureDetail(err: unknown): string | undefined {
  const api = apiCallErrorOf(err);
  const text = api?.message ?? (err instanceof Error ? err.message : undefined);
  return text?.slice(0, 300);
}

export function toProviderFailure(provider: AiProviderId, err: unknown): ProviderFailure {
  if (err instanceof ProviderFailure) return err;
  if (err instanceof ProviderTimeout) {
    return new ProviderFailure(provider, 'timeout', `${provider}: timed out after ${err.timeoutMs} ms`);
  }
  if (err instanceof ProviderBusy) {
    return new ProviderFailure(provider, 'busy', `${provider}: too many requests in flight on this server`);
  }
  if (err instanceof MalformedOutput) {
    return new ProviderFailure(
      provider,
      'malformed',
      `${provider}: the model's answer was not valid after one repair`,
    );
  }
  const api = apiCallErrorOf(err);
  const status = api?.statusCode;
  if (api && status !== undefined && status < 300) {
    // The answer started fine and then broke: either its body did not parse, or the connection died.
    const causeName = (api.cause as { name?: string } | undefined)?.name ?? '';
    return /JSONParse|TypeValidation/.test(causeName)
      ? new ProviderFailure(provider, 'malformed', `${provider}: unreadable response`, status)
      : new ProviderFailure(provider, 'network', `${provider}: connection lost mid-answer`, status);
  }
  if (status !== undefined) {
    if (status === 429) {
      const retryAfter = retryAfterOf(api?.responseHeaders);
      return new ProviderFailure(
        provider,
        'rate-limited',
        `${provider}: rate limited (429)`,
        status,
        retryAfter,
      );
    }
    if (status === 401 || status === 403) {
      return new ProviderFailure(
        provider,
        'auth',
        `${provider}: authentication failed (${status}); check the API key`,
        status,
      );
    }
    if (status === 404) {
      return new ProviderFailure(
        provider,
        'bad-request',
        `${provider}: model or endpoint not found (404)`,
        status,
      );
    }
    if (status >= 500) {
      const what = status === 529 || status === 503 ? 'overloaded' : 'server error';
      return new ProviderFailure(provider, 'server', `${provider}: ${what} (${status})`, status);
    }
    return new ProviderFailure(provider, 'bad-request', `${provider}: request rejected (${status})`, status);
  }
  if (api) {
    // No status: the connection failed, or a 200 answer could not be read.
    const unreadable = /process successful response/i.test(api.message);
    return new ProviderFailure(
      provider,
      unreadable ? 'malformed' : 'network',
      unreadable ? `${provider}: unreadable response` : `${provider}: unreachable`,
    );
  }
  const name = (err as { name?: string } | undefined)?.name ?? '';
  if (name === 'AbortError') return new ProviderFailure(provider, 'aborted', `${provider}: cancelled`);
  if (/JSONParse|TypeValidation|InvalidResponseData|NoContentGenerated|NoOutputGenerated/.test(name)) {
    return new ProviderFailure(provider, 'malformed', `${provider}: unreadable response`);
  }
  return new ProviderFailure(provider, 'network', `${provider}: request failed`);
}
