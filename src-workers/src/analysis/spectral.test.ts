import { describe, expect, it } from 'vitest';
import { createContext } from '../context';
import { concat, RATE, scaled, silence, sine, whiteNoise } from './descriptor-test-signals';
import { analyseSpectral } from './spectral';

const spectralOf = (x: Float32Array) => analyseSpectral(createContext(x, RATE));

describe('analyseSpectral', () => {
  it('reads a 1 kHz sine in Hz', () => {
    const s = spectralOf(sine(1000, 1));
    expect(Math.abs(s.centroidHz - 1000)).toBeLessThan(30);
    expect(Math.abs(s.rolloffHz - 1000)).toBeLessThan(50);
    expect(s.bandwidthHz).toBeLessThan(100);
    expect(s.flatness).toBeLessThan(0.01);
    expect(Math.abs(s.zeroCrossingRate - 2000)).toBeLessThan(20);
  });

  it('reads white noise as flat and centred at a quarter of the rate', () => {
    const s = spectralOf(whiteNoise(2));
    expect(Math.abs(s.centroidHz - RATE / 4)).toBeLessThan(300);
    expect(Math.abs(s.rolloffHz - 0.85 * (RATE / 2))).toBeLessThan(300);
    // Windowed noise: power per bin is exponential, whose geometric/arithmetic ratio is e^-0.577.
    expect(s.flatness).toBeGreaterThan(0.45);
    expect(s.flatness).toBeLessThan(0.65);
    expect(Math.abs(s.zeroCrossingRate - RATE / 2)).toBeLessThan(600);
    // Uniform spectrum over 0..fs/2: standard deviation fs / (2 sqrt 12).
    expect(Math.abs(s.bandwidthHz - RATE / 2 / Math.sqrt(12))).toBeLessThan(300);
  });

  it('ignores silent frames and does not depend on the level', () => {
    const a = spectralOf(sine(440, 1));
    const b = spectralOf(concat(silence(2), scaled(sine(440, 1), 0.01), silence(1)));
    expect(b.centroidHz).toBeCloseTo(a.centroidHz, -1);
    expect(b.rolloffHz).toBeCloseTo(a.rolloffHz, -1);
    expect(Math.abs(b.zeroCrossingRate - a.zeroCrossingRate)).toBeLessThan(10);
  });

  it('weights frames by energy: a loud low tone outweighs a quiet high one', () => {
    const s = spectralOf(concat(sine(200, 1, 0.8), sine(5000, 1, 0.02)));
    expect(s.centroidHz).toBeLessThan(400);
  });

  it('returns zeros for silence', () => {
    expect(spectralOf(silence(1))).toEqual({
      centroidHz: 0,
      rolloffHz: 0,
      flatness: 0,
      bandwidthHz: 0,
      zeroCrossingRate: 0,
    });
  });
});
