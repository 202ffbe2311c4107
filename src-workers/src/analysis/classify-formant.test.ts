import { describe, expect, it } from 'vitest';
import { createContext } from '../context';
import { classifyType } from './classify';
import { classifyDescriptors } from './classify-descriptors';
import type { Measured } from './measured';

const SR = 22050;

type Resonance = { hz: number; bandwidthHz: number; gain: number };

/** F1/F2 of an open "ah" vowel. */
const AH: Resonance[] = [
  { hz: 700, bandwidthHz: 110, gain: 1 },
  { hz: 1150, bandwidthHz: 120, gain: 0.6 },
];
/** The singer's formant: F3-F5 drawn together near 3 kHz. */
const CLUSTER: Resonance = { hz: 2900, bandwidthHz: 500, gain: 0.35 };

/**
 * A held harmonic note (1/h source) shaped by an envelope of resonance peaks over a small floor,
 * with a 150 ms onset and a 100 ms release: a sung vowel when the resonances are a vowel's.
 */
function shapedNote(f0: number, resonances: Resonance[], seconds = 1.5): Float32Array {
  const amps: number[] = [];
  for (let h = 1; h * f0 < SR / 2; h++) {
    const hz = h * f0;
    let gain = 0.02;
    for (const r of resonances) gain += r.gain / (1 + ((hz - r.hz) / (r.bandwidthHz / 2)) ** 2);
    amps.push(gain / h);
  }
  const out = new Float32Array(Math.round(seconds * SR));
  for (let i = 0; i < out.length; i++) {
    const t = i / SR;
    let v = 0;
    for (let h = 1; h <= amps.length; h++) v += amps[h - 1] * Math.sin(2 * Math.PI * h * f0 * t);
    out[i] = v * Math.min(1, t / 0.15) * Math.min(1, (seconds - t) / 0.1);
  }
  let peak = 0;
  for (const v of out) peak = Math.max(peak, Math.abs(v));
  for (let i = 0; i < out.length; i++) out[i] *= 0.5 / peak;
  return out;
}

function sawtooth(f0: number, seconds = 1.5): Float32Array {
  return shapedNote(f0, [], seconds);
}

function measured(): Measured {
  return {
    levels: {
      samplePeakDb: -6,
      truePeakDb: -6,
      rmsDb: -15,
      lufs: null,
      loudnessRangeLu: null,
      isSilent: false,
    },
    loop: { isLoop: false, confidence: 1 },
    tempo: { bpm: null, confidence: 0, beats: null, bars: null, beatsPerBar: null, candidates: [] },
    key: { tonic: null, scale: null, camelot: null, confidence: 0 },
    pitch: { midiNote: null, cents: null, frequencyHz: null, confidence: 0 },
    envelope: { attackSec: 0, decaySec: 0, effectiveLengthSec: 0, temporalCentroidSec: 0 },
    spectral: { centroidHz: 0, rolloffHz: 0, flatness: 0, bandwidthHz: 0, zeroCrossingRate: 0 },
  };
}

const formantOf = (x: Float32Array) => classifyDescriptors(createContext(x, SR)).singersFormantDb;
const labelOf = (x: Float32Array) => classifyType(createContext(x, SR), measured()).label;

describe("singer's formant", () => {
  // Above ~300 Hz only two or three harmonics fall in the 1.3-2.3 kHz band, and one may sit on the
  // skirt of a strong F2: the reading then depends on where the harmonics land.
  it('rises above 0 dB for a vowel with the 3 kHz cluster, at pitches of low and middle voices', () => {
    for (const f0 of [110, 160, 230, 290]) {
      const db = formantOf(shapedNote(f0, [...AH, CLUSTER]));
      expect(db).not.toBeNull();
      expect(db as number).toBeGreaterThan(2);
    }
  });

  it('stays below 0 dB for the same vowel without the cluster and for a plain roll-off', () => {
    for (const f0 of [130, 200, 330]) {
      expect(formantOf(shapedNote(f0, AH)) as number).toBeLessThan(-2);
      expect(formantOf(sawtooth(f0)) as number).toBeLessThan(-2);
    }
  });

  it('is not measured when too few harmonics fall in the bands, or without a pitch', () => {
    expect(formantOf(shapedNote(1000, [...AH, CLUSTER]))).toBeNull();
    const noise = new Float32Array(SR);
    let s = 1;
    for (let i = 0; i < noise.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      noise[i] = 0.3 * (s / 2 ** 31 - 1);
    }
    expect(formantOf(noise)).toBeNull();
  });

  it('makes a held vowel with the cluster vocal, and the same note without it melodic', () => {
    expect(labelOf(shapedNote(200, [...AH, CLUSTER]))).toBe('vocal');
    expect(labelOf(shapedNote(200, AH))).toBe('melodic');
    expect(labelOf(sawtooth(330))).toBe('melodic');
  });
});
