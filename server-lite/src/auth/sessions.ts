import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Cache, DocumentStore, Pokes } from '../stores/types';

/** Poke message announcing a revoked session (user pokes are bare user ids). */
export const REVOKED = 'revoked:';

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

export type RefreshResult =
  | { ok: true; sessionId: string; userId: string; refreshToken: string }
  | { ok: false; reason: 'invalid' | 'expired' | 'revoked' | 'reused' };

/**
 * Refresh-token families. A refresh token is `${sessionId}.${secret}`; the store keeps a hash of the
 * current secret. Each refresh rotates it; presenting any other secret for a live session means a
 * stolen or replayed token, so the whole family (and its access tokens, which carry the session id)
 * is revoked. Session status is cached so access-token checks rarely reach the document store.
 */
export class SessionService {
  /** session id → until when it is known active (only with a shared cache; see localMs). */
  private readonly local = new Map<string, number>();
  private readonly unsubscribe: () => void;

  /**
   * `localMs` > 0 keeps "active" answers in process for that long, saving a shared-cache round trip
   * per request. Revocations are broadcast (pokes), so other instances drop them at once; if a
   * broadcast is lost, `localMs` bounds how long a revoked token can still pass.
   */
  constructor(
    private readonly docs: DocumentStore,
    private readonly cache: Cache,
    private readonly pokes: Pokes,
    private readonly refreshTtlSec: number,
    private readonly statusTtlSec: number,
    private readonly localMs = 0,
  ) {
    this.unsubscribe = pokes.subscribe((msg) => {
      if (msg.startsWith(REVOKED)) this.local.delete(msg.slice(REVOKED.length));
    });
  }

  close(): void {
    this.unsubscribe();
    this.local.clear();
  }

  async create(userId: string): Promise<{ sessionId: string; refreshToken: string }> {
    const sessionId = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const now = Date.now();
    await this.docs.createSession({
      id: sessionId,
      userId,
      tokenHash: sha256(secret),
      expiresAt: now + this.refreshTtlSec * 1000,
      revoked: false,
      createdAt: now,
    });
    return { sessionId, refreshToken: `${sessionId}.${secret}` };
  }

  async refresh(token: string): Promise<RefreshResult> {
    const dot = token.indexOf('.');
    if (dot <= 0) return { ok: false, reason: 'invalid' };
    const sessionId = token.slice(0, dot);
    const presented = sha256(token.slice(dot + 1));
    const s = await this.docs.getSession(sessionId);
    if (!s) return { ok: false, reason: 'invalid' };
    if (s.revoked) return { ok: false, reason: 'revoked' };
    if (s.expiresAt <= Date.now()) return { ok: false, reason: 'expired' };
    if (s.tokenHash !== presented) {
      await this.revoke(sessionId);
      return { ok: false, reason: 'reused' };
    }
    const secret = randomBytes(32).toString('base64url');
    const rotated = await this.docs.rotateSession(sessionId, presented, {
      tokenHash: sha256(secret),
      expiresAt: Date.now() + this.refreshTtlSec * 1000,
    });
    if (!rotated) {
      // Someone rotated it between our read and write: the same token was used twice.
      await this.revoke(sessionId);
      return { ok: false, reason: 'reused' };
    }
    return { ok: true, sessionId, userId: s.userId, refreshToken: `${sessionId}.${secret}` };
  }

  /** Session id of a refresh token, if well-formed (the caller checks ownership). */
  static sessionOf(token: string): string | null {
    const dot = token.indexOf('.');
    return dot > 0 ? token.slice(0, dot) : null;
  }

  async owner(sessionId: string): Promise<string | null> {
    return (await this.docs.getSession(sessionId))?.userId ?? null;
  }

  async revoke(sessionId: string): Promise<void> {
    this.local.delete(sessionId);
    await this.docs.revokeSession(sessionId);
    await this.cache.set(`sess:${sessionId}`, 'r', Math.max(this.statusTtlSec, 60));
    await this.pokes.publish(`${REVOKED}${sessionId}`);
  }

  /** Whether access tokens of this session are still good. */
  async isActive(sessionId: string): Promise<boolean> {
    if (this.localMs > 0 && (this.local.get(sessionId) ?? 0) > Date.now()) return true;
    const cached = await this.cache.get(`sess:${sessionId}`);
    let active: boolean;
    if (cached !== null) active = cached === 'a';
    else {
      const s = await this.docs.getSession(sessionId);
      active = !!s && !s.revoked && s.expiresAt > Date.now();
      await this.cache.set(`sess:${sessionId}`, active ? 'a' : 'r', this.statusTtlSec);
    }
    if (active && this.localMs > 0) {
      if (this.local.size > 100_000) this.local.clear();
      this.local.set(sessionId, Date.now() + this.localMs);
    }
    return active;
  }
}
