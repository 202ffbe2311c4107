import type { AnalysisContext } from '../context';
import type { Spectrogram } from '../dsp/stft';
import { blockPowers, countPeaks, movingAverage, roughness } from './classify-envelope';
import { singersFormantDb } from './classify-formant';
import { overtoneHarmonicity } from './classify-harmonicity';
import { FIRST_BIN, periodicityTrack } from './classify-periodicity';

/**
 * Perceptual descriptors for the sample-type classifier, in physical units (seconds, Hz, dB,
 * fractions). They are computed here rather than taken from envelope.ts / spectral.ts because the
 * classifier needs them split by segment (attack vs body) and needs a few that nothing else
 * measures (bursts, pitch glide, periodicity track). Everything comes from one pass over the
 * signal at 1 ms resolution plus the shared 1024/256 spectrogram, so the cost stays a fraction of
 * a millisecond per second of audio.
 */
export type ClassifyDescriptors = {
  /** Nothing above about -100 dBFS. */
  silent: boolean;
  /** Onset (-30 dB re peak) to the first time within 6 dB of the peak: the rise of the transient, not a later swell. */
  attackSec: number;
  /** Peak to the last time within 20 dB of the peak. */
  decay20Sec: number;
  /** Onset to the last time within 40 dB of the peak (how long it is heard). */
  activeSec: number;
  /** Total time spent within 10 dB of the peak (sustain: long for held notes, short for hits). */
  hold10Sec: number;
  /** Fraction of the spectral energy (onset to -30 dB) in 0-150, 150-800, 800-3k, 3k-8k, 8k+ Hz. */
  bands: [number, number, number, number, number];
  /** Spectral centroid over the first ~50 ms after the onset. */
  centroidAttackHz: number;
  /** Spectral centroid after the attack. */
  centroidBodyHz: number;
  /** Centroid of the part below 500 Hz: where the fundamental of a drum or bass sits. */
  lowCentroidHz: number;
  /** Spectral flatness (Wiener entropy) of the body, 0 = pure tone, 1 = white noise. */
  flatness: number;
  /** Energy-weighted mean of the best normalised autocorrelation peak over the body, 0..1. */
  periodicity: number;
  /** Energy-weighted fraction of body frames that are clearly periodic. */
  voicedFraction: number;
  /** Median fundamental over periodic frames; null when there are none. */
  f0Hz: number | null;
  /** Spread (median absolute deviation, cents) of the fundamental over periodic frames. */
  f0SpreadCents: number;
  /** Extent (cents) of a periodic 4-8 Hz pitch modulation; 0 when there is none. */
  vibratoCents: number;
  /**
   * How harmonic the overtones of a mostly periodic sound are, 0..1 (classify-harmonicity.ts):
   * high for strings, winds and voices, low for membranes, bars and bells; null when not measurable.
   */
  harmonicity: number | null;
  /**
   * Singer's-formant prominence (classify-formant.ts), dB: mean power of the harmonics at
   * 2.4-3.6 kHz over that at 1.3-2.3 kHz; above 0 for a sung vowel, well below for instruments;
   * null when not measurable.
   */
  singersFormantDb: number | null;
  /** Octaves the low-band (< 300 Hz) centroid falls from the attack to 100 ms later. */
  lowGlideOct: number;
  /** Distinct noise bursts (>= 4 dB dips between them) in the first 100 ms. */
  bursts: number;
  /** Re-attacks (>= 6 dB rises) after the first onset, over the whole sound. */
  reattacks: number;
  /** Mean deviation of the 20 ms level steps from their median trend, dB (amplitude wobble). */
  roughnessDb: number;
};

const BLOCK_SEC = 0.001;
/** The engine's shared onset/timbre spectrogram (1024-point frames, 256 hop at 22050 Hz). */
export const CLASSIFY_FFT = 1024;
export const CLASSIFY_HOP = 256;
const BAND_EDGES_HZ = [150, 800, 3000, 8000];
const ATTACK_SPAN_SEC = 0.05;

export function classifyDescriptors(ctx: AnalysisContext): ClassifyDescriptors {
  return ctx.memo('classify:descriptors', () => compute(ctx));
}

function compute(ctx: AnalysisContext): ClassifyDescriptors {
  const x = ctx.mono;
  const sr = ctx.sampleRate;
  const block = Math.max(1, Math.round(sr * BLOCK_SEC));
  const blockSec = block / sr;
  const { pow, hp } = blockPowers(x, block, Math.exp((-2 * Math.PI * 15) / sr));
  const env = movingAverage(pow, 5);
  const n = env.length;
  let peak = 0;
  let peakBlock = 0;
  for (let b = 0; b < n; b++) {
    if (env[b] > peak) {
      peak = env[b];
      peakBlock = b;
    }
  }
  if (n === 0 || peak < 1e-10) return silentDescriptors();

  const thr = (db: number) => peak * 10 ** (db / 10);
  const firstAbove = (db: number, from = 0) => {
    const t = thr(db);
    for (let b = from; b < n; b++) if (env[b] >= t) return b;
    return from;
  };
  const lastAbove = (db: number) => {
    const t = thr(db);
    for (let b = n - 1; b >= 0; b--) if (env[b] >= t) return b;
    return 0;
  };
  const onset = firstAbove(-30);
  const attackEnd = firstAbove(-6, onset);
  const last20 = lastAbove(-20);
  const last30 = lastAbove(-30);
  const last40 = lastAbove(-40);
  let hold10 = 0;
  const t10 = thr(-10);
  for (let b = onset; b < n; b++) if (env[b] >= t10) hold10++;

  const env20 = movingAverage(pow, Math.round(0.02 / blockSec));
  const spec = ctx.spectrogram(CLASSIFY_FFT, CLASSIFY_HOP);
  const frameOf = (sample: number) => Math.min(spec.frames - 1, Math.max(0, Math.floor(sample / spec.hop)));
  const fStart = frameOf(onset * block);
  const fEnd = Math.max(fStart, frameOf(last30 * block));
  const fAttackEnd = Math.min(fEnd, fStart + Math.round((ATTACK_SPAN_SEC * sr) / spec.hop));
  const shape = spectralShape(spec, fStart, fAttackEnd, fEnd);

  const pitchFrom = Math.min(fEnd, fStart + Math.max(1, Math.round((0.03 * sr) / spec.hop)));
  const pitchTo = Math.max(pitchFrom, frameOf(last20 * block));
  const tonal = periodicityTrack(spec, pitchFrom, pitchTo);
  const pitchedF0 = tonal.voicedFraction >= 0.5 ? tonal.f0Hz : null;
  const harmonicity = overtoneHarmonicity(spec, pitchFrom, pitchTo, pitchedF0);
  const lowGlideOct = lowBandGlide(spec, fStart, fEnd);

  return {
    silent: false,
    attackSec: (attackEnd - onset) * blockSec,
    decay20Sec: Math.max(0, last20 - peakBlock) * blockSec,
    activeSec: Math.max(1, last40 - onset) * blockSec,
    hold10Sec: hold10 * blockSec,
    ...shape,
    ...tonal,
    harmonicity,
    singersFormantDb: singersFormantDb(spec, pitchFrom, pitchTo, pitchedF0),
    lowGlideOct,
    bursts: countPeaks(
      movingAverage(hp, 2),
      onset,
      Math.min(n, onset + Math.round(0.1 / blockSec)),
      1,
      4,
      20,
    ),
    // A 20 ms average: long enough to flatten the ripple of a 50 Hz tone, short enough to keep
    // syllables, rotor blades and trills.
    reattacks: Math.max(0, countPeaks(env20, onset, last30 + 1, Math.round(0.01 / blockSec), 6, 25) - 1),
    roughnessDb: roughness(env20, block, sr, peakBlock, lastAbove(-25)),
  };
}

function silentDescriptors(): ClassifyDescriptors {
  return {
    silent: true,
    attackSec: 0,
    decay20Sec: 0,
    activeSec: 0,
    hold10Sec: 0,
    bands: [0, 0, 0, 0, 0],
    centroidAttackHz: 0,
    centroidBodyHz: 0,
    lowCentroidHz: 0,
    flatness: 0,
    periodicity: 0,
    voicedFraction: 0,
    f0Hz: null,
    f0SpreadCents: 0,
    vibratoCents: 0,
    harmonicity: null,
    singersFormantDb: null,
    lowGlideOct: 0,
    bursts: 0,
    reattacks: 0,
    roughnessDb: 0,
  };
}

function spectralShape(spec: Spectrogram, fStart: number, fAttackEnd: number, fEnd: number) {
  const { bins, binHz, magnitudes } = spec;
  const edges = BAND_EDGES_HZ.map((hz) => Math.round(hz / binHz));
  const bands = [0, 0, 0, 0, 0];
  const flatHi = Math.min(bins - 1, Math.round(10_000 / binHz));
  const flatLo = FIRST_BIN;
  const lowTop = Math.round(500 / binHz);
  let lowNum = 0;
  let lowDen = 0;
  let attackNum = 0;
  let attackDen = 0;
  let bodyNum = 0;
  let bodyDen = 0;
  let flatSum = 0;
  let flatWeight = 0;
  for (let f = fStart; f <= fEnd; f++) {
    const base = f * bins;
    let num = 0;
    let den = 0;
    let band = 0;
    for (let k = FIRST_BIN; k < bins; k++) {
      const m = magnitudes[base + k];
      const p = m * m;
      while (band < 4 && k >= edges[band]) band++;
      bands[band] += p;
      if (k <= lowTop) {
        lowNum += p * k;
        lowDen += p;
      }
      num += p * k;
      den += p;
    }
    if (f <= fAttackEnd) {
      attackNum += num;
      attackDen += den;
    }
    if (f > fAttackEnd || fAttackEnd === fEnd) {
      bodyNum += num;
      bodyDen += den;
      const count = flatHi - flatLo + 1;
      let flatPow = 0;
      for (let k = flatLo; k <= flatHi; k++) {
        const m = magnitudes[base + k];
        flatPow += m * m;
      }
      const mean = flatPow / count;
      if (mean > 0) {
        flatSum += den * (Math.exp(logPowerSum(magnitudes, base + flatLo, count) / count) / mean);
        flatWeight += den;
      }
    }
  }
  const total = bands.reduce((a, b) => a + b, 0) || 1;
  return {
    bands: bands.map((b) => b / total) as [number, number, number, number, number],
    centroidAttackHz: attackDen > 0 ? (attackNum / attackDen) * binHz : 0,
    centroidBodyHz: bodyDen > 0 ? (bodyNum / bodyDen) * binHz : 0,
    lowCentroidHz: lowDen > 0 ? (lowNum / lowDen) * binHz : 0,
    flatness: flatWeight > 0 ? Math.min(1, flatSum / flatWeight) : 0,
  };
}

/**
 * Σ log(m² + 1e-20) over `count` magnitudes from `at`, as logs of running products: a factor lies
 * in [1e-20, ~1e7], so a product flushed once it leaves [1e-250, 1e250] never under- or
 * overflows, and one log covers a dozen or more bins instead of one.
 */
function logPowerSum(magnitudes: Float32Array, at: number, count: number): number {
  let logSum = 0;
  let product = 1;
  for (let k = at; k < at + count; k++) {
    const m = magnitudes[k];
    product *= m * m + 1e-20;
    if (product < 1e-250 || product > 1e250) {
      logSum += Math.log(product);
      product = 1;
    }
  }
  return logSum + Math.log(product);
}

/** Octaves the < 300 Hz centroid falls between the attack frame and the frame 100 ms later. */
function lowBandGlide(spec: Spectrogram, fStart: number, fEnd: number): number {
  const { bins, binHz, magnitudes, hop, sampleRate } = spec;
  const top = Math.min(bins - 1, Math.round(300 / binHz));
  const centroid = (f: number) => {
    let num = 0;
    let den = 0;
    for (let k = FIRST_BIN; k <= top; k++) {
      const p = magnitudes[f * bins + k] ** 2;
      num += k * p;
      den += p;
    }
    return den > 0 ? num / den : 0;
  };
  const later = fStart + Math.round((0.1 * sampleRate) / hop);
  if (later > fEnd) return 0;
  const early = centroid(fStart);
  const late = centroid(later);
  return early > 0 && late > 0 ? Math.log2(early / late) : 0;
}
