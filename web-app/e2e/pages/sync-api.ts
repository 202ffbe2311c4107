// server-lite's HTTP API as the specs use it to look at the server's side of sync: sign up, sign
// in, read everything a user has (pull from cursor 0) and push mutations. The same endpoints the
// app uses, with their own session.
import type { Mutation, PullResponse, SyncCollection, SyncSample } from '@samplemind/contract';

export type TestUser = { email: string; username: string; password: string };

let users = 0;
/** A fresh user (unique per process and run). */
export function newUser(label: string): TestUser {
  const id = `${label}${Date.now().toString(36)}${process.pid}${users++}`;
  return { email: `${id}@example.com`, username: id, password: 'correct horse battery staple' };
}

export type ServerLibrary = {
  samples: Map<string, SyncSample>;
  collections: Map<string, SyncCollection>;
  /** Last applied mutationId per clientId. */
  clients: Record<string, number>;
  /** Pull pages it took. */
  pages: number;
};

export class SyncApi {
  private token: string | null = null;

  constructor(
    readonly baseUrl: string,
    readonly user: TestUser,
  ) {}

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token) headers.set('authorization', `Bearer ${this.token}`);
    if (init.body) headers.set('content-type', 'application/json');
    return fetch(`${this.baseUrl}${path}`, { ...init, headers });
  }

  private async ok<T>(path: string, init: RequestInit = {}): Promise<T> {
    const res = await this.call(path, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${res.status}: ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async signUp(): Promise<this> {
    const res = await this.call('/api/v1/auth/register', {
      method: 'POST',
      body: JSON.stringify(this.user),
    });
    if (res.status !== 201 && res.status !== 409)
      throw new Error(`register → ${res.status}: ${await res.text()}`);
    return this.signIn();
  }

  async signIn(): Promise<this> {
    this.token = null;
    const t = await this.ok<{ access_token: string }>('/api/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ username: this.user.username, password: this.user.password }),
    });
    this.token = t.access_token;
    return this;
  }

  async me(): Promise<{ id: string; username: string }> {
    return this.ok('/api/v1/auth/me');
  }

  /** The raw pull response (status and body), for checks on what the server refuses. */
  async pullRaw(query: string): Promise<{ status: number; body: unknown }> {
    const res = await this.call(`/api/v1/sync/pull?${query}`);
    return { status: res.status, body: await res.json().catch(() => null) };
  }

  /** Everything this user has on the server: pulls from cursor 0 until hasMore is false. */
  async library(view: 'full' | 'compact' = 'full'): Promise<ServerLibrary> {
    const lib: ServerLibrary = { samples: new Map(), collections: new Map(), clients: {}, pages: 0 };
    let cursor = '0';
    for (;;) {
      const page = await this.ok<PullResponse>(
        `/api/v1/sync/pull?cursor=${cursor}&limit=${view === 'full' ? 1000 : 5000}&view=${view}`,
      );
      lib.pages++;
      for (const s of page.samples) lib.samples.set(s.id, s);
      for (const c of page.collections) lib.collections.set(c.id, c);
      lib.clients = page.clients;
      cursor = page.cursor;
      if (!page.hasMore) return lib;
    }
  }

  /** Samples that are listed on the server: analysed and not deleted. */
  async liveSamples(): Promise<SyncSample[]> {
    const lib = await this.library();
    return [...lib.samples.values()].filter((s) => !s.deleted && s.analysis);
  }

  async push(mutations: Mutation[]): Promise<{ status: number; body: unknown }> {
    const res = await this.call('/api/v1/sync/push', { method: 'POST', body: JSON.stringify({ mutations }) });
    return { status: res.status, body: await res.json().catch(() => null) };
  }
}
