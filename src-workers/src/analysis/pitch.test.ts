import { describe, expect, it } from 'vitest';
import { createContext } from '../context';
import { analysePitch } from './pitch';
import { harmonicTone, midiToHz, seededNoise, TEST_RATE, whiteNoise } from './tonal-test-signals';

const pitchOf = (signal: Float32Array) => analysePitch(createContext(signal, TEST_RATE));

function expectNote(signal: Float32Array, midi: number, cents = 0) {
  const p = pitchOf(signal);
  expect(p.midiNote).toBe(midi);
  expect(Math.abs((p.cents ?? 100) - cents)).toBeLessThanOrEqual(10);
  expect(p.frequencyHz).toBeCloseTo(midiToHz(midi + cents / 100), -1);
  expect(p.confidence).toBeGreaterThan(0.6);
  return p;
}

describe('analysePitch', () => {
  it('finds the note of harmonic tones across the range', () => {
    for (const midi of [28, 33, 40, 45, 52, 60, 64, 69, 76, 81, 88, 96]) {
      expectNote(harmonicTone(midiToHz(midi)), midi);
    }
  });

  it('finds a 41 Hz bass note (E1)', () => {
    expectNote(harmonicTone(41.2, { harmonics: [1, 0.8, 0.5, 0.3, 0.2], decay: 2 }), 28);
  });

  it('finds a high note (C7) with few harmonics', () => {
    expectNote(harmonicTone(midiToHz(96), { harmonics: [1, 0.3, 0.1] }), 96);
  });

  it('reports the deviation of a detuned tone in cents', () => {
    expectNote(harmonicTone(midiToHz(57.3)), 57, 30);
    expectNote(harmonicTone(midiToHz(71.6)), 72, -40);
    expectNote(harmonicTone(midiToHz(38.25)), 38, 25);
  });

  it('does not jump an octave up when even harmonics dominate a weak fundamental', () => {
    const evenHeavy = [0.2, 1, 0.2, 1, 0.2, 0.6];
    for (const midi of [31, 45, 62, 79])
      expectNote(harmonicTone(midiToHz(midi), { harmonics: evenHeavy }), midi);
  });

  it('does not drop an octave when the fundamental is missing', () => {
    const noFundamental = [0, 1, 0.8, 0.6, 0.4, 0.3];
    for (const midi of [36, 55, 74, 90])
      expectNote(harmonicTone(midiToHz(midi), { harmonics: noFundamental }), midi);
  });

  it('finds a pure sine and a square wave', () => {
    expectNote(harmonicTone(440, { harmonics: [1] }), 69);
    expectNote(harmonicTone(midiToHz(50), { harmonics: [1, 0, 1 / 3, 0, 1 / 5, 0, 1 / 7] }), 50);
  });

  it('reads the sustained note after a noisy attack', () => {
    const tone = harmonicTone(midiToHz(62), { durationSec: 1.2 });
    const noise = seededNoise(3);
    for (let i = 0; i < 0.02 * TEST_RATE; i++) tone[i] += 0.8 * noise();
    expectNote(tone, 62);
  });

  it('reads a note that swells to its end', () => {
    const swell = harmonicTone(midiToHz(48), { durationSec: 1.5, decay: 0 });
    for (let i = 0; i < swell.length; i++) swell[i] *= (i / swell.length) ** 2;
    expectNote(swell, 48);
  });

  it('reports no pitch, or a doubtful one, for noise', () => {
    const p = pitchOf(whiteNoise(1));
    expect(p.midiNote === null || p.confidence < 0.2).toBe(true);
  });

  it('reports no pitch for silence and for an empty signal', () => {
    expect(pitchOf(new Float32Array(TEST_RATE))).toEqual({
      midiNote: null,
      cents: null,
      frequencyHz: null,
      confidence: 0,
    });
    expect(pitchOf(new Float32Array(0)).midiNote).toBeNull();
  });

  it('copes with a very short one-shot', () => {
    const p = pitchOf(harmonicTone(midiToHz(67), { durationSec: 0.08, decay: 5 }));
    expect(p.midiNote === null || p.midiNote === 67).toBe(true);
  });

  it('keeps cents within the contract range', () => {
    for (const m of [60.49, 60.51, 47.5]) {
      const p = pitchOf(harmonicTone(midiToHz(m)));
      expect(Math.abs(p.cents ?? 0)).toBeLessThanOrEqual(50);
    }
  });
});
