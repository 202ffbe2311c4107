import type { AccountStore, Session } from './account-store';
import {
  ApiError,
  errorFromFetchFailure,
  errorFromResponse,
  noServerError,
  signedOutError,
} from './api-error';

/** The subset of the Web Locks API used here (navigator.locks in browsers). */
export type LockLike = { request<T>(name: string, callback: () => Promise<T>): Promise<T> };

export type ApiClientOptions = {
  fetch?: typeof fetch;
  /** Serialises refreshes across tabs; default navigator.locks when the browser has it. */
  locks?: LockLike | null;
  now?: () => number;
};

export type ApiRequestInit = Omit<RequestInit, 'headers'> & {
  headers?: Record<string, string>;
  /** Send the bearer token (default true). */
  auth?: boolean;
  /** Non-2xx statuses the caller reads itself (e.g. 409 from sync push, whose body is the answer). */
  okStatuses?: number[];
};

const REFRESH_LOCK = 'samplemind-auth-refresh';

/** Refresh a little before expiry so a request does not set off with a token that dies on the way. */
function expiring(s: Session, now: number): boolean {
  const margin = Math.min(30_000, Math.max(0, (s.expiresAt - s.issuedAt) / 4));
  return now >= s.expiresAt - margin;
}

export function sessionFromTokens(body: unknown, now: number): Session {
  const b = (body ?? {}) as Record<string, unknown>;
  if (
    typeof b.access_token !== 'string' ||
    typeof b.refresh_token !== 'string' ||
    typeof b.expires_in !== 'number'
  )
    throw new ApiError('bad-response', 'The server answered the sign-in with something unexpected.');
  return {
    accessToken: b.access_token,
    refreshToken: b.refresh_token,
    issuedAt: now,
    expiresAt: now + b.expires_in * 1000,
  };
}

function defaultLocks(): LockLike | null {
  const locks = (globalThis.navigator as (Navigator & { locks?: LockManager }) | undefined)?.locks;
  return locks
    ? { request: <T>(name: string, cb: () => Promise<T>) => locks.request(name, cb) as Promise<T> }
    : null;
}

/**
 * HTTP client for server-lite. Adds the bearer token, and when the server says 401 refreshes the
 * token pair once and retries. Refreshing is single-flight: concurrent requests that all find the
 * token stale share one POST /auth/refresh, and under a Web Lock so two tabs never spend the same
 * (rotating) refresh token, which would make the server revoke the session. A refused refresh
 * ends the session on this device and every caller gets a `signed-out` ApiError.
 */
export class ApiClient {
  private refreshing: Promise<string> | null = null;
  /** The transport (injectable for tests); also used for unauthenticated probes. */
  readonly fetchImpl: typeof fetch;
  private readonly locks: LockLike | null;
  private readonly now: () => number;

  constructor(
    readonly store: AccountStore,
    options: ApiClientOptions = {},
  ) {
    // Unbound window.fetch throws "Illegal invocation" in browsers.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.locks = options.locks === undefined ? defaultLocks() : options.locks;
    this.now = options.now ?? Date.now;
  }

  /** Sends a request; resolves with a 2xx response or throws an ApiError. */
  async request(path: string, init: ApiRequestInit = {}): Promise<Response> {
    await this.store.ready;
    const base = this.store.get().serverUrl;
    if (!base) throw noServerError();
    if (init.auth === false) return this.checked(await this.send(base, path, init, null), init);

    const token = await this.accessToken();
    let res = await this.send(base, path, init, token);
    if (res.status !== 401) return this.checked(res, init);

    // Expired or revoked: one refresh, one retry.
    await res.body?.cancel().catch(() => {});
    const fresh = await this.tokenAfterRejection(token);
    res = await this.send(base, path, init, fresh);
    if (res.status === 401) {
      const err = await errorFromResponse(res);
      await this.endSession(`The server ended your session (${err.message}). Sign in again.`);
      throw signedOutError(this.store.get().endedReason);
    }
    return this.checked(res, init);
  }

  /** GET/POST JSON helper. */
  async json<T>(path: string, init: ApiRequestInit = {}, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.request(path, {
      ...init,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status === 204) return undefined as T;
    try {
      return (await res.json()) as T;
    } catch (e) {
      throw this.readFailure(e, init.signal);
    }
  }

  /** Turns a failure while reading a body into an ApiError (abort, lost connection, not JSON). */
  readFailure(e: unknown, signal?: AbortSignal | null): ApiError {
    if (e instanceof ApiError) return e;
    if (signal?.aborted || (e as { name?: string })?.name === 'AbortError')
      return errorFromFetchFailure(e, '', signal);
    if (e instanceof SyntaxError)
      return new ApiError('bad-response', 'The server answered with something that is not JSON.');
    return new ApiError('unreachable', 'The connection to the server was lost.');
  }

  /** The access token to send now: the stored one, or a refreshed one when it is about to expire. */
  async accessToken(): Promise<string> {
    const s = this.store.get().session;
    if (!s) throw signedOutError(this.store.get().endedReason);
    if (!expiring(s, this.now())) return s.accessToken;
    return this.refresh(s.refreshToken);
  }

  /** After a 401: a token someone else already refreshed, else a refresh. */
  private async tokenAfterRejection(rejected: string): Promise<string> {
    const s = this.store.get().session;
    if (!s) throw signedOutError(this.store.get().endedReason);
    if (s.accessToken !== rejected) return s.accessToken;
    return this.refresh(s.refreshToken);
  }

  /**
   * New tokens for the refresh token the caller saw. Callers arriving while a refresh is in flight
   * share it; inside the lock the stored pair is re-read, and if another tab rotated it meanwhile
   * its tokens are used instead of spending the old refresh token again.
   */
  refresh(seenRefreshToken?: string): Promise<string> {
    const seen = seenRefreshToken ?? this.store.get().session?.refreshToken;
    if (!this.refreshing) {
      const run = () => this.doRefresh(seen);
      this.refreshing = (this.locks ? this.locks.request(REFRESH_LOCK, run) : run()).finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(seen: string | undefined): Promise<string> {
    await this.store.reload();
    const { serverUrl, session } = this.store.get();
    if (!serverUrl) throw noServerError();
    if (!session) throw signedOutError(this.store.get().endedReason);
    if (session.refreshToken !== seen && !expiring(session, this.now())) return session.accessToken;

    const res = await this.send(
      serverUrl,
      '/api/v1/auth/refresh',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: session.refreshToken }),
      },
      null,
    );
    if (res.status === 401 || res.status === 400) {
      const err = await errorFromResponse(res);
      await this.endSession(`Your session ended (${err.message}). Sign in again.`);
      throw signedOutError(this.store.get().endedReason);
    }
    if (!res.ok) throw await errorFromResponse(res);
    let next: Session;
    try {
      next = sessionFromTokens(await res.json(), this.now());
    } catch (e) {
      throw this.readFailure(e);
    }
    // The server has already retired the old refresh token: store the new pair before anyone can use it.
    await this.store.update({ session: next });
    return next.accessToken;
  }

  async endSession(reason: string | null): Promise<void> {
    await this.store.update({ session: null, user: null, endedReason: reason });
  }

  private async send(base: string, path: string, init: ApiRequestInit, token: string | null) {
    const { auth: _auth, okStatuses: _ok, headers, ...rest } = init;
    const h: Record<string, string> = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    try {
      return await this.fetchImpl(`${base}${path}`, { ...rest, headers: h });
    } catch (e) {
      throw errorFromFetchFailure(e, base, init.signal);
    }
  }

  private async checked(res: Response, init: ApiRequestInit): Promise<Response> {
    if (res.ok || init.okStatuses?.includes(res.status)) return res;
    throw await errorFromResponse(res);
  }
}
