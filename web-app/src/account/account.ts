import {
  type AccountPersistence,
  type AccountState,
  AccountStore,
  type AccountUser,
  IdbAccountPersistence,
  MemoryAccountPersistence,
} from './account-store';
import { ApiClient, type ApiClientOptions, sessionFromTokens } from './api-client';
import { ApiError } from './api-error';

/**
 * "localhost:8080", "https://sm.example.com/", "sm.example.com/base" → a base URL without a trailing
 * slash. Hosts without a scheme get https, except loopback and .local hosts (http).
 */
export function normaliseServerUrl(raw: string): string {
  const text = raw.trim();
  if (!text) throw new ApiError('no-server', 'Enter the address of your SampleMind server.');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text)
    ? text
    : `${/^(localhost|127\.|\[::1\]|[^/:]+\.local\b)/i.test(text) ? 'http' : 'https'}://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ApiError('no-server', `“${text}” is not a web address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ApiError('no-server', 'The server address must start with http:// or https://.');
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

export type SignUpInput = { email: string; username: string; password: string };

/** The app's connection to server-lite: which server, who is signed in, and the API client. */
export class Account {
  readonly api: ApiClient;

  constructor(
    readonly store: AccountStore,
    options: ApiClientOptions = {},
  ) {
    this.api = new ApiClient(store, options);
  }

  get state(): AccountState {
    return this.store.get();
  }

  /**
   * Checks that a SampleMind server answers at `raw` (GET /health) and makes it the app's server.
   * Changing the server signs out: tokens belong to the server that issued them.
   */
  async connect(raw: string, signal?: AbortSignal): Promise<string> {
    const url = normaliseServerUrl(raw);
    await this.store.ready;
    const probe = new AbortController();
    const timer = setTimeout(() => probe.abort(), 10_000);
    signal?.addEventListener('abort', () => probe.abort(), { once: true });
    let res: Response;
    try {
      res = await this.api.fetchImpl(`${url}/health`, {
        signal: probe.signal,
        headers: { accept: 'application/json' },
      });
    } catch {
      throw new ApiError(
        'unreachable',
        probe.signal.aborted && !signal?.aborted
          ? `No answer from ${url} within 10 s.`
          : `Can't reach ${url}. Check the address, that the server is running, and that it allows this site (CORS_ORIGINS).`,
      );
    } finally {
      clearTimeout(timer);
    }
    const body = (await res.json().catch(() => null)) as { status?: unknown } | null;
    if (!res.ok || body?.status !== 'ok')
      throw new ApiError('bad-response', `${url} does not look like a SampleMind server (no /health).`);
    if (url !== this.state.serverUrl) {
      if (this.state.session) await this.signOut();
      await this.store.update({ serverUrl: url, session: null, user: null, endedReason: null });
    }
    return url;
  }

  /** Forgets the server (and signs out of it). */
  async disconnect(): Promise<void> {
    if (this.state.session) await this.signOut();
    await this.store.update({ serverUrl: null, session: null, user: null, endedReason: null });
  }

  async signUp(input: SignUpInput): Promise<AccountUser> {
    await this.api.json('/api/v1/auth/register', { method: 'POST', auth: false }, input);
    return this.signIn(input.username, input.password);
  }

  /** `login` is a username or an email address. */
  async signIn(login: string, password: string): Promise<AccountUser> {
    const tokens = await this.api.json(
      '/api/v1/auth/login',
      { method: 'POST', auth: false },
      {
        username: login.trim(),
        password,
      },
    );
    await this.store.update({ session: sessionFromTokens(tokens, Date.now()), endedReason: null });
    return this.refreshUser();
  }

  /** GET /auth/me, kept with the account so the UI can show who is signed in offline. */
  async refreshUser(): Promise<AccountUser> {
    const me = await this.api.json<{ id: string; email: string; username: string }>('/api/v1/auth/me');
    const user = { id: me.id, email: me.email, username: me.username };
    await this.store.update({ user });
    return user;
  }

  /**
   * Revokes the session on the server when it can be reached (a short wait at most), and always
   * forgets the tokens here.
   */
  async signOut(): Promise<void> {
    const s = this.state.session;
    if (s && this.state.serverUrl) {
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), 5000);
      try {
        await this.api.json(
          '/api/v1/auth/logout',
          { method: 'POST', signal: ctl.signal },
          { refresh_token: s.refreshToken },
        );
      } catch {
        // Offline or already revoked: forgetting the tokens is what matters here.
      } finally {
        clearTimeout(timer);
      }
    }
    await this.api.endSession(null);
  }
}

let shared: Account | null = null;

function defaultPersistence(): AccountPersistence {
  return typeof indexedDB !== 'undefined' ? new IdbAccountPersistence() : new MemoryAccountPersistence();
}

/** The app's one account (main thread). */
export function getAccount(): Account {
  shared ??= new Account(new AccountStore(defaultPersistence()));
  return shared;
}

/** Tests swap the account (e.g. one pointing at a test server). */
export function setAccount(account: Account | null): void {
  shared = account;
}
