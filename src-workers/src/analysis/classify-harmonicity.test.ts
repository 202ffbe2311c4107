import { describe, expect, it } from 'vitest';
import { createContext } from '../context';
import { classifyDescriptors } from './classify-descriptors';
import { RATE } from './descriptor-test-signals';

/** A decaying sum of partials at `ratios` × f0: the fundamental, and overtones 14 dB below it. */
function partials(f0: number, ratios: number[], seconds: number, decayPerSec: number): Float32Array {
  const n = Math.round(seconds * RATE);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    let v = 0;
    ratios.forEach((r, k) => {
      v += (k === 0 ? 1 : 0.2) * Math.sin(2 * Math.PI * f0 * r * t);
    });
    x[i] = 0.3 * v * Math.exp(-decayPerSec * t);
  }
  return x;
}

const harmonicityOf = (x: Float32Array) => classifyDescriptors(createContext(x, RATE)).harmonicity;

describe('overtone harmonicity', () => {
  it('is high for a string-like tone, low for membrane modes at the same pitch', () => {
    const string = harmonicityOf(partials(300, [1, 2, 3, 4, 5, 6], 0.8, 4));
    // Circular membrane: Bessel-zero ratios of its first modes.
    const membrane = harmonicityOf(partials(300, [1, 1.59, 2.14, 2.3, 2.65, 2.92], 0.8, 4));
    expect(string).not.toBeNull();
    expect(membrane).not.toBeNull();
    expect(string as number).toBeGreaterThan(0.8);
    expect(membrane as number).toBeLessThan(0.3);
  });

  it('is not measured without overtones, when the harmonics are too dense to resolve, or on a sub-harmonic', () => {
    expect(harmonicityOf(partials(440, [1], 0.8, 2))).toBeNull();
    expect(harmonicityOf(partials(50, [1, 2, 3, 4, 5, 6], 0.8, 2))).toBeNull();
    // Modes 2.0, 3.1 and 4.05 times 200 Hz have no common fundamental that sounds: whatever
    // period a tracker settles on, the reading is not taken.
    const h = harmonicityOf(partials(400, [1, 1.55, 2.025], 0.8, 2));
    expect(h === null || h < 0.5).toBe(true);
  });
});
