import { describe, expect, it } from 'vitest';
import { computeChroma } from './chroma-spectrum';
import { chord, harmonicTone, midiToHz, progression, TEST_RATE, whiteNoise } from './tonal-test-signals';

function totals(perFrame: Float32Array, frames: number): number[] {
  const out = new Array(12).fill(0);
  for (let f = 0; f < frames; f++) for (let pc = 0; pc < 12; pc++) out[pc] += perFrame[f * 12 + pc];
  return out;
}

const argmax = (v: number[]) => v.indexOf(Math.max(...v));

describe('computeChroma', () => {
  it('puts a harmonic tone on its own pitch class, above its overtones', () => {
    const a = computeChroma(harmonicTone(midiToHz(57), { durationSec: 3, decay: 0.2 }), TEST_RATE); // A3
    const c = totals(a.chroma, a.frames);
    expect(argmax(c)).toBe(9);
    // 3rd harmonic (E) and 5th harmonic (C#) are discounted as overtones.
    expect(c[4]).toBeLessThan(0.5 * c[9]);
    expect(c[1]).toBeLessThan(0.5 * c[9]);
  });

  it('estimates the tuning of a detuned recording', () => {
    const x = progression(0, [chord(0, 'major'), chord(5, 'major'), chord(7, 'major')], { tuningCents: 27 });
    expect(computeChroma(x, TEST_RATE).tuningCents).toBeCloseTo(27, -1);
    const y = progression(0, [chord(0, 'major'), chord(5, 'major')], { tuningCents: -33 });
    expect(Math.abs(computeChroma(y, TEST_RATE).tuningCents + 33)).toBeLessThan(5);
  });

  it('reads a bass note with a missing fundamental at its own pitch class, not a fifth up', () => {
    const bass = harmonicTone(midiToHz(31), {
      harmonics: [0, 1, 1, 0.7, 0.5, 0.4],
      durationSec: 3,
      decay: 0.2,
    }); // G1
    const a = computeChroma(bass, TEST_RATE);
    expect(argmax(totals(a.bass, a.frames))).toBe(7);
  });

  it('finds strong tuning evidence in music and none in noise or silence', () => {
    const music = computeChroma(progression(2, [chord(0, 'major'), chord(7, 'major')]), TEST_RATE);
    expect(music.tuningEvidence).toBeGreaterThan(50);
    expect(computeChroma(whiteNoise(5), TEST_RATE).tuningEvidence).toBeLessThan(10);
    const silence = computeChroma(new Float32Array(TEST_RATE * 2), TEST_RATE);
    expect(silence.tuningEvidence).toBe(0);
    expect(totals(silence.chroma, silence.frames).every((v) => v === 0)).toBe(true);
  });

  it('handles signals shorter than one analysis frame', () => {
    const a = computeChroma(harmonicTone(440, { durationSec: 0.05 }), TEST_RATE);
    expect(a.frames).toBeGreaterThan(0);
    expect(a.chroma.length).toBe(a.frames * 12);
  });
});
