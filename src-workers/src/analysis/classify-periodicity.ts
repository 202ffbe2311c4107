import { realFft } from '../dsp/fft';
import type { Spectrogram } from '../dsp/stft';

const MAX_PITCH_FRAMES = 64;
/** Frame step of the pitch track, at most ~35 ms so that a 4-8 Hz vibrato stays resolvable. */
const MAX_PITCH_STRIDE = 3;
const F0_MIN_HZ = 43;
const F0_MAX_HZ = 2500;
/** Normalised autocorrelation peak above which a frame counts as periodic ("voiced"). */
const VOICED = 0.6;
/**
 * Lowest spectrogram bin used (43 Hz at 22050/1024). With a Hann window, bin 2 is the first that
 * DC and infrasonic drift cannot leak into.
 */
export const FIRST_BIN = 2;

const windowAcf = new Map<number, Float64Array>();

/**
 * Autocorrelation of the Hann window itself (circular, as the spectrogram frames are not zero
 * padded), used to undo the window's taper on the signal's autocorrelation (Boersma 1993).
 */
function hannAcf(size: number): Float64Array {
  let acf = windowAcf.get(size);
  if (acf) return acf;
  acf = new Float64Array(size);
  const w = new Float64Array(size);
  for (let i = 0; i < size; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
  for (let lag = 0; lag < size; lag++) {
    let s = 0;
    for (let i = 0; i < size; i++) s += w[i] * w[(i + lag) % size];
    acf[lag] = s;
  }
  const zero = acf[0];
  // Stored floored at 1e-3 (the divisor periodicityTrack needs), so its loop has no Math.max.
  for (let lag = 0; lag < size; lag++) acf[lag] = Math.max(acf[lag] / zero, 1e-3);
  windowAcf.set(size, acf);
  return acf;
}

/**
 * Periodicity and fundamental per body frame from the autocorrelation (inverse transform of the
 * power spectrum), window-corrected. Periodic sounds (strings, voices, tuned drums) give a
 * normalised peak near 1 at the period; noise (hats, cymbals, breath) stays low.
 */
export function periodicityTrack(spec: Spectrogram, from: number, toFrame: number) {
  let to = toFrame;
  const { size, bins, magnitudes, sampleRate } = spec;
  const span = to - from + 1;
  const stride = Math.min(MAX_PITCH_STRIDE, Math.max(1, Math.ceil(span / MAX_PITCH_FRAMES)));
  to = Math.min(to, from + stride * (MAX_PITCH_FRAMES - 1));
  const frameSec = (stride * spec.hop) / sampleRate;
  const wAcf = hannAcf(size);
  const power = new Float64Array(size);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const nr = new Float64Array(size >> 1);
  const minLag = Math.max(2, Math.floor(sampleRate / F0_MAX_HZ));
  const maxLag = Math.min((size >> 1) - 2, Math.ceil(sampleRate / F0_MIN_HZ));
  // First-order high-pass (150 Hz) pre-emphasis, as in speech analysis: keeps a weak sub-bass
  // thump (hi-hat pedal, mic rumble) from deciding the periodicity of an otherwise noisy sound,
  // while a pure low tone (kick, bass) is scaled uniformly and keeps its periodicity.
  const emphasis = emphasisCurve(bins, spec.binHz);
  const f0s: number[] = [];
  const track = new Float64Array(MAX_PITCH_FRAMES).fill(Number.NaN);
  let perSum = 0;
  let voicedWeight = 0;
  let weight = 0;
  for (let f = from; f <= to; f += stride) {
    const base = f * bins;
    let energy = 0;
    for (let k = 0; k < bins; k++) {
      const m = magnitudes[base + k];
      const raw = k < FIRST_BIN ? 0 : m * m;
      const p = raw * emphasis[k];
      power[k] = p;
      if (k > 0 && k < bins - 1) power[size - k] = p;
      energy += raw;
    }
    if (energy <= 0) continue;
    // The power spectrum is real and even, so its forward transform is the autocorrelation.
    realFft(power, size, re, im);
    const r0 = re[0];
    if (r0 <= 0) continue;
    for (let lag = 0; lag < nr.length; lag++) nr[lag] = re[lag] / r0 / wAcf[lag];
    // Skip the lobe around lag 0: search from where the autocorrelation first dips below zero.
    let lag = minLag;
    while (lag < maxLag && nr[lag] > 0) lag++;
    let best = -1;
    let bestLag = -1;
    for (let l = lag; l <= maxLag; l++) {
      if (nr[l] > best && nr[l] >= nr[l - 1] && nr[l] >= nr[l + 1]) {
        best = nr[l];
        bestLag = l;
      }
    }
    if (bestLag < 0) {
      weight += energy;
      continue;
    }
    // Prefer the shortest lag that is nearly as good: guards against sub-octave picks.
    for (let l = lag; l < bestLag; l++) {
      if (nr[l] >= 0.9 * best && nr[l] >= nr[l - 1] && nr[l] >= nr[l + 1]) {
        best = nr[l];
        bestLag = l;
        break;
      }
    }
    const a = nr[bestLag - 1];
    const b = nr[bestLag];
    const c = nr[bestLag + 1];
    const denom = a - 2 * b + c;
    const shift = denom < 0 ? (0.5 * (a - c)) / denom : 0;
    const periodicity = Math.min(1, Math.max(0, b));
    perSum += energy * periodicity;
    weight += energy;
    if (periodicity >= VOICED) {
      voicedWeight += energy;
      f0s.push(sampleRate / (bestLag + shift));
      track[(f - from) / stride] = sampleRate / (bestLag + shift);
    }
  }
  let f0Hz: number | null = null;
  let f0SpreadCents = 0;
  if (f0s.length > 0) {
    f0Hz = median(f0s);
    const ref = f0Hz;
    f0SpreadCents = median(f0s.map((v) => Math.abs(1200 * Math.log2(v / ref))));
  }
  return {
    periodicity: weight > 0 ? perSum / weight : 0,
    voicedFraction: weight > 0 ? voicedWeight / weight : 0,
    f0Hz,
    f0SpreadCents,
    vibratoCents: f0Hz === null ? 0 : vibratoExtent(track, f0Hz, frameSec),
  };
}

const VIBRATO_MIN_HZ = 4;
const VIBRATO_MAX_HZ = 8;

/**
 * Extent (cents, half peak-to-peak) of a 4-8 Hz periodic pitch modulation: the vibrato of
 * bowed strings, voices and winds. The track is detrended by its 0.3 s moving average (so slow
 * drift and glides do not count), then the best sinusoid in the band is fitted; it only counts
 * when it explains at least a third of the remaining variance, i.e. the wobble is periodic.
 */
function vibratoExtent(track: Float64Array, f0Hz: number, frameSec: number): number {
  const n = track.length;
  const cents = new Float64Array(n);
  let voiced = 0;
  for (let i = 0; i < n; i++) {
    cents[i] = Number.isNaN(track[i]) ? Number.NaN : 1200 * Math.log2(track[i] / f0Hz);
    if (!Number.isNaN(cents[i])) voiced++;
  }
  if (voiced < 12 || voiced * frameSec < 0.5) return 0;
  const half = Math.max(1, Math.round(0.15 / frameSec));
  const t: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(cents[i])) continue;
    let sum = 0;
    let count = 0;
    for (let j = Math.max(0, i - half); j <= Math.min(n - 1, i + half); j++) {
      if (!Number.isNaN(cents[j])) {
        sum += cents[j];
        count++;
      }
    }
    t.push(i * frameSec);
    c.push(cents[i] - sum / count);
  }
  let variance = 0;
  for (const v of c) variance += v * v;
  variance /= c.length;
  if (variance <= 0) return 0;
  let best = 0;
  for (let hz = VIBRATO_MIN_HZ; hz <= VIBRATO_MAX_HZ; hz += 0.25) {
    const w = 2 * Math.PI * hz;
    let re = 0;
    let im = 0;
    for (let i = 0; i < c.length; i++) {
      re += c[i] * Math.cos(w * t[i]);
      im -= c[i] * Math.sin(w * t[i]);
    }
    best = Math.max(best, (2 * Math.hypot(re, im)) / c.length);
  }
  // A sinusoid of amplitude A carries A^2 / 2 of variance.
  return (best * best) / 2 >= variance / 3 ? best : 0;
}

const emphasisCurves = new Map<string, Float64Array>();
function emphasisCurve(bins: number, binHz: number): Float64Array {
  const key = `${bins}:${binHz}`;
  let curve = emphasisCurves.get(key);
  if (!curve) {
    curve = new Float64Array(bins);
    for (let k = 0; k < bins; k++) {
      const f = k * binHz;
      curve[k] = (f * f) / (f * f + 150 * 150);
    }
    emphasisCurves.set(key, curve);
  }
  return curve;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}
