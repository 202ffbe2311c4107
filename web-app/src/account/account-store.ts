import { Dexie, type Table } from 'dexie';

/** An access/refresh token pair as kept on the device. Times are this device's clock (ms). */
export type Session = {
  accessToken: string;
  refreshToken: string;
  /** When the access token stops working (issue time + expires_in). */
  expiresAt: number;
  issuedAt: number;
};

export type AccountUser = { id: string; email: string; username: string };

/** What is persisted: the server this app talks to and who is signed in there. */
export type PersistedAccount = {
  /** Normalised base URL (no trailing slash), or null when no server is set. */
  serverUrl: string | null;
  session: Session | null;
  user: AccountUser | null;
  /** Why the server ended the last session (revoked, expired); shown until the next sign-in. */
  endedReason: string | null;
};

export type AccountState = PersistedAccount & {
  /** False until the persisted state has been read (the UI shows nothing account-related before). */
  loaded: boolean;
};

export const EMPTY_ACCOUNT: PersistedAccount = {
  serverUrl: null,
  session: null,
  user: null,
  endedReason: null,
};

/** Where the account lives between page loads. */
export interface AccountPersistence {
  load(): Promise<PersistedAccount | null>;
  save(value: PersistedAccount): Promise<void>;
}

type KvRow = { key: string; value: unknown };

/**
 * Tokens are kept in IndexedDB (its own small database, not the library's), not localStorage:
 * - refresh tokens rotate and a reused one revokes the whole session, so tabs must never refresh
 *   with a stale copy. Under a Web Lock, an IndexedDB read sees the other tab's finished write at
 *   once; localStorage changes reach other tabs' caches asynchronously (Chromium), which leaves a
 *   window where two tabs both spend the same refresh token;
 * - workers (the sync engine, issue 6) can read IndexedDB; they cannot read localStorage.
 * Both are equally readable by script injected into the page, so neither protects against XSS
 * (server-lite's CSP is the defence there); the access token lives 15 minutes.
 */
export class IdbAccountPersistence implements AccountPersistence {
  private readonly db: Dexie & { kv: Table<KvRow, string> };

  constructor(name = 'samplemind-account') {
    this.db = new Dexie(name) as Dexie & { kv: Table<KvRow, string> };
    this.db.version(1).stores({ kv: 'key' });
  }

  async load(): Promise<PersistedAccount | null> {
    const row = await this.db.kv.get('account');
    return row ? parsePersisted(row.value) : null;
  }

  async save(value: PersistedAccount): Promise<void> {
    await this.db.kv.put({ key: 'account', value });
  }

  close(): void {
    this.db.close();
  }
}

/** For tests and for browsers that refuse IndexedDB (the account then lasts one page load). */
export class MemoryAccountPersistence implements AccountPersistence {
  value: PersistedAccount | null = null;
  async load() {
    return this.value;
  }
  async save(value: PersistedAccount) {
    this.value = structuredClone(value);
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Anything read back from storage is checked field by field: an older or damaged record is dropped, not trusted. */
export function parsePersisted(raw: unknown): PersistedAccount {
  if (!raw || typeof raw !== 'object') return { ...EMPTY_ACCOUNT };
  const r = raw as Record<string, unknown>;
  const s = (r.session ?? null) as Record<string, unknown> | null;
  const u = (r.user ?? null) as Record<string, unknown> | null;
  const session =
    s && str(s.accessToken) && str(s.refreshToken) && num(s.expiresAt) !== null
      ? {
          accessToken: str(s.accessToken)!,
          refreshToken: str(s.refreshToken)!,
          expiresAt: num(s.expiresAt)!,
          issuedAt: num(s.issuedAt) ?? 0,
        }
      : null;
  const user =
    u && str(u.id) && typeof u.username === 'string'
      ? { id: str(u.id)!, email: String(u.email ?? ''), username: u.username }
      : null;
  const serverUrl = str(r.serverUrl);
  return {
    serverUrl,
    session: serverUrl ? session : null,
    user: serverUrl && session ? user : null,
    endedReason: str(r.endedReason),
  };
}

const same = (a: PersistedAccount, b: PersistedAccount) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The account state, in memory for synchronous reads (React's useSyncExternalStore), persisted on
 * every change and shared between tabs: a change posts on a BroadcastChannel and the other tabs
 * re-read the persisted record.
 */
export class AccountStore {
  private state: AccountState = { ...EMPTY_ACCOUNT, loaded: false };
  private readonly listeners = new Set<() => void>();
  private readonly channel: BroadcastChannel | null;
  private saving: Promise<void> = Promise.resolve();
  /** Resolves once the persisted state has been read. */
  readonly ready: Promise<void>;

  constructor(
    private readonly persistence: AccountPersistence,
    options: { channelName?: string | null } = {},
  ) {
    const name = options.channelName === undefined ? 'samplemind-account' : options.channelName;
    this.channel = name && typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel(name) : null;
    if (this.channel) {
      this.channel.onmessage = () => void this.reload();
      // Node keeps a process alive while a channel is open; a browser ignores this.
      (this.channel as { unref?: () => void }).unref?.();
    }
    this.ready = this.reload();
  }

  get = (): AccountState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Re-reads the persisted state (another tab may have changed it). */
  async reload(): Promise<void> {
    await this.saving;
    let next: PersistedAccount;
    try {
      next = (await this.persistence.load()) ?? { ...EMPTY_ACCOUNT };
    } catch {
      next = { ...EMPTY_ACCOUNT };
    }
    const { loaded, ...current } = this.state;
    if (loaded && same(current, next)) return;
    this.state = { ...next, loaded: true };
    this.emit();
  }

  /** Changes the state at once for readers; resolves when it is persisted and announced to other tabs. */
  async update(patch: Partial<PersistedAccount>): Promise<void> {
    const { loaded: _, ...current } = this.state;
    const next = { ...current, ...patch };
    if (same(current, next)) return;
    this.state = { ...next, loaded: true };
    this.emit();
    const snapshot = structuredClone(next);
    this.saving = this.saving
      .then(() => this.persistence.save(snapshot))
      .catch(() => {
        // Storage refused (private mode, quota): the account still works for this page load.
      });
    await this.saving;
    this.channel?.postMessage('changed');
  }

  close(): void {
    this.channel?.close();
  }

  private emit() {
    for (const l of this.listeners) l();
  }
}
