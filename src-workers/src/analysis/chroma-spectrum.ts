import type { AnalysisContext } from '../context';
import { hannWindow, realFft } from '../dsp/fft';
import { decimateBy4 } from './chroma-decimate';

/**
 * Pitch-class content over time, the front end of key finding.
 *
 * The signal is decimated to a quarter of the analysis rate and analysed with a 2048-point window
 * (0.37 s, 2.7 Hz bins): long enough to separate semitones down to the bass register, short
 * enough to follow chord changes. Each bin is median-filtered over time, which keeps sustained
 * partials and removes drum hits (harmonic/percussive separation by median filtering, Fitzgerald
 * 2010, horizontal half only). Spectral peaks of that harmonic part are located to a fraction of a
 * bin, the global tuning is estimated from their deviation from the equal-tempered grid, and each
 * peak adds its compressed magnitude to its pitch class.
 */
export type ChromaAnalysis = {
  frames: number;
  hopSec: number;
  /** Deviation of the recording's tuning from A4 = 440 Hz, cents in [-50, 50). */
  tuningCents: number;
  /** frames × 12 (C = 0): pitch-class weight per frame, all registers. */
  chroma: Float32Array;
  /** frames × 12: weight of the lowest sounding partial region (the bass line). */
  bass: Float32Array;
  /** Per-frame sum of peak weights (how much pitched content the frame has). */
  tonal: Float32Array;
  /** Share of the harmonic part's magnitude that sits in picked peaks, 0..1 (noise is low). */
  peakiness: number;
};

export const CFG = { pow: 0.5, median: 5, maxHz: 2100, minHz: 36, overLocal: 2, harm: 0 };
const FFT_SIZE = 2048;
const HOP = 512;
let MEDIAN_SPAN = 5; // frames (± 0.19 s): longer than a drum hit, shorter than a chord
let MIN_HZ = 36;
let MAX_HZ = 2100;
/** Upper edge of the register read as the bass line (about C4). */
const BASS_MAX_HZ = 260;
/** A peak must stand this far above the local spectral mean (whitening: timbre does not decide). */
let PEAK_OVER_LOCAL = 2;
const LOCAL_HALF_WIDTH = 6; // bins
/** Peaks more than this far below the loudest frame's peak are noise floor. */
const FLOOR_DB = 60;

export function chromaAnalysis(ctx: AnalysisContext): ChromaAnalysis {
  return ctx.memo('tonal:chroma', () => computeChroma(ctx.mono, ctx.sampleRate, ctx.checkpoint));
}

export function computeChroma(mono: Float32Array, sampleRate: number, checkpoint: () => void = () => {}): ChromaAnalysis {
  MEDIAN_SPAN = CFG.median; MIN_HZ = CFG.minHz; MAX_HZ = CFG.maxHz; PEAK_OVER_LOCAL = CFG.overLocal;
  const x = decimateBy4(mono);
  const rate = sampleRate / 4;
  const bins = FFT_SIZE / 2 + 1;
  const frames = Math.max(1, Math.ceil(x.length / HOP));
  const mags = stft(x, frames, checkpoint);
  checkpoint();
  const harmonic = timeMedian(mags, frames, bins);
  checkpoint();

  const binHz = rate / FFT_SIZE;
  const lo = Math.max(LOCAL_HALF_WIDTH + 1, Math.floor(MIN_HZ / binHz));
  const hi = Math.min(bins - 2, Math.ceil(MAX_HZ / binHz));
  let globalMax = 0;
  for (let i = 0; i < harmonic.length; i++) if (harmonic[i] > globalMax) globalMax = harmonic[i];
  const floor = globalMax * 10 ** (-FLOOR_DB / 20);

  // Pass 1: peaks (frame, fractional MIDI pitch, magnitude).
  const cap = frames * 64;
  const peakFrame = new Int32Array(cap);
  const peakPitch = new Float32Array(cap);
  const peakMag = new Float32Array(cap);
  let count = 0;
  let inPeaks = 0;
  let total = 0;
  for (let f = 0; f < frames; f++) {
    const row = f * bins;
    let local = 0;
    for (let k = lo - LOCAL_HALF_WIDTH; k <= lo + LOCAL_HALF_WIDTH; k++) local += harmonic[row + k];
    for (let k = lo; k <= hi; k++) {
      const m = harmonic[row + k];
      total += m;
      if (k > lo) {
        local += harmonic[row + Math.min(bins - 1, k + LOCAL_HALF_WIDTH)] - harmonic[row + k - LOCAL_HALF_WIDTH - 1];
      }
      if (m <= floor || m < harmonic[row + k - 1] || m <= harmonic[row + k + 1]) continue;
      if (m * (2 * LOCAL_HALF_WIDTH + 1) < PEAK_OVER_LOCAL * local) continue;
      if (count === cap) break;
      // Parabolic interpolation on log magnitude: sub-bin frequency of a Hann-windowed partial.
      const a = Math.log(harmonic[row + k - 1] + 1e-12);
      const b = Math.log(m);
      const c = Math.log(harmonic[row + k + 1] + 1e-12);
      const denom = a - 2 * b + c;
      const delta = denom < 0 ? (0.5 * (a - c)) / denom : 0;
      const hz = (k + delta) * binHz;
      peakFrame[count] = f;
      peakPitch[count] = 69 + 12 * Math.log2(hz / 440);
      peakMag[count] = m;
      inPeaks += m;
      count++;
    }
  }
  checkpoint();

  const tuning = estimateTuning(peakPitch, peakMag, count);
  const chroma = new Float32Array(frames * 12);
  const bass = new Float32Array(frames * 12);
  const tonal = new Float32Array(frames);
  const bassMidi = 69 + 12 * Math.log2(BASS_MAX_HZ / 440);
  for (let i = 0; i < count; i++) {
    const semis = peakPitch[i] - tuning / 100;
    const nearest = Math.round(semis);
    const dev = Math.abs(semis - nearest);
    // Partials far off the grid (inharmonic, noise, glides) count less.
    const fit = Math.cos(Math.min(dev, 0.5) * Math.PI) ** 2;
    const w = peakMag[i] ** CFG.pow * fit;
    const pc = ((nearest % 12) + 12) % 12;
    const f = peakFrame[i];
    chroma[f * 12 + pc] += w;
    tonal[f] += w;
    if (semis < bassMidi) bass[f * 12 + pc] += w;
  }
  return {
    frames,
    hopSec: HOP / rate,
    tuningCents: tuning,
    chroma,
    bass,
    tonal,
    peakiness: total > 0 ? inPeaks / total : 0,
  };
}

function stft(x: Float32Array, frames: number, checkpoint: () => void): Float32Array {
  const bins = FFT_SIZE / 2 + 1;
  const window = hannWindow(FFT_SIZE);
  const frame = new Float32Array(FFT_SIZE);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const out = new Float32Array(frames * bins);
  // Frames are centred on f * HOP so the first chord is seen whole.
  const offset = FFT_SIZE / 2;
  for (let f = 0; f < frames; f++) {
    const start = f * HOP - offset;
    for (let i = 0; i < FFT_SIZE; i++) {
      const j = start + i;
      frame[i] = j >= 0 && j < x.length ? x[j] * window[i] : 0;
    }
    realFft(frame, FFT_SIZE, re, im);
    const row = f * bins;
    for (let k = 0; k < bins; k++) out[row + k] = Math.sqrt(re[k] * re[k] + im[k] * im[k]);
    if ((f & 63) === 63) checkpoint();
  }
  return out;
}

/** Per-bin median over MEDIAN_SPAN frames (edges use the frames that exist). */
function timeMedian(mags: Float32Array, frames: number, bins: number): Float32Array {
  if (frames < 3) return mags;
  const out = new Float32Array(mags.length);
  const half = MEDIAN_SPAN >> 1;
  const buf = new Float32Array(MEDIAN_SPAN);
  for (let f = 0; f < frames; f++) {
    const from = Math.max(0, f - half);
    const to = Math.min(frames - 1, f + half);
    const n = to - from + 1;
    for (let k = 0; k < bins; k++) {
      for (let j = 0; j < n; j++) buf[j] = mags[(from + j) * bins + k];
      out[f * bins + k] = median(buf, n);
    }
  }
  return out;
}

function median(buf: Float32Array, n: number): number {
  // Insertion sort: n <= MEDIAN_SPAN.
  for (let i = 1; i < n; i++) {
    const v = buf[i];
    let j = i - 1;
    while (j >= 0 && buf[j] > v) {
      buf[j + 1] = buf[j];
      j--;
    }
    buf[j + 1] = v;
  }
  return n & 1 ? buf[n >> 1] : 0.5 * (buf[(n >> 1) - 1] + buf[n >> 1]);
}

/** Weighted circular mean of the peaks' deviation from the nearest semitone, in cents. */
function estimateTuning(pitch: Float32Array, mag: Float32Array, count: number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < count; i++) {
    const angle = 2 * Math.PI * (pitch[i] - Math.round(pitch[i]));
    const w = Math.sqrt(mag[i]);
    s += w * Math.sin(angle);
    c += w * Math.cos(angle);
  }
  if (s === 0 && c === 0) return 0;
  return (Math.atan2(s, c) / (2 * Math.PI)) * 100;
}
