import { expose } from 'comlink';
import { openDb } from '../db/database';
import { loadVectors } from '../db/vector-source';
import {
  type AspectWeights,
  dimensionWeights,
  type Neighbour,
  nearest,
  packVectors,
  type VectorMatrix,
} from './similarity-core';

let matrix: VectorMatrix | null = null;
let rowOf = new Map<string, number>();

/** "More like this" runs here, over all feature vectors packed in one Float32Array. */
const api = {
  /** (Re)loads every vector from IndexedDB; returns how many. */
  async load(): Promise<{ count: number; ms: number }> {
    const t0 = performance.now();
    const db = openDb();
    try {
      // Only sounds the library has: a deleted one's vector may linger (kept analysis, old pack).
      const vectors = await loadVectors(db);
      matrix = packVectors([...vectors].map(([contentHash, v]) => ({ contentHash, v })));
      rowOf = new Map(matrix.hashes.map((h, i) => [h, i]));
    } finally {
      db.close();
    }
    return { count: matrix.hashes.length, ms: performance.now() - t0 };
  },

  query(hash: string, weights: AspectWeights, k: number): { neighbours: Neighbour[]; ms: number } | null {
    const t0 = performance.now();
    if (!matrix) return null;
    const i = rowOf.get(hash);
    if (i === undefined) return null;
    const q = matrix.data.slice(i * matrix.dim, (i + 1) * matrix.dim);
    const neighbours = nearest(matrix, q, dimensionWeights(weights), k, hash);
    return { neighbours, ms: performance.now() - t0 };
  },

  count(): number {
    return matrix?.hashes.length ?? 0;
  },
};

export type SimilarityApi = typeof api;
expose(api);
