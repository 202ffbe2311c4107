import type { AnalysisContext } from '../context';
import { drumBandLevels, drumBands, drumOnsets } from './rhythm-drums';

/** Standard shared STFT for onset/timbre work (see context.ts). */
export const ONSET_FFT = 1024;
export const ONSET_HOP = 256;

/** Upper edges (Hz) of the flux bands: kick/bass, snare/keys body, hats/cymbals. */
const LOW_TOP_HZ = 200;
const MID_TOP_HZ = 3000;
/** Log compression: magnitudes are scaled so that the loudest bin is 10^3 before log1p (≈ 60 dB floor). */
const COMPRESSION = 1000;

export type OnsetEnvelope = {
  /** Frames per second. */
  rate: number;
  frames: number;
  /** Half-wave rectified log-magnitude spectral flux per band, frame f = change from f-1 to f. */
  low: Float32Array;
  mid: Float32Array;
  high: Float32Array;
  /** Sum of the bands, each weighted by 1/bins so that no band dominates by width. */
  total: Float32Array;
  /** Level-based kick and snare onset functions (rhythm-drums.ts): where the loud drums fall. */
  kick: Float32Array;
  snare: Float32Array;
  /** How clearly both a kick and a snare are heard, 0..1 (rhythm-drums.ts). */
  kit: number;
  /** Frame energy in dB re the loudest frame (-120 for silent frames). */
  energyDb: Float32Array;
  /** Peak magnitude of the spectrogram; 0 for digital silence. */
  peak: number;
  /**
   * Spectral flatness of the 5-10 kHz band, averaged over frames weighted by that band's energy:
   * ~0.5 when the band holds noise (hi-hats, cymbals, snares), under ~0.1 when it holds only the
   * upper partials of pitched instruments. The evidence that drums are present.
   */
  noiseFlatness: number;
};

/**
 * Multi-band spectral flux on the shared 1024/256 spectrogram, memoised in the context so that
 * tempo, loop detection (and anyone else) compute it once.
 */
export function onsetEnvelope(ctx: AnalysisContext): OnsetEnvelope {
  return ctx.memo('rhythm:onset-envelope', () => computeOnsetEnvelope(ctx));
}

/**
 * Filterbank for the flux: single bins below BANK_SPLIT_HZ (kick and bass need the resolution),
 * then bands a sixth of an octave wide. ~60 log bands instead of 512 log bins: same onsets, an
 * eighth of the work.
 */
const BANK_SPLIT_HZ = 300;
const BANDS_PER_OCTAVE = 6;

type Bank = { bandOf: Int32Array; count: number; lowEnd: number; midEnd: number };
const banks = new Map<string, Bank>();

function bankFor(bins: number, binHz: number): Bank {
  const key = `${bins}:${binHz}`;
  let bank = banks.get(key);
  if (bank) return bank;
  const bandOf = new Int32Array(bins).fill(-1);
  let band = -1;
  let edge = 0;
  let lowEnd = -1;
  let midEnd = -1;
  for (let k = 1; k < bins; k++) {
    const hz = k * binHz;
    if (hz < BANK_SPLIT_HZ) band++;
    else if (hz >= edge) {
      band++;
      edge = Math.max(hz, BANK_SPLIT_HZ) * 2 ** (1 / BANDS_PER_OCTAVE);
    }
    bandOf[k] = band;
    if (hz < LOW_TOP_HZ) lowEnd = band + 1;
    if (hz < MID_TOP_HZ) midEnd = band + 1;
  }
  bank = { bandOf, count: band + 1, lowEnd: Math.max(1, lowEnd), midEnd: Math.max(lowEnd + 1, midEnd) };
  banks.set(key, bank);
  return bank;
}

function computeOnsetEnvelope(ctx: AnalysisContext): OnsetEnvelope {
  const spec = ctx.spectrogram(ONSET_FFT, ONSET_HOP);
  const { bins, frames, magnitudes, binHz } = spec;
  const rate = spec.sampleRate / spec.hop;
  let peak = 0;
  for (let i = 0; i < magnitudes.length; i++) if (magnitudes[i] > peak) peak = magnitudes[i];

  const low = new Float32Array(frames);
  const mid = new Float32Array(frames);
  const high = new Float32Array(frames);
  const total = new Float32Array(frames);
  const energyDb = new Float32Array(frames).fill(-120);
  const drumLevels = {
    kick: new Float32Array(frames),
    body: new Float32Array(frames),
    crack: new Float32Array(frames),
  };
  if (peak === 0) {
    const { kick, body: snare } = drumLevels;
    return { rate, frames, low, mid, high, total, kick, snare, kit: 0, energyDb, peak, noiseFlatness: 0 };
  }

  const bank = bankFor(bins, binHz);
  const { bandOf, count, lowEnd, midEnd } = bank;
  // Band magnitudes are sums of bins; scale so that the loudest bin maps to COMPRESSION.
  const scale = COMPRESSION / peak;
  const sums = new Float64Array(count);
  const prev = new Float32Array(count);
  const cur = new Float32Array(count);
  const energy = new Float64Array(frames);
  let maxEnergy = 0;
  const noise = {
    from: Math.round(NOISE_LOW_HZ / binHz),
    to: Math.min(bins, Math.round(NOISE_HIGH_HZ / binHz)),
  };
  let flatSum = 0;
  let flatWeight = 0;
  const drumBank = drumBands(bins, binHz);
  for (let f = 0; f < frames; f++) {
    const base = f * bins;
    sums.fill(0);
    let e = 0;
    for (let k = 1; k < bins; k++) {
      const m = magnitudes[base + k];
      e += m * m;
      sums[bandOf[k]] += m;
    }
    for (let b = 0; b < count; b++) cur[b] = Math.log1p(sums[b] * scale);
    energy[f] = e;
    if (e > maxEnergy) maxEnergy = e;
    if (f > 0) {
      low[f] = positiveDiff(cur, prev, 0, lowEnd);
      mid[f] = positiveDiff(cur, prev, lowEnd, midEnd);
      high[f] = positiveDiff(cur, prev, midEnd, count);
    }
    prev.set(cur);
    drumBandLevels(magnitudes, base, drumBank, f, drumLevels);
    if (f % NOISE_FRAME_STEP === 0 && noise.to > noise.from) {
      const band = bandFlatness(magnitudes, base + noise.from, base + noise.to);
      flatSum += band.flatness * band.energy;
      flatWeight += band.energy;
    }
    if ((f & 1023) === 1023) ctx.checkpoint();
  }
  const wLow = 1 / lowEnd;
  const wMid = 1 / (midEnd - lowEnd);
  const wHigh = 1 / Math.max(1, count - midEnd);
  for (let f = 0; f < frames; f++) {
    low[f] *= wLow;
    mid[f] *= wMid;
    high[f] *= wHigh;
    total[f] = low[f] + mid[f] + high[f];
    if (energy[f] > 0) energyDb[f] = Math.max(-120, 10 * Math.log10(energy[f] / maxEnergy));
  }
  // A band tens of dB below the whole signal holds nothing audible: its flatness is that of the
  // noise floor (or of empty bins above a low sample rate's Nyquist), not evidence of drums.
  let totalEnergy = 0;
  for (let f = 0; f < frames; f += NOISE_FRAME_STEP) totalEnergy += energy[f];
  const shareDb = 10 * Math.log10(Math.max(flatWeight, 1e-30) / Math.max(totalEnergy, 1e-30));
  const audible = Math.min(1, Math.max(0, (shareDb - NOISE_SILENT_DB) / NOISE_AUDIBLE_SPAN_DB));
  const noiseFlatness = flatWeight > 0 ? (audible * flatSum) / flatWeight : 0;
  const { kick, snare, kit } = drumOnsets(drumLevels, rate);
  return { rate, frames, low, mid, high, total, kick, snare, kit, energyDb, peak, noiseFlatness };
}

/** Band over which drum noise is told from the partials of pitched sounds. */
const NOISE_LOW_HZ = 5000;
const NOISE_HIGH_HZ = 10000;
/** Share of the signal's energy (dB) below which the band counts as empty, and the span to full weight. */
const NOISE_SILENT_DB = -50;
const NOISE_AUDIBLE_SPAN_DB = 10;
/** Flatness is read on every n-th frame: a long-term average, it needs no more. */
const NOISE_FRAME_STEP = 2;

/** Geometric over arithmetic mean of the bin powers in [from, to), and the band's energy. */
function bandFlatness(m: Float32Array, from: number, to: number): { flatness: number; energy: number } {
  let energy = 0;
  let peak = 0;
  for (let k = from; k < to; k++) {
    const p = m[k] * m[k];
    energy += p;
    if (p > peak) peak = p;
  }
  if (energy <= 0) return { flatness: 0, energy: 0 };
  // A floor far below the band's peak keeps empty bins (band-limited files) from reading as -inf.
  const floor = peak * 1e-12;
  // One log per 8 bins (a running product) instead of one per bin: logs dominated this loop.
  // Eight factors of at least 1e-12 of the peak cannot underflow a double.
  let logSum = 0;
  let k = from;
  for (; k + 8 <= to; k += 8) {
    logSum += Math.log(
      (m[k] * m[k] + floor) *
        (m[k + 1] * m[k + 1] + floor) *
        (m[k + 2] * m[k + 2] + floor) *
        (m[k + 3] * m[k + 3] + floor) *
        (m[k + 4] * m[k + 4] + floor) *
        (m[k + 5] * m[k + 5] + floor) *
        (m[k + 6] * m[k + 6] + floor) *
        (m[k + 7] * m[k + 7] + floor),
    );
  }
  for (; k < to; k++) logSum += Math.log(m[k] * m[k] + floor);
  const n = to - from;
  return { flatness: Math.exp(logSum / n) / (energy / n), energy };
}

function positiveDiff(cur: Float32Array, prev: Float32Array, from: number, to: number): number {
  let s = 0;
  for (let k = from; k < to; k++) {
    const d = cur[k] - prev[k];
    if (d > 0) s += d;
  }
  return s;
}

/**
 * Onset-only view of an envelope: the local mean over `window` frames is subtracted and negatives
 * dropped, so that slow level changes and steady noise do not read as rhythm.
 */
export function sharpenOnsets(x: Float32Array, from: number, to: number, window: number): Float64Array {
  const n = Math.max(0, to - from);
  const out = new Float64Array(n);
  const half = Math.max(1, window >> 1);
  let sum = 0;
  let lo = 0;
  let hi = -1;
  for (let i = 0; i < n; i++) {
    const wantHi = Math.min(n - 1, i + half);
    while (hi < wantHi) sum += x[from + ++hi];
    const wantLo = Math.max(0, i - half);
    while (lo < wantLo) sum -= x[from + lo++];
    const v = x[from + i] - sum / (hi - lo + 1);
    out[i] = Math.max(v, 0);
  }
  return out;
}
