import { proxy, type Remote, wrap } from 'comlink';
import type { MapApi, MapResult } from './map-worker';

let remote: Remote<MapApi> | null = null;

/** Runs UMAP in its worker; progress comes back through a comlink proxy. */
export function computeMap(hashes: string[], onProgress: (f: number) => void): Promise<MapResult> {
  remote ??= wrap<MapApi>(
    new Worker(new URL('./map-worker.ts', import.meta.url), { type: 'module', name: 'samplemind-map' }),
  );
  return remote.embed(hashes, proxy(onProgress));
}

/** At most this many points are embedded (UMAP cost grows superlinearly); a larger view is sampled evenly. */
export const MAP_MAX_POINTS = 3000;

export function sampleEvenly<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const out: T[] = [];
  const step = items.length / max;
  for (let i = 0; i < max; i++) out.push(items[Math.floor(i * step)]);
  return out;
}
