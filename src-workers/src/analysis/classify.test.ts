import { ONE_SHOT_TYPES } from '@samplemind/contract';
import { describe, expect, it } from 'vitest';
import { createContext } from '../context';
import { CLASSIFY_METHOD, classifyType } from './classify';
import type { Measured } from './measured';

const SR = 22050;

function measured(isLoop: boolean): Measured {
  return {
    levels: {
      samplePeakDb: -1,
      truePeakDb: -1,
      rmsDb: -12,
      lufs: null,
      loudnessRangeLu: null,
      isSilent: false,
    },
    loop: { isLoop, confidence: 1 },
    tempo: { bpm: null, confidence: 0, beats: null, bars: null, beatsPerBar: null, candidates: [] },
    key: { tonic: null, scale: null, camelot: null, confidence: 0 },
    pitch: { midiNote: null, cents: null, frequencyHz: null, confidence: 0 },
    envelope: { attackSec: 0, decaySec: 0, effectiveLengthSec: 0, temporalCentroidSec: 0 },
    spectral: { centroidHz: 0, rolloffHz: 0, flatness: 0, bandwidthHz: 0, zeroCrossingRate: 0 },
  };
}

/** Deterministic white noise in [-1, 1). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/** A 150 -> 50 Hz exponential sine sweep with a fast decay: the classic synthesised kick. */
function kick(seconds = 0.5): Float32Array {
  const out = new Float32Array(Math.round(seconds * SR));
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / SR;
    const f = 50 + 100 * Math.exp(-t / 0.03);
    phase += (2 * Math.PI * f) / SR;
    out[i] = 0.9 * Math.sin(phase) * Math.exp(-t / 0.12);
  }
  return out;
}

/** Noise high-passed by a second difference (energy rising towards Nyquist), exponential decay. */
function metalNoise(seconds: number, decaySec: number, seed = 1): Float32Array {
  const out = new Float32Array(Math.round(seconds * SR));
  const rnd = noise(seed);
  let x1 = 0;
  let x2 = 0;
  for (let i = 0; i < out.length; i++) {
    const x = rnd();
    out[i] = 0.4 * (x - 2 * x1 + x2) * Math.exp(-i / SR / decaySec);
    x2 = x1;
    x1 = x;
  }
  return out;
}

/** Harmonic tone (1/h partials), 10 ms attack, held, 100 ms release at the end. */
function harmonicTone(f0: number, seconds: number, harmonics: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * SR));
  for (let i = 0; i < out.length; i++) {
    const t = i / SR;
    let v = 0;
    for (let h = 1; h <= harmonics && h * f0 < SR / 2; h++) v += Math.sin(2 * Math.PI * h * f0 * t) / h;
    const env = Math.min(1, t / 0.01) * Math.min(1, (seconds - t) / 0.1);
    out[i] = 0.3 * v * env;
  }
  return out;
}

function mixInto(target: Float32Array, sound: Float32Array, at: number): void {
  for (let i = 0; i < sound.length && at + i < target.length; i++) target[at + i] += sound[i];
}

/** Four bars of kick on the beats and closed hats on the off-beats at 120 BPM. */
function drumPattern(): Float32Array {
  const beat = Math.round(0.5 * SR);
  const out = new Float32Array(beat * 16);
  const k = kick(0.4);
  const hat = metalNoise(0.1, 0.02, 7);
  for (let b = 0; b < 16; b++) {
    mixInto(out, k, b * beat);
    mixInto(out, hat, b * beat + (beat >> 1));
  }
  return out;
}

function label(signal: Float32Array, isLoop = false) {
  return classifyType(createContext(signal, SR), measured(isLoop));
}

describe('classifyType (descriptor-prototype-v2-singers-formant)', () => {
  it('calls a falling sine sweep with a short decay a kick', () => {
    expect(label(kick()).label).toBe('kick');
  });

  it('tells a short bright noise burst (hi-hat) from a long one (cymbal)', () => {
    expect(label(metalNoise(0.3, 0.04)).label).toBe('hihat');
    expect(label(metalNoise(3, 0.8)).label).toBe('cymbal');
  });

  it('calls a held 80 Hz harmonic tone bass and the same at 440 Hz melodic', () => {
    expect(label(harmonicTone(80, 1.5, 6)).label).toBe('bass');
    expect(label(harmonicTone(440, 1.5, 8)).label).toBe('melodic');
  });

  it('calls a repeated kick/hat pattern a drum loop, and the same with held chords a music loop', () => {
    const drums = drumPattern();
    expect(label(drums, true).label).toBe('drum-loop');
    const withChords = drums.slice();
    const chordLength = withChords.length / 4;
    [220, 196, 175, 196].forEach((root, i) => {
      for (const ratio of [1, 1.26, 1.5]) {
        mixInto(withChords, harmonicTone(root * ratio, chordLength / SR, 5), i * chordLength);
      }
    });
    expect(label(withChords, true).label).toBe('music-loop');
  });

  it('returns a well-formed call: one-shot classes only, best first, probabilities', () => {
    const call = label(kick());
    expect(call.method).toBe(CLASSIFY_METHOD);
    expect(call.scores.map((s) => s.label).sort()).toEqual([...ONE_SHOT_TYPES].sort());
    expect(call.scores[0].label).toBe(call.label);
    expect(call.confidence).toBe(call.scores[0].score);
    for (let i = 1; i < call.scores.length; i++)
      expect(call.scores[i].score).toBeLessThanOrEqual(call.scores[i - 1].score);
    const total = call.scores.reduce((a, s) => a + s.score, 0);
    expect(total).toBeGreaterThan(0.98);
    expect(total).toBeLessThan(1.02);
    const loopCall = label(drumPattern(), true);
    expect(loopCall.scores.map((s) => s.label).sort()).toEqual(['drum-loop', 'music-loop']);
  });

  it('gives silence no confident type', () => {
    const call = label(new Float32Array(SR));
    expect(call.confidence).toBe(0);
  });
});
