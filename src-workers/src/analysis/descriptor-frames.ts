/**
 * Per-frame spectral descriptors on the shared onset/timbre spectrogram (1024 / 256 at 22050 Hz:
 * 46 ms windows every 11.6 ms), memoised in the context so that spectral.ts, features.ts and the
 * classifier read one computation. All frequencies are in Hz.
 */
import type { AnalysisContext } from '../context';
import type { Spectrogram } from '../dsp/stft';

export const TIMBRE_FFT = 1024;
export const TIMBRE_HOP = 256;

/** Frames this far below the loudest frame are treated as silence by every aggregate. */
export const SILENT_FRAME_DB = -60;

export type SpectralFrames = {
  frames: number;
  /** Seconds between frame starts. */
  hopSec: number;
  /** Sum of squared magnitudes per frame (0 for digital silence). */
  energy: Float32Array;
  /** Largest `energy`. */
  maxEnergy: number;
  /** 1 where the frame is within SILENT_FRAME_DB of the loudest frame (and not digital silence). */
  active: Uint8Array;
  centroidHz: Float32Array;
  /** Frequency below which 85 % of the frame's power lies. */
  rolloffHz: Float32Array;
  /** Standard deviation of frequency around the centroid, power-weighted. */
  bandwidthHz: Float32Array;
  /** Geometric / arithmetic mean of the power spectrum (0 = one pure tone, 1 = white noise). */
  flatness: Float32Array;
  /**
   * Spectral change from the previous frame: L2 norm of the positive part of the difference of
   * unit-norm magnitude spectra, 0..1. Level-independent; 1 for sound after digital silence or
   * at the start of the file.
   */
  flux: Float32Array;
  /** Zero crossings per second in the hop-long block at the centre of each frame (time domain). */
  zcr: Float32Array;
};

export function spectralFrames(ctx: AnalysisContext): SpectralFrames {
  return ctx.memo('timbre:spectral-frames', () =>
    computeSpectralFrames(ctx.spectrogram(TIMBRE_FFT, TIMBRE_HOP), ctx.mono),
  );
}

/** Power below this share of a frame's mean is floored before logs (keeps flatness finite). */
const FLATNESS_FLOOR = 1e-10;
const ROLLOFF = 0.85;
/**
 * A frame whose spectral norm is below this is digital silence: far under 16-bit quantisation
 * noise (~5e-4 at this window), far above float residue (a filter's tail decays to 1e-30, not 0).
 * Comparing with exactly 0 made results depend on last-bit differences between JS engines.
 */
const SILENT_NORM = 1e-6;
/** Bins per running product in the geometric mean: one log per group instead of one per bin. */
const LOG_GROUP = 16;

export function computeSpectralFrames(spec: Spectrogram, mono: Float32Array): SpectralFrames {
  const { frames, bins, magnitudes, binHz, hop, sampleRate } = spec;
  const energy = new Float32Array(frames);
  const centroidHz = new Float32Array(frames);
  const rolloffHz = new Float32Array(frames);
  const bandwidthHz = new Float32Array(frames);
  const flatness = new Float32Array(frames);
  const flux = new Float32Array(frames);
  const zcr = new Float32Array(frames);
  const active = new Uint8Array(frames);
  const power = new Float64Array(bins);
  let prevNorm = 0;
  let maxEnergy = 0;

  for (let f = 0; f < frames; f++) {
    const o = f * bins;
    let sum = 0;
    let weighted = 0;
    let weighted2 = 0;
    for (let k = 0; k < bins; k++) {
      const m = magnitudes[o + k];
      const p = m * m;
      power[k] = p;
      sum += p;
      weighted += p * k;
      weighted2 += p * k * k;
    }
    energy[f] = sum;
    if (sum > maxEnergy) maxEnergy = sum;
    const norm = Math.sqrt(sum);
    // Sound after digital silence (or at the very start) is a wholly new spectrum: flux 1. This
    // keeps a sound's mean flux the same with or without leading silence.
    if (norm >= SILENT_NORM && prevNorm < SILENT_NORM) flux[f] = 1;
    else if (norm >= SILENT_NORM) {
      // Positive spectral change between unit-norm spectra (onsets, not decays).
      const po = o - bins;
      const a = 1 / norm;
      const b = 1 / prevNorm;
      let acc = 0;
      for (let k = 0; k < bins; k++) {
        // (d + |d|) = 2 max(d, 0) without a branch (mispredicted half the time) and without
        // Math.max, which V8 compiles slowly here (-0 / NaN rules): 7x faster.
        const d = magnitudes[o + k] * a - magnitudes[po + k] * b;
        const h = d + Math.abs(d);
        acc += h * h;
      }
      flux[f] = 0.5 * Math.sqrt(acc);
    }
    prevNorm = norm;
    if (sum <= 0) continue;

    const centroidBin = weighted / sum;
    centroidHz[f] = centroidBin * binHz;
    // Variance as E[k^2] - E[k]^2: exact enough in doubles for 513 bins, and saves a pass.
    bandwidthHz[f] = Math.sqrt(Math.max(0, weighted2 / sum - centroidBin * centroidBin)) * binHz;
    const target = ROLLOFF * sum;
    let cumulative = 0;
    let rolloffBin = 0;
    while (rolloffBin < bins - 1) {
      cumulative += power[rolloffBin];
      if (cumulative >= target) break;
      rolloffBin++;
    }
    rolloffHz[f] = rolloffBin * binHz;

    // Geometric mean over bins 1..bins-1 (DC carries no timbre), from products of groups of
    // normalised values: each factor is within [1e-10, bins], so a group of 16 cannot overflow.
    const mean = (sum - power[0]) / (bins - 1);
    if (mean > 0) {
      const floor = mean * FLATNESS_FLOOR;
      const inv = 1 / mean;
      let logSum = 0;
      let product = 1;
      let inGroup = 0;
      for (let k = 1; k < bins; k++) {
        const p = Math.max(power[k], floor);
        product *= p * inv;
        if (++inGroup === LOG_GROUP) {
          logSum += Math.log(product);
          product = 1;
          inGroup = 0;
        }
      }
      logSum += Math.log(product);
      flatness[f] = Math.min(1, Math.exp(logSum / (bins - 1)));
    }
  }

  const threshold = maxEnergy * 10 ** (SILENT_FRAME_DB / 10);
  for (let f = 0; f < frames; f++) active[f] = energy[f] > 0 && energy[f] >= threshold ? 1 : 0;

  // Zero crossings in the hop-long block at the centre of each frame's window.
  const centre = (spec.size - hop) >> 1;
  for (let f = 0; f < frames; f++) {
    const start = Math.min(mono.length, f * hop + centre);
    const end = Math.min(mono.length, start + hop);
    let crossings = 0;
    let prev = start > 0 ? mono[start - 1] : mono[start];
    for (let i = start; i < end; i++) {
      const v = mono[i];
      if (v >= 0 !== prev >= 0) crossings++;
      prev = v;
    }
    zcr[f] = end > start ? (crossings * sampleRate) / (end - start) : 0;
  }

  return {
    frames,
    hopSec: hop / sampleRate,
    energy,
    maxEnergy,
    active,
    centroidHz,
    rolloffHz,
    bandwidthHz,
    flatness,
    flux,
    zcr,
  };
}

/**
 * Weighted mean of `values` over active frames, weighted by `weights` (e.g. frame energy).
 * Returns 0 when no frame is active.
 */
export function weightedMean(values: Float32Array, weights: Float32Array, active: Uint8Array): number {
  let num = 0;
  let den = 0;
  for (let f = 0; f < values.length; f++) {
    if (!active[f]) continue;
    num += values[f] * weights[f];
    den += weights[f];
  }
  return den > 0 ? num / den : 0;
}

/**
 * Energy per frequency band per frame: frames x (edgesHz.length + 1), bands split at the given
 * ascending edges (the first band starts at 0 Hz, the last ends at Nyquist). Sums of squared
 * magnitudes, on the same scale as SpectralFrames.energy.
 */
export function bandEnergyFrames(spec: Spectrogram, edgesHz: readonly number[]): Float32Array {
  const { frames, bins, magnitudes, binHz } = spec;
  const bands = edgesHz.length + 1;
  const bandOf = new Uint8Array(bins);
  for (let k = 0, b = 0; k < bins; k++) {
    while (b < edgesHz.length && k * binHz >= edgesHz[b]) b++;
    bandOf[k] = b;
  }
  const out = new Float32Array(frames * bands);
  for (let f = 0; f < frames; f++) {
    const o = f * bins;
    const r = f * bands;
    for (let k = 0; k < bins; k++) {
      const m = magnitudes[o + k];
      out[r + bandOf[k]] += m * m;
    }
  }
  return out;
}
