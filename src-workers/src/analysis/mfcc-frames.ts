/**
 * Mel band energies and MFCCs per frame of the shared 1024 / 256 spectrogram, memoised.
 *
 * 40 triangular bands evenly spaced on the HTK mel scale from 0 Hz to Nyquist, each normalised to
 * unit weight sum (a band reads the mean power under it, so white noise gives a flat mel spectrum
 * and MFCCs of 0 beyond c0). Log energies are in dB, floored 80 dB below the frame's strongest
 * band so that near-empty bands do not dominate. MFCCs are the orthonormal DCT-II of that log mel
 * spectrum; c0 (overall level) is left out because loudness has its own features.
 */
import type { AnalysisContext } from '../context';
import type { Spectrogram } from '../dsp/stft';
import { spectralFrames, TIMBRE_FFT, TIMBRE_HOP } from './descriptor-frames';

export const MEL_BANDS = 40;
/** Coefficients c1..c13. */
export const MFCC_COUNT = 13;
const FLOOR_DB = -80;

export type MelFrames = {
  frames: number;
  bands: number;
  /** Band centre frequencies, Hz. */
  centreHz: Float32Array;
  /** frames x bands, dB (10 log10 of mean power in the band); FLOOR relative to each frame's max. */
  logMel: Float32Array;
};

export type MfccFrames = {
  frames: number;
  coefficients: number;
  /** frames x MFCC_COUNT: c1..c13 of each frame (silent frames hold 0). */
  mfcc: Float32Array;
  /** 1 where the frame is not silent (same mask as spectralFrames). */
  active: Uint8Array;
};

const hzToMel = (f: number) => 2595 * Math.log10(1 + f / 700);
const melToHz = (m: number) => 700 * (10 ** (m / 2595) - 1);

type Filterbank = { start: Int32Array; weights: Float32Array[]; centreHz: Float32Array };
const filterbanks = new Map<string, Filterbank>();

/** Triangular mel filters over FFT bins, cached per (bins, binHz). */
export function melFilterbank(bins: number, binHz: number, bands = MEL_BANDS): Filterbank {
  const key = `${bins}:${binHz}:${bands}`;
  const cached = filterbanks.get(key);
  if (cached) return cached;
  const maxMel = hzToMel((bins - 1) * binHz);
  const edges = Array.from({ length: bands + 2 }, (_, i) => melToHz((i * maxMel) / (bands + 1)));
  const start = new Int32Array(bands);
  const weights: Float32Array[] = [];
  const centreHz = new Float32Array(bands);
  for (let b = 0; b < bands; b++) {
    const [lo, mid, hi] = [edges[b], edges[b + 1], edges[b + 2]];
    centreHz[b] = mid;
    const first = Math.max(0, Math.ceil(lo / binHz));
    const last = Math.min(bins - 1, Math.floor(hi / binHz));
    let w = Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => {
      const f = (first + i) * binHz;
      return f <= mid ? (f - lo) / (mid - lo) : (hi - f) / (hi - mid);
    }).map((v) => Math.max(0, v));
    // A band narrower than a bin would catch nothing: give it the bin nearest its centre.
    if (w.every((v) => v === 0)) {
      const nearest = Math.min(bins - 1, Math.round(mid / binHz));
      start[b] = nearest;
      w = [1];
    } else start[b] = first;
    const total = w.reduce((s, v) => s + v, 0);
    weights.push(Float32Array.from(w, (v) => v / total));
  }
  const fb = { start, weights, centreHz };
  filterbanks.set(key, fb);
  return fb;
}

export function melFrames(ctx: AnalysisContext): MelFrames {
  return ctx.memo('timbre:mel', () => computeMelFrames(ctx.spectrogram(TIMBRE_FFT, TIMBRE_HOP)));
}

export function computeMelFrames(spec: Spectrogram): MelFrames {
  const { frames, bins, magnitudes, binHz } = spec;
  const fb = melFilterbank(bins, binHz);
  const logMel = new Float32Array(frames * MEL_BANDS);
  const band = new Float64Array(MEL_BANDS);
  for (let f = 0; f < frames; f++) {
    const o = f * bins;
    let max = 0;
    for (let b = 0; b < MEL_BANDS; b++) {
      const w = fb.weights[b];
      const s0 = o + fb.start[b];
      let acc = 0;
      for (let i = 0; i < w.length; i++) {
        const m = magnitudes[s0 + i];
        acc += w[i] * m * m;
      }
      band[b] = acc;
      if (acc > max) max = acc;
    }
    const floor = max * 10 ** (FLOOR_DB / 10);
    const lo = f * MEL_BANDS;
    for (let b = 0; b < MEL_BANDS; b++) {
      logMel[lo + b] = max > 0 ? 10 * Math.log10(Math.max(band[b], floor)) : FLOOR_DB;
    }
  }
  return { frames, bands: MEL_BANDS, centreHz: fb.centreHz, logMel };
}

/** Orthonormal DCT-II rows 1..count for an input of length n. */
const dctCache = new Map<string, Float64Array>();
function dctMatrix(n: number, count: number): Float64Array {
  const key = `${n}:${count}`;
  let m = dctCache.get(key);
  if (!m) {
    m = new Float64Array(count * n);
    const scale = Math.sqrt(2 / n);
    for (let k = 1; k <= count; k++) {
      for (let i = 0; i < n; i++) m[(k - 1) * n + i] = scale * Math.cos((Math.PI * k * (i + 0.5)) / n);
    }
    dctCache.set(key, m);
  }
  return m;
}

export function mfccFrames(ctx: AnalysisContext): MfccFrames {
  return ctx.memo('timbre:mfcc', () => computeMfcc(melFrames(ctx), spectralFrames(ctx).active));
}

export function computeMfcc(mel: MelFrames, active: Uint8Array): MfccFrames {
  const { frames, bands, logMel } = mel;
  const dct = dctMatrix(bands, MFCC_COUNT);
  const mfcc = new Float32Array(frames * MFCC_COUNT);
  for (let f = 0; f < frames; f++) {
    if (!active[f]) continue;
    const lo = f * bands;
    for (let k = 0; k < MFCC_COUNT; k++) {
      const row = k * bands;
      let acc = 0;
      for (let b = 0; b < bands; b++) acc += dct[row + b] * logMel[lo + b];
      mfcc[f * MFCC_COUNT + k] = acc;
    }
  }
  return { frames, coefficients: MFCC_COUNT, mfcc, active };
}
