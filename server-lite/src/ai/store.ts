import { LRUCache } from 'lru-cache';

/**
 * Answer cache. Structurally the get/set half of server-lite's store Cache, so either fits.
 * Implementations never throw: a broken backend reads as a miss and drops the write.
 */
export interface AiCache {
  readonly backend: string;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSec: number): Promise<void>;
  /** One round trip for several keys, when the backend can. */
  getMany?(keys: string[]): Promise<(string | null)[]>;
}

/**
 * Counters for the per-user rate limit and token budget. `incrBy` adds atomically and returns the
 * new total; the TTL is set when the counter is created. A broken backend returns null (the
 * limiter then lets the request through rather than locking everyone out).
 */
export interface AiCounters {
  incrBy(key: string, by: number, ttlSec: number): Promise<number | null>;
  peek(key: string): Promise<number | null>;
}

export type AiStore = AiCache & AiCounters;

/** In-process LRU with per-entry TTL; the default when no Redis is configured. */
export class MemoryAiStore implements AiStore {
  readonly backend = 'memory';
  private readonly entries: LRUCache<string, string>;
  private readonly counters = new LRUCache<string, { n: number; expires: number }>({ max: 100_000 });

  constructor(maxEntries = 10_000) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  async get(key: string) {
    return this.entries.get(key) ?? null;
  }

  async getMany(keys: string[]) {
    return keys.map((k) => this.entries.get(k) ?? null);
  }

  async set(key: string, value: string, ttlSec: number) {
    this.entries.set(key, value, { ttl: ttlSec * 1000 });
  }

  async incrBy(key: string, by: number, ttlSec: number) {
    const now = Date.now();
    let c = this.counters.get(key);
    if (!c || c.expires <= now) {
      c = { n: 0, expires: now + ttlSec * 1000 };
      this.counters.set(key, c);
    }
    c.n += by;
    return c.n;
  }

  async peek(key: string) {
    const c = this.counters.get(key);
    return c && c.expires > Date.now() ? c.n : 0;
  }
}
