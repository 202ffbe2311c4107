import type { AiStore } from './store';

/**
 * The part of a node-redis v5 client this store uses. A `RedisClientType` (e.g. server-lite's
 * RedisConnection.client) fits as is; raw commands keep us clear of the client's reply typings.
 */
export type RedisCommandClient = {
  readonly isReady?: boolean;
  sendCommand(args: string[]): Promise<unknown>;
};

// INCRBY that sets the TTL only when it creates the counter, atomically.
const INCR_BY = `
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if n == tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return n`;

export type RedisAiStoreOptions = {
  /** Namespace of every key. */
  prefix?: string;
  /** Each command gives up after this long, so a stalled Redis costs a request at most this. */
  opTimeoutMs?: number;
  onError?: (err: Error) => void;
};

/** Shared cache and counters in Redis, so several server instances share answers and limits. */
export class RedisAiStore implements AiStore {
  readonly backend = 'redis';
  private readonly prefix: string;
  private readonly opTimeoutMs: number;

  constructor(
    private readonly client: RedisCommandClient,
    private readonly options: RedisAiStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'sm:';
    this.opTimeoutMs = options.opTimeoutMs ?? 300;
  }

  private async run(args: string[]): Promise<unknown> {
    if (this.client.isReady === false) throw new Error('redis is not connected');
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.client.sendCommand(args),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('redis timed out')), this.opTimeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private fail(err: unknown): null {
    this.options.onError?.(err instanceof Error ? err : new Error(String(err)));
    return null;
  }

  async get(key: string) {
    try {
      const v = await this.run(['GET', this.prefix + key]);
      return typeof v === 'string' ? v : null;
    } catch (e) {
      return this.fail(e);
    }
  }

  async getMany(keys: string[]) {
    if (keys.length === 0) return [];
    try {
      const v = await this.run(['MGET', ...keys.map((k) => this.prefix + k)]);
      return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : null)) : keys.map(() => null);
    } catch (e) {
      this.fail(e);
      return keys.map(() => null);
    }
  }

  async set(key: string, value: string, ttlSec: number) {
    try {
      await this.run(['SET', this.prefix + key, value, 'EX', String(Math.max(1, Math.round(ttlSec)))]);
    } catch (e) {
      this.fail(e);
    }
  }

  async incrBy(key: string, by: number, ttlSec: number) {
    try {
      const n = await this.run([
        'EVAL',
        INCR_BY,
        '1',
        this.prefix + key,
        String(Math.round(by)),
        String(Math.max(1, Math.round(ttlSec))),
      ]);
      return typeof n === 'number' ? n : Number(n);
    } catch (e) {
      return this.fail(e);
    }
  }

  async peek(key: string) {
    try {
      const v = await this.run(['GET', this.prefix + key]);
      return v === null ? 0 : Number(v);
    } catch (e) {
      return this.fail(e);
    }
  }
}
