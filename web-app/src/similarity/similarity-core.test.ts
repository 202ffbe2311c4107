import { FEATURE_ASPECT_INDICES, FEATURE_VECTOR_LENGTH } from '@samplemind/contract';
import { describe, expect, it } from 'vitest';
import { rng } from '../dev/synthetic';
import { DEFAULT_WEIGHTS, dimensionWeights, nearest, packVectors } from './similarity-core';

const D = FEATURE_VECTOR_LENGTH;

function bruteForce(rows: Float32Array[], q: Float32Array, w: Float32Array, k: number) {
  return rows
    .map((v, i) => ({ i, d: v.reduce((s, x, j) => s + w[j] * (x - q[j]) ** 2, 0) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, k)
    .map((x) => `h${x.i}`);
}

describe('nearest', () => {
  it('returns the same k neighbours as a plain sort, closest first', () => {
    const r = rng(7);
    const rows = Array.from({ length: 500 }, () => Float32Array.from({ length: D }, () => r()));
    const m = packVectors(rows.map((v, i) => ({ contentHash: `h${i}`, v })));
    const q = Float32Array.from({ length: D }, () => r());
    const w = dimensionWeights(DEFAULT_WEIGHTS);
    const got = nearest(m, q, w, 10);
    expect(got.map((g) => g.hash)).toEqual(bruteForce(rows, q, w, 10));
    for (let i = 1; i < got.length; i++) expect(got[i].distance).toBeGreaterThanOrEqual(got[i - 1].distance);
  });

  it('ignores aspects weighted zero and can exclude the query itself', () => {
    const base = new Float32Array(D).fill(0.5);
    const timbreTwin = base.slice();
    for (const j of FEATURE_ASPECT_INDICES.loudness) timbreTwin[j] = 1; // differs only in loudness
    const far = base.slice().fill(0.9);
    const m = packVectors([
      { contentHash: 'self', v: base },
      { contentHash: 'twin', v: timbreTwin },
      { contentHash: 'far', v: far },
    ]);
    const w = dimensionWeights({ timbre: 1, pitch: 1, envelope: 1, loudness: 0 });
    const got = nearest(m, base, w, 2, 'self');
    expect(got.map((g) => g.hash)).toEqual(['twin', 'far']);
    expect(got[0].distance).toBe(0);
  });

  it('spreads each aspect weight over its dimensions', () => {
    const w = dimensionWeights({ timbre: 1, pitch: 1, envelope: 1, loudness: 1 });
    const sum = (idx: number[]) => idx.reduce((s, j) => s + w[j], 0);
    expect(sum(FEATURE_ASPECT_INDICES.timbre)).toBeCloseTo(1, 5);
    expect(sum(FEATURE_ASPECT_INDICES.loudness)).toBeCloseTo(1, 5);
  });
});
