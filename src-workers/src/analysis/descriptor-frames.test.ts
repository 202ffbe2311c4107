import { describe, expect, it } from 'vitest';
import { createContext } from '../context';
import { bandEnergyFrames, spectralFrames, TIMBRE_FFT, TIMBRE_HOP } from './descriptor-frames';
import { concat, RATE, silence, sine, whiteNoise } from './descriptor-test-signals';

describe('spectralFrames', () => {
  it('tracks a change of spectrum over time and marks silent frames inactive', () => {
    const x = concat(sine(500, 0.5), silence(0.5), sine(4000, 0.5));
    const sf = spectralFrames(createContext(x, RATE));
    const at = (sec: number) => Math.round(sec / sf.hopSec);
    expect(Math.abs(sf.centroidHz[at(0.2)] - 500)).toBeLessThan(30);
    expect(Math.abs(sf.centroidHz[at(1.2)] - 4000)).toBeLessThan(60);
    expect(sf.active[at(0.2)]).toBe(1);
    expect(sf.active[at(0.75)]).toBe(0);
    // The switch from silence to the new tone is a spectral change; a steady tone is not.
    expect(Math.max(...sf.flux.subarray(at(0.95), at(1.1)))).toBeGreaterThan(0.5);
    expect(sf.flux[at(0.3)]).toBeLessThan(0.05);
  });

  it('is memoised in the context', () => {
    const ctx = createContext(whiteNoise(0.5), RATE);
    expect(spectralFrames(ctx)).toBe(spectralFrames(ctx));
  });
});

describe('bandEnergyFrames', () => {
  it('splits each frame energy between the bands, adding up to the whole', () => {
    const ctx = createContext(concat(sine(100, 0.5), sine(5000, 0.5)), RATE);
    const spec = ctx.spectrogram(TIMBRE_FFT, TIMBRE_HOP);
    const sf = spectralFrames(ctx);
    const bands = bandEnergyFrames(spec, [300, 3000]);
    const f1 = Math.round(0.2 / sf.hopSec);
    const f2 = Math.round(0.8 / sf.hopSec);
    for (const f of [f1, f2]) {
      const sum = bands[f * 3] + bands[f * 3 + 1] + bands[f * 3 + 2];
      expect(sum).toBeCloseTo(sf.energy[f], 0);
    }
    expect(bands[f1 * 3] / sf.energy[f1]).toBeGreaterThan(0.99);
    expect(bands[f2 * 3 + 2] / sf.energy[f2]).toBeGreaterThan(0.99);
  });
});
