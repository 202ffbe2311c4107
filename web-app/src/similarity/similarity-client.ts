import { type Remote, wrap } from 'comlink';
import type { AspectWeights, Neighbour } from './similarity-core';
import type { SimilarityApi } from './similarity-worker';

let remote: Remote<SimilarityApi> | null = null;
let loadedFor = -1;
let loading: Promise<unknown> | null = null;

function api(): Remote<SimilarityApi> {
  remote ??= wrap<SimilarityApi>(
    new Worker(new URL('./similarity-worker.ts', import.meta.url), {
      type: 'module',
      name: 'samplemind-similarity',
    }),
  );
  return remote;
}

/**
 * Nearest neighbours of a sample. The worker reloads its vectors when the set of analysed sounds
 * changed (keyed by `libraryKey`), otherwise a query is one scan over the packed matrix.
 */
export async function findSimilar(
  hash: string,
  weights: AspectWeights,
  k: number,
  libraryKey: number,
): Promise<{ neighbours: Neighbour[]; ms: number } | null> {
  const a = api();
  if (loadedFor !== libraryKey) {
    loading ??= a.load().finally(() => {
      loading = null;
    });
    await loading;
    loadedFor = libraryKey;
  }
  return a.query(hash, weights, k);
}

/** Warms the worker (loads vectors) without a query, e.g. right after the library opens. */
export function preloadSimilarity(libraryKey: number): void {
  if (loadedFor === libraryKey || loading) return;
  loading = api()
    .load()
    .then(() => {
      loadedFor = libraryKey;
    })
    .finally(() => {
      loading = null;
    });
}
