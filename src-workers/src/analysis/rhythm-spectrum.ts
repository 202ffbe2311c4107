import { realFft } from '../dsp/fft';

/**
 * Fourier view of an onset envelope. A repeated rhythm turns into spectral lines at multiples of
 * its cycle frequency; the line at the beat frequency, at twice it (eighths), at half of it
 * (half-bar), … are the salience of each metrical level. Unlike an autocorrelation comb, a
 * period that is not a divisor of the cycle (e.g. 3/2 of the beat in 4/4) gets no line.
 */
export type OnsetSpectrum = {
  /** Magnitudes of the Hann-windowed, zero-padded envelope, bins 0..size/2, normalised by `scale`. */
  mag: Float64Array;
  /** Hz per bin. */
  binHz: number;
  /** RMS of the raw magnitudes: makes magnitudes comparable across files. */
  scale: number;
};

/** Zero padding factor: bins much narrower than the window's main lobe, so cubic reads are accurate. */
const PAD = 4;
const MIN_SIZE = 4096;

export function onsetSpectrum(x: Float64Array, rate: number): OnsetSpectrum {
  const n = x.length;
  let size = MIN_SIZE;
  while (size < n * PAD) size *= 2;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = x[i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / n));
  const half = size >> 1;
  const re = new Float64Array(half + 1);
  const im = new Float64Array(half + 1);
  realFft(w, size, re, im);
  const mag = new Float64Array(half + 1);
  let s = 0;
  for (let k = 0; k <= half; k++) {
    const p = re[k] * re[k] + im[k] * im[k];
    mag[k] = Math.sqrt(p);
    if (k > 0) s += p;
  }
  const scale = Math.sqrt(s / half) || 1;
  for (let k = 0; k <= half; k++) mag[k] /= scale;
  return { mag, binHz: rate / size, scale };
}

/** Magnitude at a frequency (Hz), cubic interpolation between bins; 0 outside the spectrum. */
export function magnitudeAt(spec: OnsetSpectrum, hz: number): number {
  const pos = hz / spec.binHz;
  const a = spec.mag;
  const last = a.length - 1;
  if (pos < 0 || pos > last) return 0;
  const i = Math.floor(pos);
  const t = pos - i;
  const p1 = a[i];
  const p0 = i > 0 ? a[i - 1] : p1;
  const p2 = i < last ? a[i + 1] : p1;
  const p3 = i + 2 <= last ? a[i + 2] : p2;
  const v = p1 + 0.5 * t * (p2 - p0 + t * (2 * p0 - 5 * p1 + 4 * p2 - p3 + t * (3 * (p1 - p2) + p3 - p0)));
  return Math.max(v, 0);
}
