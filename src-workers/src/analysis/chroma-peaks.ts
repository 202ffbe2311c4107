import { hannWindow, realFft } from '../dsp/fft';

/**
 * Sustained spectral peaks over time, the raw material of the chroma.
 *
 * A 2048-point window at a quarter of the analysis rate (0.37 s, 2.7 Hz bins) separates semitones
 * down to the bass register and still follows chord changes. Each bin is then replaced by its
 * minimum over three neighbouring frames (± 93 ms): a partial that sustains survives, a drum hit,
 * which fills one or two frames, does not (the harmonic half of harmonic/percussive separation by
 * order-statistic filtering over time). Peaks of that sustained spectrum that stand out from their
 * spectral neighbourhood are located to a fraction of a bin.
 */
export type PeakSet = {
  frames: number;
  /** Seconds between frames. */
  hopSec: number;
  count: number;
  /** Peaks of frame f are [frameStart[f], frameStart[f + 1]), in rising pitch. */
  frameStart: Int32Array;
  /** Fractional MIDI pitch (A4 = 69, equal temperament on 440 Hz). */
  pitch: Float32Array;
  /** Linear magnitude. */
  mag: Float32Array;
};

export const PEAK_FFT_SIZE = 2048;
export const PEAK_HOP = 512;
const SUSTAIN_FRAMES = 3;
const MIN_HZ = 36;
const MAX_HZ = 2100;
/** A peak must be this many times the mean of its ± LOCAL_HALF_WIDTH bins: partials, not spectral slope. */
const PEAK_OVER_LOCAL = 2;
const LOCAL_HALF_WIDTH = 6;
/** Peaks this far below the loudest bin of the whole file are noise floor. */
const FLOOR_DB = 60;
const MAX_PEAKS_PER_FRAME = 96;

/** `x` is the decimated signal at `rate` Hz. */
export function sustainedPeaks(x: Float32Array, rate: number, checkpoint: () => void): PeakSet {
  const bins = PEAK_FFT_SIZE / 2 + 1;
  const frames = Math.max(1, Math.ceil(x.length / PEAK_HOP));
  const mags = stft(x, frames, checkpoint);
  checkpoint();
  const sustained = minOverTime(mags, frames, bins);
  checkpoint();

  const binHz = rate / PEAK_FFT_SIZE;
  const lo = Math.max(LOCAL_HALF_WIDTH + 1, Math.floor(MIN_HZ / binHz));
  const hi = Math.min(bins - LOCAL_HALF_WIDTH - 1, Math.ceil(MAX_HZ / binHz));
  let loudest = 0;
  for (let i = 0; i < sustained.length; i++) if (sustained[i] > loudest) loudest = sustained[i];
  const floor = loudest * 10 ** (-FLOOR_DB / 20);

  const cap = frames * MAX_PEAKS_PER_FRAME;
  const pitch = new Float32Array(cap);
  const mag = new Float32Array(cap);
  const frameStart = new Int32Array(frames + 1);
  let count = 0;
  const localWidth = 2 * LOCAL_HALF_WIDTH + 1;
  for (let f = 0; f < frames; f++) {
    frameStart[f] = count;
    const limit = count + MAX_PEAKS_PER_FRAME;
    const row = f * bins;
    let local = 0;
    for (let k = lo - LOCAL_HALF_WIDTH; k <= lo + LOCAL_HALF_WIDTH; k++) local += sustained[row + k];
    for (let k = lo; k <= hi && count < limit; k++) {
      if (k > lo) local += sustained[row + k + LOCAL_HALF_WIDTH] - sustained[row + k - LOCAL_HALF_WIDTH - 1];
      const m = sustained[row + k];
      if (m <= floor || m < sustained[row + k - 1] || m <= sustained[row + k + 1]) continue;
      if (m * localWidth < PEAK_OVER_LOCAL * local) continue;
      // Parabolic interpolation on log magnitude: sub-bin frequency of a Hann-windowed partial.
      const a = Math.log(sustained[row + k - 1] + 1e-20);
      const b = Math.log(m);
      const c = Math.log(sustained[row + k + 1] + 1e-20);
      const denom = a - 2 * b + c;
      const delta = denom < 0 ? (0.5 * (a - c)) / denom : 0;
      pitch[count] = 69 + 12 * Math.log2(((k + delta) * binHz) / 440);
      mag[count] = m;
      count++;
    }
  }
  frameStart[frames] = count;
  return { frames, hopSec: PEAK_HOP / rate, count, frameStart, pitch, mag };
}

function stft(x: Float32Array, frames: number, checkpoint: () => void): Float32Array {
  const bins = PEAK_FFT_SIZE / 2 + 1;
  const window = hannWindow(PEAK_FFT_SIZE);
  const frame = new Float32Array(PEAK_FFT_SIZE);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const out = new Float32Array(frames * bins);
  // Frames are centred on f * hop, so the opening chord is seen from the first frame on.
  const offset = PEAK_FFT_SIZE / 2;
  for (let f = 0; f < frames; f++) {
    const start = f * PEAK_HOP - offset;
    for (let i = 0; i < PEAK_FFT_SIZE; i++) {
      const j = start + i;
      frame[i] = j >= 0 && j < x.length ? x[j] * window[i] : 0;
    }
    realFft(frame, PEAK_FFT_SIZE, re, im);
    const row = f * bins;
    for (let k = 0; k < bins; k++) out[row + k] = Math.sqrt(re[k] * re[k] + im[k] * im[k]);
    if ((f & 63) === 63) checkpoint();
  }
  return out;
}

/** Per-bin minimum over SUSTAIN_FRAMES frames centred on each frame (fewer at the edges). */
function minOverTime(mags: Float32Array, frames: number, bins: number): Float32Array {
  if (frames < SUSTAIN_FRAMES) return mags;
  const out = new Float32Array(mags.length);
  const half = SUSTAIN_FRAMES >> 1;
  for (let f = 0; f < frames; f++) {
    const from = Math.max(0, f - half);
    const to = Math.min(frames - 1, f + half);
    const row = f * bins;
    out.set(mags.subarray(from * bins, from * bins + bins), row);
    for (let g = from + 1; g <= to; g++) {
      const other = g * bins;
      for (let k = 0; k < bins; k++) if (mags[other + k] < out[row + k]) out[row + k] = mags[other + k];
    }
  }
  return out;
}
