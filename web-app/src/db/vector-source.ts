import { FEATURE_VECTOR_LENGTH } from '@samplemind/contract';
import type { SampleMindDb } from './database';
import type { VectorPackRow } from './types';

/*
 * Where feature vectors live, and the one place that knows it:
 * - `vectors`: one row per sound analysed on this device. Always wins: the file is here.
 * - `vectorPacks`: sounds pulled from the server, one record per pulled page. Chromium's
 *   IndexedDB costs ~50-100 µs per record whatever its size, so a page of 5000 vectors written as
 *   one record instead of 5000 saves seconds on a 100k first sync. A later pack (higher id) wins
 *   for the same hash: the sound was re-analysed elsewhere and pulled again.
 * Packs are never compacted yet: hashes of sounds deleted or pulled again since stay in old packs
 * and cost space only, because readers take only hashes the library has (files rows) — which is
 * also why a tombstone or a re-pull can never bring a deleted sound back into results.
 */

type VectorInput = { contentHash: string; v: ArrayLike<number> };

/** One pack record of these vectors (in order; a hash listed twice: the later entry wins). */
export function packRows(rows: VectorInput[]): Omit<VectorPackRow, 'id'> {
  const dim = FEATURE_VECTOR_LENGTH;
  const v = new Float32Array(rows.length * dim);
  const hashes = new Array<string>(rows.length);
  rows.forEach((r, i) => {
    if (r.v.length !== dim)
      throw new Error(`feature vector of ${r.contentHash} has ${r.v.length} values, expected ${dim}`);
    hashes[i] = r.contentHash;
    v.set(r.v, i * dim);
  });
  return { hashes, v };
}

/** The content hashes the library has (local and remote files): all of them sorted, or of `among`. */
async function libraryHashes(db: SampleMindDb, among?: readonly string[]): Promise<string[]> {
  if (!among) return (await db.files.orderBy('contentHash').uniqueKeys()) as string[];
  const have = new Set((await db.files.where('contentHash').anyOf(among).keys()) as string[]);
  return [...new Set(among)].filter((h) => have.has(h));
}

/**
 * The feature vector of each hash the library has: of those among `hashes` (in that order), or of
 * all of them (sorted). Hashes without a vector or without a file row are left out. Pack vectors
 * are views into the pack's buffer (no copy): callers must not write to them.
 */
export async function loadVectors(
  db: SampleMindDb,
  hashes?: readonly string[],
): Promise<Map<string, Float32Array>> {
  return db.transaction('r', [db.files, db.vectors, db.vectorPacks], async () => {
    const order = await libraryHashes(db, hashes);
    const wanted = new Set(order);
    const found = new Map<string, Float32Array>();
    if (hashes) {
      const rows = await db.vectors.bulkGet(order);
      for (const r of rows) if (r) found.set(r.contentHash, r.v);
    } else {
      for (const r of await db.vectors.toArray())
        if (wanted.has(r.contentHash)) found.set(r.contentHash, r.v);
    }
    if (found.size < wanted.size) {
      const dim = FEATURE_VECTOR_LENGTH;
      const packs = await db.vectorPacks.toArray();
      // Newest pack first and last entry first, so the first vector seen for a hash is the one that wins.
      for (let p = packs.length - 1; p >= 0; p--) {
        const pack = packs[p];
        if (pack.v.length !== pack.hashes.length * dim)
          throw new Error(
            `vector pack ${pack.id} holds ${pack.v.length} values for ${pack.hashes.length} hashes of ${dim}`,
          );
        for (let i = pack.hashes.length - 1; i >= 0; i--) {
          const h = pack.hashes[i];
          if (wanted.has(h) && !found.has(h)) found.set(h, pack.v.subarray(i * dim, (i + 1) * dim));
        }
      }
    }
    const out = new Map<string, Float32Array>();
    for (const h of order) {
      const v = found.get(h);
      if (v) out.set(h, v);
    }
    return out;
  });
}
