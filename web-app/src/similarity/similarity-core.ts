import { FEATURE_ASPECT_INDICES, FEATURE_VECTOR_LENGTH, type FeatureAspect } from '@samplemind/contract';

export type AspectWeights = Record<FeatureAspect, number>;
export const DEFAULT_WEIGHTS: AspectWeights = { timbre: 1, pitch: 0.5, envelope: 0.7, loudness: 0.3 };

/** All vectors packed row-major in one Float32Array, with their content hashes. */
export type VectorMatrix = { hashes: string[]; data: Float32Array; dim: number };

export function packVectors(rows: { contentHash: string; v: ArrayLike<number> }[]): VectorMatrix {
  const dim = FEATURE_VECTOR_LENGTH;
  const data = new Float32Array(rows.length * dim);
  const hashes = new Array<string>(rows.length);
  rows.forEach((r, i) => {
    hashes[i] = r.contentHash;
    if (r.v instanceof Float32Array && r.v.length === dim) data.set(r.v, i * dim);
    else data.set(Array.prototype.slice.call(r.v, 0, dim) as number[], i * dim);
  });
  return { hashes, data, dim };
}

/**
 * Per-dimension weights: each aspect's weight is spread over its dimensions, so an aspect with 32
 * dimensions does not outweigh one with 4 just by size.
 */
export function dimensionWeights(w: AspectWeights): Float32Array {
  const out = new Float32Array(FEATURE_VECTOR_LENGTH);
  for (const [aspect, idx] of Object.entries(FEATURE_ASPECT_INDICES) as [FeatureAspect, number[]][]) {
    for (const i of idx) out[i] = Math.max(0, w[aspect]) / idx.length;
  }
  return out;
}

export type Neighbour = { hash: string; distance: number };

/** Brute-force weighted squared Euclidean k-nearest over the packed matrix (100k x 57 in a few ms). */
export function nearest(
  m: VectorMatrix,
  query: Float32Array,
  weights: Float32Array,
  k: number,
  exclude?: string,
): Neighbour[] {
  const { data, dim, hashes } = m;
  const n = hashes.length;
  // Bounded max-heap of the best k, by distance.
  const heapD = new Float64Array(k + 1);
  const heapI = new Int32Array(k + 1);
  let size = 0;
  const active: number[] = [];
  for (let j = 0; j < dim; j++) if (weights[j] > 0) active.push(j);
  const act = Int32Array.from(active);
  for (let i = 0; i < n; i++) {
    const base = i * dim;
    let d = 0;
    const limit = size === k ? heapD[0] : Number.POSITIVE_INFINITY;
    if (k === 0) break;
    for (let a = 0; a < act.length; a++) {
      const j = act[a];
      const diff = data[base + j] - query[j];
      d += weights[j] * diff * diff;
      if (d >= limit) break;
    }
    if (d >= limit) continue;
    if (exclude !== undefined && hashes[i] === exclude) continue;
    if (size < k) {
      // Grow: append and sift up.
      let pos = size++;
      heapD[pos] = d;
      heapI[pos] = i;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (heapD[parent] >= heapD[pos]) break;
        swap(heapD, heapI, parent, pos);
        pos = parent;
      }
    } else {
      // Full: replace the worst (root) and sift down.
      heapD[0] = d;
      heapI[0] = i;
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        const r = l + 1;
        let big = p;
        if (l < size && heapD[l] > heapD[big]) big = l;
        if (r < size && heapD[r] > heapD[big]) big = r;
        if (big === p) break;
        swap(heapD, heapI, p, big);
        p = big;
      }
    }
  }
  const out: Neighbour[] = [];
  for (let i = 0; i < size; i++) out.push({ hash: hashes[heapI[i]], distance: Math.sqrt(heapD[i]) });
  return out.sort((a, b) => a.distance - b.distance);
}

function swap(d: Float64Array, ix: Int32Array, a: number, b: number) {
  const td = d[a];
  d[a] = d[b];
  d[b] = td;
  const ti = ix[a];
  ix[a] = ix[b];
  ix[b] = ti;
}
