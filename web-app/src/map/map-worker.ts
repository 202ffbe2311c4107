import { expose } from 'comlink';
import { UMAP } from 'umap-js';
import { openDb } from '../db/database';
import { loadVectors } from '../db/vector-source';
import { rng } from '../dev/synthetic';

export type MapResult = { hashes: string[]; xy: Float32Array; ms: number };

/** The 2-D map: UMAP (umap-js) over the stored feature vectors, entirely in this worker. */
const api = {
  async embed(hashes: string[], onProgress?: (fraction: number) => void): Promise<MapResult> {
    const t0 = performance.now();
    const db = openDb();
    let vectors: Map<string, Float32Array>;
    try {
      vectors = await loadVectors(db, hashes);
    } finally {
      db.close();
    }
    const present = [...vectors.keys()];
    const data = [...vectors.values()].map((v) => Array.from(v));
    const n = data.length;
    const xy = new Float32Array(n * 2);
    if (n >= 3) {
      const nEpochs = n > 2000 ? 150 : 300;
      const umap = new UMAP({
        nComponents: 2,
        nNeighbors: Math.min(15, n - 1),
        minDist: 0.1,
        nEpochs,
        random: rng(1234),
      });
      const embedding = await umap.fitAsync(data, (epoch) => {
        if (epoch % 10 === 0) onProgress?.(epoch / nEpochs);
      });
      embedding.forEach((p, i) => {
        xy[2 * i] = p[0];
        xy[2 * i + 1] = p[1];
      });
    }
    return { hashes: present, xy, ms: performance.now() - t0 };
  },
};

export type MapApi = typeof api;
expose(api);
