import { randomBytes } from 'node:crypto';
import type { RedisClientType } from 'redis';
import { MemoryCounters } from '../embedded/memory';
import type { Cache, Counters, Pokes } from '../types';
import type { Log, RedisConnection } from './client';

const FILL = `
local g = redis.call('HGET', KEYS[1], '_gen')
if (g == false and ARGV[1] == '') or g == ARGV[1] then
  if g == false then redis.call('HSET', KEYS[1], '_gen', ARGV[4]) end
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
end
return 1`;

const INVALIDATE = `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], '_gen', ARGV[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1`;

const INCR = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1])) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1])); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

const newGen = () => randomBytes(6).toString('base64url');

/** Shared cache in Redis. Any Redis error reads as a miss and skips the write. */
export class RedisCache implements Cache {
  readonly backend = 'redis' as const;
  constructor(
    private readonly conn: RedisConnection,
    private readonly prefix: string,
    private readonly groupTtlSec = 3600,
  ) {}

  async read(group: string, field: string) {
    try {
      const [gen, value] = (await this.conn.run(
        (c) => c.hmGet(this.prefix + group, ['_gen', field]),
        undefined,
        this.conn.buffers,
      )) as unknown as (Buffer | null)[];
      return { gen: gen ? gen.toString() : null, value: value ?? null };
    } catch {
      return { gen: null, value: null };
    }
  }

  async fill(group: string, field: string, value: Buffer, gen: string | null, ttlSec: number) {
    try {
      await this.conn.script(
        FILL,
        [this.prefix + group],
        [gen ?? '', field, value, newGen(), String(Math.max(ttlSec, 1))],
      );
    } catch {}
  }

  async invalidate(group: string) {
    try {
      await this.conn.script(INVALIDATE, [this.prefix + group], [newGen(), String(this.groupTtlSec)]);
    } catch {}
  }

  async get(key: string) {
    try {
      return await this.conn.run((c) => c.get(this.prefix + key));
    } catch {
      return null;
    }
  }

  async set(key: string, value: string, ttlSec: number) {
    try {
      await this.conn.run((c) =>
        c.set(this.prefix + key, value, { expiration: { type: 'EX', value: ttlSec } }),
      );
    } catch {}
  }

  async ping() {
    await this.conn.run((c) => c.ping());
  }

  async close() {}
}

/** Counters shared by every instance; while Redis is down each instance counts on its own. */
export class RedisCounters implements Counters {
  private readonly local = new MemoryCounters();
  constructor(
    private readonly conn: RedisConnection,
    private readonly prefix: string,
  ) {}

  async incr(key: string, windowMs: number) {
    try {
      const [count, ttlMs] = (await this.conn.script(
        INCR,
        [`${this.prefix}rl:${key}`],
        [String(windowMs)],
      )) as [number, number];
      return { count: Number(count), ttlMs: Number(ttlMs) };
    } catch {
      return this.local.incrSync(key, windowMs);
    }
  }

  async reset(key: string) {
    await this.local.reset(key);
    try {
      await this.conn.run((c) => c.del(`${this.prefix}rl:${key}`));
    } catch {}
  }
}

/** Change pokes over Redis pub/sub (a second connection, as subscribing takes one over). */
export class RedisPokes implements Pokes {
  private readonly listeners = new Set<(userId: string) => void>();
  private subscribed = false;

  private readonly channel: string;
  constructor(
    private readonly conn: RedisConnection,
    private readonly sub: RedisConnection,
    private readonly log: Log,
    prefix: string,
  ) {
    this.channel = `${prefix}pokes`;
  }

  async start(): Promise<void> {
    const attach = async () => {
      if (this.subscribed) return;
      this.subscribed = true;
      await (this.sub.client as RedisClientType).subscribe(this.channel, (userId: string) => {
        for (const l of this.listeners) l(userId);
      });
    };
    if (this.sub.ready)
      await attach().catch((e) => this.log.warn({ err: String(e) }, 'redis subscribe failed'));
    else this.sub.client.once('ready', () => void attach().catch(() => undefined));
  }

  async publish(userId: string) {
    try {
      await this.conn.run((c) => c.publish(this.channel, userId));
    } catch {}
  }

  subscribe(listener: (userId: string) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
