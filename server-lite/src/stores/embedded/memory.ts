import { EventEmitter } from 'node:events';
import { LRUCache } from 'lru-cache';
import type { Cache, Counters, Pokes } from '../types';

type Group = { gen: string; fields: Map<string, { value: Buffer; expires: number }> };

/** In-process cache: an LRU of per-user groups. Reads and fills are synchronous, so fills never race. */
export class MemoryCache implements Cache {
  readonly backend = 'memory' as const;
  private readonly groups: LRUCache<string, Group>;
  private readonly keys: LRUCache<string, string>;
  private genCounter = 0;

  constructor(maxGroups = 10_000, maxKeys = 100_000) {
    this.groups = new LRUCache({ max: maxGroups });
    this.keys = new LRUCache({ max: maxKeys, ttlAutopurge: false });
  }

  async read(group: string, field: string) {
    const g = this.groups.get(group);
    if (!g) return { gen: null, value: null };
    const e = g.fields.get(field);
    if (!e || e.expires < Date.now()) return { gen: g.gen, value: null };
    return { gen: g.gen, value: e.value };
  }

  async fill(group: string, field: string, value: Buffer, gen: string | null, ttlSec: number) {
    let g = this.groups.get(group);
    if ((g?.gen ?? null) !== gen) return;
    if (!g) {
      g = { gen: `g${++this.genCounter}`, fields: new Map() };
      this.groups.set(group, g);
    }
    if (g.fields.size > 1000) g.fields.clear();
    g.fields.set(field, { value, expires: Date.now() + ttlSec * 1000 });
  }

  async invalidate(group: string) {
    // A fresh generation (not a delete) so a fill that read the old generation is dropped.
    this.groups.set(group, { gen: `g${++this.genCounter}`, fields: new Map() });
  }

  async get(key: string) {
    return this.keys.get(key) ?? null;
  }

  async set(key: string, value: string, ttlSec: number) {
    this.keys.set(key, value, { ttl: ttlSec * 1000 });
  }

  async ping() {}
  async close() {
    this.groups.clear();
    this.keys.clear();
  }
}

export class MemoryCounters implements Counters {
  private readonly windows = new LRUCache<string, { count: number; resetAt: number }>({ max: 100_000 });

  async incr(key: string, windowMs: number) {
    return this.incrSync(key, windowMs);
  }

  incrSync(key: string, windowMs: number) {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return { count: w.count, ttlMs: w.resetAt - now };
  }

  async reset(key: string) {
    this.windows.delete(key);
  }
}

export class MemoryPokes implements Pokes {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  async publish(userId: string) {
    this.emitter.emit('poke', userId);
  }
  subscribe(listener: (userId: string) => void) {
    this.emitter.on('poke', listener);
    return () => this.emitter.off('poke', listener);
  }
}
