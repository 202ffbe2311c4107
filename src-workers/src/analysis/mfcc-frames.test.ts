import { describe, expect, it } from 'vitest';
import { createContext } from '../context';
import { RATE, scaled, whiteNoise } from './descriptor-test-signals';
import { MFCC_COUNT, melFilterbank, mfccFrames } from './mfcc-frames';

/** Mean MFCC vector over the active frames. */
function meanMfcc(x: Float32Array): number[] {
  const m = mfccFrames(createContext(x, RATE));
  const mean = new Array(MFCC_COUNT).fill(0);
  let n = 0;
  for (let f = 0; f < m.frames; f++) {
    if (!m.active[f]) continue;
    n++;
    for (let k = 0; k < MFCC_COUNT; k++) mean[k] += m.mfcc[f * MFCC_COUNT + k];
  }
  return mean.map((v) => v / n);
}

/** Brown-ish noise: integrated white noise, leaky so it stays bounded (-6 dB / octave). */
function brownNoise(seconds: number) {
  const w = whiteNoise(seconds);
  let acc = 0;
  return w.map((v) => {
    acc = 0.995 * acc + v;
    return acc * 0.05;
  });
}

describe('mel filterbank', () => {
  it('has increasing centres and unit-sum bands that all catch at least one bin', () => {
    const fb = melFilterbank(513, RATE / 1024);
    for (let b = 1; b < fb.centreHz.length; b++) expect(fb.centreHz[b]).toBeGreaterThan(fb.centreHz[b - 1]);
    for (const w of fb.weights) {
      expect(w.length).toBeGreaterThan(0);
      expect(w.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    }
  });
});

describe('mfccFrames', () => {
  it('gives near-zero coefficients for white noise (a flat mel spectrum)', () => {
    for (const c of meanMfcc(whiteNoise(2))) expect(Math.abs(c)).toBeLessThan(2);
  });

  it('reads a spectrum tilted towards the bass as a large positive c1', () => {
    const brown = meanMfcc(brownNoise(2));
    expect(brown[0]).toBeGreaterThan(20);
  });

  it('does not depend on the level', () => {
    const a = meanMfcc(whiteNoise(1, 0.3, 5));
    const b = meanMfcc(scaled(whiteNoise(1, 0.3, 5), 0.001));
    for (let k = 0; k < MFCC_COUNT; k++) expect(b[k]).toBeCloseTo(a[k], 3);
  });
});
