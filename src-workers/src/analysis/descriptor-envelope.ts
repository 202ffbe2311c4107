/**
 * Amplitude envelope: RMS over 5 ms windows every ~1.25 ms, from sums of squares per hop block
 * (no per-sample allocation, one pass). A second, 20 ms RMS centred on the same instants follows
 * levels without the ripple that 5 ms windows show on bass notes (a 45 Hz cycle is 22 ms), for
 * thresholds that must not jitter. Memoised for envelope.ts, features.ts and the classifier.
 */
import type { AnalysisContext } from '../context';

export const ENVELOPE_WINDOW_SEC = 0.005;
/** Hops per window: the window slides by a quarter of its length. */
const HOPS_PER_WINDOW = 4;
/** The smooth envelope spans 16 hops (20 ms), centred on the short window's centre. */
const SMOOTH_HOPS = 16;

export type RmsEnvelope = {
  /** RMS amplitude of window j, which covers [j * hopSec, j * hopSec + windowSec). */
  values: Float32Array;
  hopSec: number;
  windowSec: number;
  /** Largest value and its first index (-1 when the signal is all zeros). */
  peak: number;
  peakIndex: number;
  /** RMS over 20 ms centred where window j is centred (same indexing as `values`). */
  smooth: Float32Array;
  smoothPeak: number;
};

export function rmsEnvelope(ctx: AnalysisContext): RmsEnvelope {
  return ctx.memo('timbre:rms-envelope', () => computeRmsEnvelope(ctx.mono, ctx.sampleRate));
}

export function computeRmsEnvelope(mono: Float32Array, sampleRate: number): RmsEnvelope {
  const hop = Math.max(1, Math.round((ENVELOPE_WINDOW_SEC * sampleRate) / HOPS_PER_WINDOW));
  const blocks = Math.ceil(mono.length / hop);
  const sums = new Float64Array(blocks);
  for (let b = 0; b < blocks; b++) {
    const end = Math.min(mono.length, (b + 1) * hop);
    let s = 0;
    for (let i = b * hop; i < end; i++) s += mono[i] * mono[i];
    sums[b] = s;
  }
  // A window starts at every block; near the end it covers fewer blocks (zero padded).
  const values = new Float32Array(blocks);
  const norm = 1 / (hop * HOPS_PER_WINDOW);
  let peak = 0;
  let peakIndex = -1;
  for (let j = 0; j < blocks; j++) {
    let s = 0;
    for (let b = j; b < Math.min(blocks, j + HOPS_PER_WINDOW); b++) s += sums[b];
    const v = Math.sqrt(s * norm);
    values[j] = v;
    if (v > peak) {
      peak = v;
      peakIndex = j;
    }
  }
  const smooth = new Float32Array(blocks);
  const back = (SMOOTH_HOPS - HOPS_PER_WINDOW) / 2;
  const smoothNorm = 1 / (hop * SMOOTH_HOPS);
  let running = 0;
  for (let b = 0; b < Math.min(blocks, SMOOTH_HOPS - back); b++) running += sums[b];
  let smoothPeak = 0;
  for (let j = 0; j < blocks; j++) {
    // Window j spans blocks [j - back, j - back + SMOOTH_HOPS); outside the signal counts as 0.
    const v = Math.sqrt(Math.max(0, running) * smoothNorm);
    smooth[j] = v;
    if (v > smoothPeak) smoothPeak = v;
    const enter = j - back + SMOOTH_HOPS;
    const leave = j - back;
    if (enter < blocks) running += sums[enter];
    if (leave >= 0) running -= sums[leave];
  }
  return {
    values,
    hopSec: hop / sampleRate,
    windowSec: (hop * HOPS_PER_WINDOW) / sampleRate,
    peak,
    peakIndex,
    smooth,
    smoothPeak,
  };
}
