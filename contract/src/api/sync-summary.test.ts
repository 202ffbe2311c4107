import { describe, expect, it } from 'vitest';
import { FEATURE_VECTOR_LENGTH } from '../features';
import { decodeFeatures8, encodeFeatures8 } from './sync-summary';

describe('features8', () => {
  it('round-trips a vector within half a quantisation step', () => {
    const v = Array.from({ length: FEATURE_VECTOR_LENGTH }, (_, i) => (i * 0.137) % 1);
    const back = decodeFeatures8(encodeFeatures8(v));
    expect(back).toHaveLength(FEATURE_VECTOR_LENGTH);
    for (let i = 0; i < v.length; i++) expect(Math.abs(back[i] - v[i])).toBeLessThanOrEqual(0.5 / 255 + 1e-7);
  });

  it('clamps out-of-range and non-finite values', () => {
    const v = new Array(FEATURE_VECTOR_LENGTH).fill(0.5);
    v[0] = -3;
    v[1] = 7;
    v[2] = Number.NaN;
    const back = decodeFeatures8(encodeFeatures8(v));
    expect([back[0], back[1], back[2]]).toEqual([0, 1, 0]);
  });

  it('rejects a vector of the wrong length', () => {
    expect(() => decodeFeatures8(encodeFeatures8([0.1, 0.2]))).toThrow(/expected 58 bytes, got 2/);
  });
});
