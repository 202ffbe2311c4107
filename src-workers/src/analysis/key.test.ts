import { PITCH_CLASSES } from '@samplemind/contract';
import { describe, expect, it } from 'vitest';
import { createContext } from '../context';
import { analyseKey } from './key';
import { type Chord, chord, progression, TEST_RATE, whiteNoise } from './tonal-test-signals';

const major = {
  'I-vi-IV-V': [chord(0, 'major'), chord(9, 'minor'), chord(5, 'major'), chord(7, 'major')],
  'I-IV-V-I': [chord(0, 'major'), chord(5, 'major'), chord(7, 'major'), chord(0, 'major')],
  'I-V-vi-IV': [chord(0, 'major'), chord(7, 'major'), chord(9, 'minor'), chord(5, 'major')],
};
const minor = {
  'i-iv-V-i': [chord(0, 'minor'), chord(5, 'minor'), chord(7, 'major'), chord(0, 'minor')],
  'i-VI-III-VII': [chord(0, 'minor'), chord(8, 'major'), chord(3, 'major'), chord(10, 'major')],
  'i-VI-iv-V': [chord(0, 'minor'), chord(8, 'major'), chord(5, 'minor'), chord(7, 'major')],
};

function keyOf(signal: Float32Array) {
  return analyseKey(createContext(signal, TEST_RATE));
}

function expectKey(tonic: number, scale: 'major' | 'minor', chords: Chord[], options = {}) {
  const key = keyOf(progression(tonic, chords, options));
  expect(`${key.tonic} ${key.scale}`).toBe(`${PITCH_CLASSES[tonic]} ${scale}`);
  expect(key.confidence).toBeGreaterThan(0.3);
  expect(key.confidence).toBeLessThanOrEqual(1);
}

describe('analyseKey', () => {
  for (const [name, chords] of Object.entries(major)) {
    for (const tonic of [0, 3, 7, 11]) {
      it(`finds ${PITCH_CLASSES[tonic]} major in ${name}`, () => expectKey(tonic, 'major', chords));
    }
  }
  for (const [name, chords] of Object.entries(minor)) {
    for (const tonic of [9, 1, 5, 6]) {
      it(`finds ${PITCH_CLASSES[tonic]} minor in ${name}`, () => expectKey(tonic, 'minor', chords));
    }
  }

  it('keeps the key under drums', () => {
    expectKey(2, 'major', major['I-vi-IV-V'], { drums: true, bpm: 124 });
    expectKey(4, 'minor', minor['i-iv-V-i'], { drums: true, bpm: 90 });
  });

  it('follows a recording tuned away from A = 440 Hz', () => {
    expectKey(10, 'major', major['I-IV-V-I'], { tuningCents: 38 });
    expectKey(8, 'minor', minor['i-VI-iv-V'], { tuningCents: -42 });
  });

  it('reports no key for silence', () => {
    const key = keyOf(new Float32Array(TEST_RATE * 4));
    expect(key).toEqual({ tonic: null, scale: null, camelot: null, confidence: 0 });
  });

  it('copes with empty and very short input', () => {
    expect(keyOf(new Float32Array(0)).tonic).toBeNull();
    const click = new Float32Array(TEST_RATE * 0.05);
    click[10] = 1;
    expect(keyOf(click).tonic).toBeNull();
  });

  it('reports no key, or a doubtful one, for noise', () => {
    const key = keyOf(whiteNoise(6));
    expect(key.tonic === null || key.confidence < 0.2).toBe(true);
  });

  it('is less sure of noisy audio than of a clear progression', () => {
    const clear = keyOf(progression(0, major['I-vi-IV-V']));
    const noisy = progression(0, major['I-vi-IV-V']);
    const noise = whiteNoise(noisy.length / TEST_RATE, 0.5, 9);
    for (let i = 0; i < noisy.length; i++) noisy[i] += noise[i];
    expect(keyOf(noisy).confidence).toBeLessThan(clear.confidence);
  });

  it('leaves the Camelot code to the orchestrator', () => {
    expect(keyOf(progression(0, major['I-IV-V-I'])).camelot).toBeNull();
  });
});
