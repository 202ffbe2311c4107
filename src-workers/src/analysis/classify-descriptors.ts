import type { AnalysisContext } from '../context';
import { realFft } from '../dsp/fft';
import type { Spectrogram } from '../dsp/stft';

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
/** Shared onset/timbre spectrogram (see the preamble of context.ts users). */
export const CLASSIFY_FFT = 1024;
export const CLASSIFY_HOP = 256;
const BAND_EDGES_HZ = [150, 800, 3000, 8000];
const ATTACK_SPAN_SEC = 0.05;
const MAX_PITCH_FRAMES = 64;
/** Frame step of the pitch track, at most ~35 ms so that a 4-8 Hz vibrato stays resolvable. */
const MAX_PITCH_STRIDE = 3;
const F0_MIN_HZ = 43;
const F0_MAX_HZ = 2500;
const VOICED = 0.6;
/**
 * Lowest spectrogram bin used (43 Hz at 22050/1024). With a Hann window, bin 2 is the first that
 * DC and infrasonic drift cannot leak into.
 */
const FIRST_BIN = 2;

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
  const lowGlideOct = lowBandGlide(spec, fStart, fEnd);

  return {
    silent: false,
    attackSec: (attackEnd - onset) * blockSec,
    decay20Sec: Math.max(0, last20 - peakBlock) * blockSec,
    activeSec: Math.max(1, last40 - onset) * blockSec,
    hold10Sec: hold10 * blockSec,
    ...shape,
    ...tonal,
    lowGlideOct,
    bursts: countPeaks(movingAverage(hp, 2), onset, Math.min(n, onset + Math.round(0.1 / blockSec)), 1, 4, 20),
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
    lowGlideOct: 0,
    bursts: 0,
    reattacks: 0,
    roughnessDb: 0,
  };
}

/**
 * Mean square per block of the signal and of its first difference (a gentle high-pass). A DC
 * blocker (pole at `dcPole`, about 15 Hz) goes first: analogue drum machines and some recordings
 * carry a slow infrasonic drift that would otherwise read as a long, loud low-frequency tail.
 */
function blockPowers(x: Float32Array, block: number, dcPole: number): { pow: Float64Array; hp: Float64Array } {
  const n = Math.ceil(x.length / block);
  const pow = new Float64Array(n);
  const hp = new Float64Array(n);
  let prev = 0;
  let prevIn = 0;
  for (let b = 0; b < n; b++) {
    const end = Math.min(x.length, (b + 1) * block);
    let p = 0;
    let h = 0;
    for (let i = b * block; i < end; i++) {
      const v = x[i] - prevIn + dcPole * prev;
      prevIn = x[i];
      const d = v - prev;
      p += v * v;
      h += d * d;
      prev = v;
    }
    const count = end - b * block;
    pow[b] = p / count;
    hp[b] = h / count;
  }
  return { pow, hp };
}

/** Centred moving average over `width` blocks. */
function movingAverage(v: Float64Array, width: number): Float64Array {
  const out = new Float64Array(v.length);
  const half = width >> 1;
  let sum = 0;
  let lo = 0;
  let hi = -1;
  for (let i = 0; i < v.length; i++) {
    const a = Math.max(0, i - half);
    const b = Math.min(v.length - 1, i - half + width - 1);
    while (hi < b) sum += v[++hi];
    while (lo < a) sum -= v[lo++];
    out[i] = sum / (hi - lo + 1);
  }
  return out;
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
    let logSum = 0;
    let flatPow = 0;
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
      if (k >= flatLo && k <= flatHi) {
        logSum += Math.log(p + 1e-20);
        flatPow += p;
      }
    }
    if (f <= fAttackEnd) {
      attackNum += num;
      attackDen += den;
    }
    if (f > fAttackEnd || fAttackEnd === fEnd) {
      bodyNum += num;
      bodyDen += den;
      const count = flatHi - flatLo + 1;
      const mean = flatPow / count;
      if (mean > 0) {
        flatSum += den * (Math.exp(logSum / count) / mean);
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
  for (let lag = 0; lag < size; lag++) acf[lag] /= zero;
  windowAcf.set(size, acf);
  return acf;
}

/**
 * Periodicity and fundamental per body frame from the autocorrelation (inverse transform of the
 * power spectrum), window-corrected. Periodic sounds (strings, voices, tuned drums) give a
 * normalised peak near 1 at the period; noise (hats, cymbals, breath) stays low.
 */
function periodicityTrack(spec: Spectrogram, from: number, toFrame: number) {
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
      const raw = k < FIRST_BIN ? 0 : magnitudes[base + k] ** 2;
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
    for (let lag = 0; lag < nr.length; lag++) nr[lag] = re[lag] / r0 / Math.max(wAcf[lag], 1e-3);
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

/**
 * Counts level peaks in [from, to) (sampled every `step` blocks) separated by dips of at least
 * `dipDb` below both neighbours, counting only peaks within `floorDb` of the loudest.
 */
function countPeaks(env: Float64Array, from: number, to: number, step: number, dipDb: number, floorDb: number): number {
  let max = 0;
  for (let b = from; b < to; b++) max = Math.max(max, env[b]);
  if (max <= 0) return 0;
  const floor = max * 10 ** (-floorDb / 10);
  const dip = 10 ** (-dipDb / 10);
  let count = 0;
  let peak = 0;
  let trough = Number.POSITIVE_INFINITY;
  let falling = false;
  for (let b = from; b < to; b += step) {
    const v = env[b];
    if (!falling) {
      if (v > peak) peak = v;
      else if (v < peak * dip) {
        if (peak >= floor) count++;
        falling = true;
        trough = v;
      }
    } else if (v < trough) trough = v;
    else if (v > trough / dip) {
      falling = false;
      peak = v;
    }
  }
  if (!falling && peak >= floor) count++;
  return count;
}

/** Mean absolute deviation of 20 ms level steps around their median (dB): wobble, not decay. */
function roughness(env: Float64Array, block: number, sr: number, from: number, to: number): number {
  const step = Math.max(1, Math.round((0.02 * sr) / block));
  const start = from + Math.round((0.03 * sr) / block);
  const steps: number[] = [];
  let prev = Number.NaN;
  for (let b = start; b + step <= to + 1; b += step) {
    let s = 0;
    for (let i = b; i < b + step; i++) s += env[i];
    const db = 10 * Math.log10(s / step + 1e-20);
    if (!Number.isNaN(prev)) steps.push(db - prev);
    prev = db;
  }
  if (steps.length < 3) return 0;
  const mid = median(steps);
  let dev = 0;
  for (const s of steps) dev += Math.abs(s - mid);
  return dev / steps.length;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}
