import {
  FEATURE_ASPECT_INDICES,
  FEATURE_LAYOUT,
  FEATURE_VECTOR_LENGTH,
  PITCH_CLASSES,
} from '@samplemind/contract';
import { describe, expect, it } from 'vitest';
import { createContext } from '../context';
import { concat, hat, kick, RATE, scaled, silence, tone, whiteNoise } from './descriptor-test-signals';
import { analyseEnvelope } from './envelope';
import { featureVector } from './features';
import { createLevelMeter } from './levels';
import type { Measured } from './measured';
import { analyseSpectral } from './spectral';

function features(x: Float32Array, midiNote: number | null = null): number[] {
  const ctx = createContext(x, RATE);
  const meter = createLevelMeter(RATE, 1);
  meter.push([x]);
  const measured: Measured = {
    levels: meter.finish(),
    loop: { isLoop: false, confidence: 1 },
    tempo: { bpm: null, confidence: 0, beats: null, bars: null, beatsPerBar: null, candidates: [] },
    // As analyse() does: a pitched note has tonal content (a key reading), a drum has none.
    key:
      midiNote === null
        ? { tonic: null, scale: null, camelot: null, confidence: 0 }
        : { tonic: PITCH_CLASSES[midiNote % 12], scale: 'major', camelot: null, confidence: 0.5 },
    pitch: {
      midiNote,
      cents: midiNote === null ? null : 0,
      frequencyHz: null,
      confidence: midiNote === null ? 0 : 0.9,
    },
    envelope: analyseEnvelope(ctx),
    spectral: analyseSpectral(ctx),
  };
  return featureVector(ctx, measured);
}

const distance = (a: number[], b: number[], idx = a.map((_, i) => i)) =>
  Math.sqrt(idx.reduce((s, i) => s + (a[i] - b[i]) ** 2, 0));
const cosine = (a: number[], b: number[]) => {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
};

describe('featureVector', () => {
  it('matches the contract layout and stays finite in [0, 1] for every kind of input', () => {
    const inputs = [
      kick(),
      hat(),
      tone(220),
      whiteNoise(1),
      silence(1),
      new Float32Array(100).fill(0.5),
      new Float32Array(0),
      concat(silence(2), scaled(tone(880), 2)), // overs: clipped peaks above full scale
    ];
    for (const x of inputs) {
      const v = features(x);
      expect(v).toHaveLength(FEATURE_VECTOR_LENGTH);
      expect(v).toHaveLength(FEATURE_LAYOUT.length);
      for (const value of v) {
        expect(Number.isFinite(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
  });

  it('puts variations of one hit closer together than a kick and a hat', () => {
    const kicks = [
      kick(),
      kick({ startHz: 165, tau: 0.13 }),
      kick({ endHz: 46, amp: 0.6 }),
      concat(silence(0.2), kick({ tau: 0.11 })),
    ].map((x) => features(x));
    const hats = [hat(), hat({ tau: 0.05, seed: 11 }), hat({ amp: 0.3, seed: 3 })].map((x) => features(x));
    let worstSame = 0;
    let worstSameCos = 1;
    for (const group of [kicks, hats]) {
      for (let i = 0; i < group.length; i++) {
        for (let j = i + 1; j < group.length; j++) {
          worstSame = Math.max(worstSame, distance(group[i], group[j]));
          worstSameCos = Math.min(worstSameCos, cosine(group[i], group[j]));
        }
      }
    }
    let bestDifferent = Number.POSITIVE_INFINITY;
    let bestDifferentCos = -1;
    for (const k of kicks) {
      for (const h of hats) {
        bestDifferent = Math.min(bestDifferent, distance(k, h));
        bestDifferentCos = Math.max(bestDifferentCos, cosine(k, h));
      }
    }
    expect(worstSame).toBeLessThan(bestDifferent);
    expect(worstSameCos).toBeGreaterThan(bestDifferentCos);
  });

  it('keeps timbre, pitch and envelope unchanged when only the level changes', () => {
    const a = features(tone(330, { hold: 0.8 }), 64);
    const b = features(scaled(tone(330, { hold: 0.8 }), 0.1), 64);
    const stable = [
      ...FEATURE_ASPECT_INDICES.timbre,
      ...FEATURE_ASPECT_INDICES.pitch,
      ...FEATURE_ASPECT_INDICES.envelope,
    ];
    expect(distance(a, b, stable)).toBeLessThan(0.02);
    expect(distance(a, b, FEATURE_ASPECT_INDICES.loudness)).toBeGreaterThan(0.3);
  });

  it('tells pitched notes apart by chroma and root note', () => {
    const c = features(tone(261.63, { hold: 1 }), 60);
    const fSharp = features(tone(369.99, { hold: 1 }), 66);
    const c2 = features(tone(261.63, { hold: 1, tau: 0.3 }), 60);
    const pitchDims = FEATURE_ASPECT_INDICES.pitch;
    expect(distance(c, c2, pitchDims)).toBeLessThan(distance(c, fSharp, pitchDims) / 3);
    const chroma = (v: number[]) =>
      FEATURE_LAYOUT.flatMap((d, i) => (d.name.startsWith('chroma') ? [v[i]] : []));
    expect(chroma(c)[0]).toBe(1); // C is the strongest pitch class of a C note
    expect(chroma(fSharp)[6]).toBe(1);
    // Without tonal content (no key reading) there is no pitch-class profile.
    expect(chroma(features(tone(261.63, { hold: 1 }), null)).every((x) => x === 0)).toBe(true);
  });
});
