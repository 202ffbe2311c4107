import { hannWindow, windowedMagnitudes } from '../dsp/fft';

/**
 * Sustained spectral peaks over time, the raw material of the chroma.
 *
 * A 2048-point window at a quarter of the analysis rate (0.37 s, 2.7 Hz bins) separates semitones
 * down to the bass register and still follows chord changes. Each bin is then replaced by its
 * minimum over three neighbouring frames (± 93 ms): a partial that sustains survives, while a drum
 * hit is loud only in the frames whose window centre is near it, so the minimum picks a frame
 * where the window's taper attenuates it (the harmonic half of harmonic/percussive separation by
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
/** Peaks this far below a sinusoid at the signal's peak level are noise floor. */
const FLOOR_DB = 70;
const MAX_PEAKS_PER_FRAME = 96;

/** `x` is the decimated signal at `rate` Hz. */
export function sustainedPeaks(x: Float32Array, rate: number, checkpoint: () => void): PeakSet {
  const bins = PEAK_FFT_SIZE / 2 + 1;
  const frames = Math.max(1, Math.ceil(x.length / PEAK_HOP));
  const binHz = rate / PEAK_FFT_SIZE;
  const lo = Math.max(LOCAL_HALF_WIDTH + 1, Math.floor(MIN_HZ / binHz));
  const hi = Math.min(bins - LOCAL_HALF_WIDTH - 1, Math.ceil(MAX_HZ / binHz));
  // Only the bins that peak picking reads (with its neighbourhood) are kept.
  const first = lo - LOCAL_HALF_WIDTH;
  const width = hi + LOCAL_HALF_WIDTH + 1 - first;
  const spectra = new Spectra(x, first, width);

  // Noise floor relative to the magnitude a sinusoid at the signal's peak amplitude would have
  // (A * N / 4 under a Hann window), so one pass over the spectra suffices.
  let peakAmplitude = 0;
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]);
    if (v > peakAmplitude) peakAmplitude = v;
  }
  const floor = ((peakAmplitude * PEAK_FFT_SIZE) / 4) * 10 ** (-FLOOR_DB / 20);
  const sustained = new Float32Array(width);
  const peaks = new PeakBuffer(frames);
  const localWidth = 2 * LOCAL_HALF_WIDTH + 1;
  for (let f = 0; f < frames; f++) {
    peaks.startFrame(f);
    spectra.sustainedAt(f, frames, sustained);
    let found = 0;
    let local = 0;
    for (let k = 0; k < localWidth; k++) local += sustained[k];
    for (let k = LOCAL_HALF_WIDTH; k < width - LOCAL_HALF_WIDTH && found < MAX_PEAKS_PER_FRAME; k++) {
      if (k > LOCAL_HALF_WIDTH)
        local += sustained[k + LOCAL_HALF_WIDTH] - sustained[k - LOCAL_HALF_WIDTH - 1];
      const m = sustained[k];
      if (m <= floor || m < sustained[k - 1] || m <= sustained[k + 1]) continue;
      if (m * localWidth < PEAK_OVER_LOCAL * local) continue;
      // Parabolic interpolation on log magnitude: sub-bin frequency of a Hann-windowed partial.
      const a = Math.log(sustained[k - 1] + 1e-20);
      const b = Math.log(m);
      const c = Math.log(sustained[k + 1] + 1e-20);
      const denom = a - 2 * b + c;
      const delta = denom < 0 ? (0.5 * (a - c)) / denom : 0;
      peaks.push(69 + 12 * Math.log2(((first + k + delta) * binHz) / 440), m);
      found++;
    }
    if ((f & 63) === 63) checkpoint();
  }
  return peaks.finish(PEAK_HOP / rate);
}

/**
 * Magnitude spectra of bins [first, first + width) frame by frame, with the per-bin minimum over
 * SUSTAIN_FRAMES frames centred on the requested one (fewer at the edges). Keeps a ring of the
 * last SUSTAIN_FRAMES spectra; frames must be requested in order (a new pass starts at 0).
 */
class Spectra {
  private readonly ring: Float32Array[];
  private readonly ringFrame: Int32Array;
  private readonly window = hannWindow(PEAK_FFT_SIZE);
  private readonly magnitudes = new Float32Array(PEAK_FFT_SIZE / 2 + 1);

  constructor(
    private readonly x: Float32Array,
    private readonly first: number,
    private readonly width: number,
  ) {
    this.ring = Array.from({ length: SUSTAIN_FRAMES }, () => new Float32Array(width));
    this.ringFrame = new Int32Array(SUSTAIN_FRAMES).fill(-1);
  }

  sustainedAt(f: number, frames: number, out: Float32Array): void {
    const half = SUSTAIN_FRAMES >> 1;
    const from = Math.max(0, f - half);
    const to = Math.min(frames - 1, f + half);
    out.set(this.spectrum(from));
    for (let g = from + 1; g <= to; g++) {
      const s = this.spectrum(g);
      for (let k = 0; k < this.width; k++) if (s[k] < out[k]) out[k] = s[k];
    }
  }

  private spectrum(f: number): Float32Array {
    const slot = f % SUSTAIN_FRAMES;
    const row = this.ring[slot];
    if (this.ringFrame[slot] === f) return row;
    const { magnitudes } = this;
    // Frames are centred on f * hop, so the opening chord is seen from the first frame on.
    const start = f * PEAK_HOP - PEAK_FFT_SIZE / 2;
    windowedMagnitudes(this.x, start, this.window, PEAK_FFT_SIZE, magnitudes, 0);
    row.set(magnitudes.subarray(this.first, this.first + this.width));
    this.ringFrame[slot] = f;
    return row;
  }
}

/** Growable peak arrays with per-frame start offsets. */
class PeakBuffer {
  private pitch = new Float32Array(1024);
  private mag = new Float32Array(1024);
  private count = 0;
  private readonly frameStart: Int32Array;

  constructor(private readonly frames: number) {
    this.frameStart = new Int32Array(frames + 1);
  }

  startFrame(f: number): void {
    this.frameStart[f] = this.count;
  }

  push(pitch: number, mag: number): void {
    if (this.count === this.pitch.length) {
      const grow = (a: Float32Array) => {
        const b = new Float32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.pitch = grow(this.pitch);
      this.mag = grow(this.mag);
    }
    this.pitch[this.count] = pitch;
    this.mag[this.count] = mag;
    this.count++;
  }

  finish(hopSec: number): PeakSet {
    this.frameStart[this.frames] = this.count;
    return {
      frames: this.frames,
      hopSec,
      count: this.count,
      frameStart: this.frameStart,
      pitch: this.pitch.subarray(0, this.count),
      mag: this.mag.subarray(0, this.count),
    };
  }
}
