/**
 * Every failure of a call to server-lite, as one error type the UI can word plainly. Messages are
 * safe to show: the server's own messages are written for users (5xx bodies carry no internals).
 */
export type ApiErrorKind =
  /** No server address set in Settings. */
  | 'no-server'
  /** Not signed in, or the server ended the session (revoked, expired, reused refresh token). */
  | 'signed-out'
  /** The request never got an answer: offline, wrong address, server down, CORS refusal. */
  | 'unreachable'
  /** The caller aborted. */
  | 'cancelled'
  /** The server answered with an error status. */
  | 'http'
  /** The server answered 2xx with something that is not what the contract says. */
  | 'bad-response';

export type ApiAttempt = { provider: string; message: string };

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status = 0,
    /** The server's stable code (`error` field), e.g. "rate-limited", "ai-not-configured". */
    readonly code: string = kind,
    readonly extra: { retryAfterSec?: number; attempts?: ApiAttempt[]; requestId?: string } = {},
  ) {
    super(message);
  }

  get retryAfterSec(): number | undefined {
    return this.extra.retryAfterSec;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

export function noServerError(): ApiError {
  return new ApiError('no-server', 'Connect a SampleMind server in Settings first.');
}

/** Not signed in; with a reason when the server ended the session (code "session-ended"). */
export function signedOutError(reason?: string | null): ApiError {
  return reason
    ? new ApiError('signed-out', reason, 401, 'session-ended')
    : new ApiError('signed-out', 'Sign in to your SampleMind server in Settings first.', 401, 'signed-out');
}

export function cancelledError(): ApiError {
  return new ApiError('cancelled', 'Cancelled.');
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

type ErrorBody = {
  error?: unknown;
  message?: unknown;
  requestId?: unknown;
  issues?: { path?: unknown; message?: unknown }[];
  attempts?: ApiAttempt[];
};

const capitalise = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);

/** The error body's words, with validation issues spelled out ("password: at least 8 characters"). */
export function errorFromBody(status: number, body: unknown, retryAfterSec?: number): ApiError {
  const b = (body && typeof body === 'object' ? body : {}) as ErrorBody;
  const code = typeof b.error === 'string' ? b.error : `http-${status}`;
  let message = typeof b.message === 'string' && b.message ? b.message : `The server answered ${status}.`;
  if (Array.isArray(b.issues) && b.issues.length > 0) {
    message = b.issues
      .map((i) => (i.path ? `${String(i.path)}: ${String(i.message ?? 'invalid')}` : String(i.message)))
      .join('; ');
  }
  return new ApiError('http', capitalise(message), status, code, {
    ...(retryAfterSec !== undefined ? { retryAfterSec } : {}),
    ...(Array.isArray(b.attempts) ? { attempts: b.attempts } : {}),
    ...(typeof b.requestId === 'string' ? { requestId: b.requestId } : {}),
  });
}

/** Reads an error answer (JSON or not) into an ApiError. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
  let body: unknown = null;
  try {
    const text = await res.text();
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's HTML page, say): the status alone speaks.
  }
  if (res.status === 502 && !body)
    return new ApiError('unreachable', 'A proxy in front of the SampleMind server could not reach it.', 502);
  return errorFromBody(res.status, body, retryAfter);
}

/** fetch() rejected: the caller aborted, or the request never got an answer. */
export function errorFromFetchFailure(
  err: unknown,
  serverUrl: string,
  signal?: AbortSignal | null,
): ApiError {
  if (signal?.aborted || (err as { name?: string })?.name === 'AbortError') return cancelledError();
  return new ApiError(
    'unreachable',
    `Can't reach the SampleMind server at ${serverUrl}. Check the address and your connection (or whether the server allows this site in CORS_ORIGINS).`,
  );
}
