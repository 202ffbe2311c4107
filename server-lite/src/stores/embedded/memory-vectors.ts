import type { SampleFilters } from '@samplemind/contract';
import type { VectorIndex, VectorMeta } from '../types';

type UserIndex = {
  ids: string[];
  pos: Map<string, number>;
  /** Row-major, unit-normalised: cosine similarity is a dot product. */
  data: Float32Array;
  meta: VectorMeta[];
  dim: number;
};

function metaMatches(m: VectorMeta, f: SampleFilters): boolean {
  if (f.type && f.type.length > 0 && !f.type.includes(m.type as never)) return false;
  if (f.key && m.keyTonic !== f.key) return false;
  if (f.scale && m.keyScale !== f.scale) return false;
  if (f.bpmMin !== undefined && !(m.bpm >= f.bpmMin)) return false;
  if (f.bpmMax !== undefined && !(m.bpm >= 0 && m.bpm <= f.bpmMax)) return false;
  if (f.durationMin !== undefined && m.duration < f.durationMin) return false;
  if (f.durationMax !== undefined && m.duration > f.durationMax) return false;
  if (f.isLoop !== undefined && m.isLoop !== f.isLoop) return false;
  return true;
}

export function normalise(v: ArrayLike<number>, out: Float32Array, offset = 0): void {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < v.length; i++) out[offset + i] = v[i] * inv;
}

/**
 * In-process exact search: per user, a packed Float32Array of unit vectors scanned with dot products
 * (exact cosine). A user's index is loaded on first use from the document store.
 */
export class MemoryVectorIndex implements VectorIndex {
  readonly backend = 'memory' as const;
  private readonly users = new Map<string, UserIndex>();
  private readonly loading = new Map<string, Promise<UserIndex>>();

  constructor(
    private readonly load: (userId: string) => Promise<{ id: string; vector: number[]; meta: VectorMeta }[]>,
  ) {}

  private async index(userId: string): Promise<UserIndex> {
    const have = this.users.get(userId);
    if (have) return have;
    let p = this.loading.get(userId);
    if (!p) {
      p = this.load(userId).then((items) => {
        const dim = items[0]?.vector.length ?? 0;
        const idx: UserIndex = {
          ids: [],
          pos: new Map(),
          data: new Float32Array(Math.max(16, items.length) * dim),
          meta: [],
          dim,
        };
        this.users.set(userId, idx);
        this.loading.delete(userId);
        this.put(idx, items);
        return idx;
      });
      this.loading.set(userId, p);
    }
    return p;
  }

  private put(idx: UserIndex, items: { id: string; vector: number[]; meta: VectorMeta }[]): void {
    for (const it of items) {
      if (idx.dim === 0) {
        idx.dim = it.vector.length;
        idx.data = new Float32Array(16 * idx.dim);
      }
      if (it.vector.length !== idx.dim) continue;
      let p = idx.pos.get(it.id);
      if (p === undefined) {
        p = idx.ids.length;
        if ((p + 1) * idx.dim > idx.data.length) {
          const grown = new Float32Array(idx.data.length * 2);
          grown.set(idx.data);
          idx.data = grown;
        }
        idx.ids.push(it.id);
        idx.meta.push(it.meta);
        idx.pos.set(it.id, p);
      }
      idx.meta[p] = it.meta;
      normalise(it.vector, idx.data, p * idx.dim);
    }
  }

  async upsert(userId: string, items: { id: string; vector: number[]; meta: VectorMeta }[]): Promise<void> {
    // Not loaded yet: the loader reads the document store, which already holds these.
    const idx = this.users.get(userId);
    if (idx) this.put(idx, items);
  }

  async remove(userId: string, ids: string[]): Promise<void> {
    const idx = this.users.get(userId);
    if (!idx) return;
    for (const id of ids) {
      const p = idx.pos.get(id);
      if (p === undefined) continue;
      // Move the last row into the hole.
      const last = idx.ids.length - 1;
      if (p !== last) {
        idx.data.copyWithin(p * idx.dim, last * idx.dim, (last + 1) * idx.dim);
        idx.ids[p] = idx.ids[last];
        idx.meta[p] = idx.meta[last];
        idx.pos.set(idx.ids[p], p);
      }
      idx.ids.pop();
      idx.meta.pop();
      idx.pos.delete(id);
    }
  }

  async query(userId: string, vector: number[], k: number, filters: SampleFilters) {
    const idx = await this.index(userId);
    const n = idx.ids.length;
    if (n === 0 || vector.length !== idx.dim) return [];
    const q = new Float32Array(idx.dim);
    normalise(vector, q);
    // Keep the k best in a small sorted array: k is at most a few hundred.
    const bestScore: number[] = [];
    const bestIdx: number[] = [];
    const { data, dim, meta } = idx;
    for (let r = 0; r < n; r++) {
      if (!metaMatches(meta[r], filters)) continue;
      let s = 0;
      const o = r * dim;
      for (let i = 0; i < dim; i++) s += data[o + i] * q[i];
      if (bestScore.length === k && s <= bestScore[k - 1]) continue;
      let at = bestScore.length;
      while (at > 0 && bestScore[at - 1] < s) at--;
      bestScore.splice(at, 0, s);
      bestIdx.splice(at, 0, r);
      if (bestScore.length > k) {
        bestScore.pop();
        bestIdx.pop();
      }
    }
    return bestIdx.map((r, i) => ({ id: idx.ids[r], score: bestScore[i] }));
  }

  /** Drops a user's index so the next query reloads it (another instance changed their library). */
  forget(userId: string): void {
    this.users.delete(userId);
  }

  async ping() {}
  async close() {
    this.users.clear();
  }
}
