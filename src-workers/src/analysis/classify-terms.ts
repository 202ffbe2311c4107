import type { SampleType } from '@samplemind/contract';
import type { ClassifyDescriptors } from './classify-descriptors';

// The machinery of the one-shot prototypes (classify-prototypes.ts): derived descriptors, soft
// range terms and their capped quadratic penalties.
/** Descriptors plus the combinations the prototypes talk about. */
export type Derived = ClassifyDescriptors & {
  /** Energy fraction below 150 Hz. */
  low: number;
  /** Energy fraction below 800 Hz. */
  below800: number;
  /** Energy fraction 800 Hz - 3 kHz. */
  mid: number;
  /** Energy fraction above 3 kHz. */
  high: number;
  /**
   * The 800 Hz - 3 kHz and > 3 kHz shares of the energy above 150 Hz: the shape of a bright
   * instrument without the sub-bass a room, a stand or a pedal may add under it.
   */
  midShare: number;
  highShare: number;
  /** Fundamental when the sound is mostly periodic, else null. */
  pitchHz: number | null;
  /** Fundamental if periodic, else the centroid below 500 Hz (where a drum's fundamental sits). */
  lowPitchHz: number;
};

export function derive(d: ClassifyDescriptors): Derived {
  const pitchHz = d.f0Hz !== null && d.voicedFraction >= 0.5 ? d.f0Hz : null;
  return {
    ...d,
    low: d.bands[0],
    below800: d.bands[0] + d.bands[1],
    mid: d.bands[2],
    high: d.bands[3] + d.bands[4],
    midShare: d.bands[2] / Math.max(1e-9, 1 - d.bands[0]),
    highShare: (d.bands[3] + d.bands[4]) / Math.max(1e-9, 1 - d.bands[0]),
    pitchHz,
    lowPitchHz: pitchHz ?? d.lowCentroidHz,
  };
}

type Term = {
  get: (d: Derived) => number | null;
  lo: number;
  hi: number;
  soft: number;
  log: boolean;
  weight: number;
};

const MAX_TERM_PENALTY = 4;
/** Penalty (before weight) when a descriptor a prototype needs does not exist (e.g. no pitch). */
const MISSING_PENALTY = 2;

export const inf = Number.POSITIVE_INFINITY;
/** Expect the value in [lo, hi]; `soft` in the value's own unit. */
export const lin = (get: Term['get'], lo: number, hi: number, soft: number, weight = 1): Term => ({
  get,
  lo,
  hi,
  soft,
  log: false,
  weight,
});
/** Expect the value in [lo, hi] on a log scale; `softOct` in octaves (factors of two). */
export const oct = (get: Term['get'], lo: number, hi: number, softOct: number, weight = 1): Term => ({
  get,
  lo,
  hi,
  soft: softOct,
  log: true,
  weight,
});

function termPenalty(t: Term, d: Derived): number {
  const v = t.get(d);
  if (v === null || Number.isNaN(v)) return t.weight * MISSING_PENALTY;
  let dist: number;
  if (t.log) {
    const x = Math.log2(Math.max(v, 1e-6));
    const lo = t.lo > 0 ? Math.log2(t.lo) : -inf;
    const hi = t.hi < inf ? Math.log2(t.hi) : inf;
    dist = x < lo ? lo - x : x > hi ? x - hi : 0;
  } else dist = v < t.lo ? t.lo - v : v > t.hi ? v - t.hi : 0;
  const z = dist / t.soft;
  return t.weight * Math.min(MAX_TERM_PENALTY, z * z);
}

export type Prototype = { label: SampleType; name: string; terms: Term[] };

export function prototypePenalty(p: Prototype, d: Derived): number {
  let sum = 0;
  for (const t of p.terms) sum += termPenalty(t, d);
  return sum;
}
