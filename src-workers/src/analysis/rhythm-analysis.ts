import type { AnalysisContext } from '../context';
import { type OnsetEnvelope, onsetEnvelope, sharpenOnsets } from './onset-envelope';
import { MAX_BPM, MIN_BPM, scoreHypotheses, type TempoHypothesis } from './rhythm-hypotheses';
import { findTatum, pulseSalience, type Tatum, tempoPrior } from './rhythm-metre';
import { magnitudeAt, type OnsetSpectrum, onsetSpectrum } from './rhythm-spectrum';

export { MAX_BPM, MIN_BPM, type TempoHypothesis };

/** Frames quieter than this (dB re the loudest frame) are outside the sounding part. */
const ACTIVE_DB = -60;
/** Below this much sounding audio there is no periodicity to measure. */
const MIN_ACTIVE_SEC = 1;
/** Mean onset strength below which there is no rhythm to speak of (steady tones, hum, silence). */
const MIN_ONSET_STRENGTH = 0.03;
/**
 * Longest stretch whose onsets are analysed for periodicity. A minute holds dozens of bars at any
 * tempo; longer stretches only add cost, and the narrower spectral lines of a long analysis make
 * the harmonic reads fragile (and songs drift in tempo anyway).
 */
const PERIOD_MAX_SEC = 60;
/** Window of the local mean removed from the onset envelope. */
const SHARPEN_SEC = 0.25;
/** High-band flatness at which drums start to count, and the span over which they reach full weight. */
const NOISE_FLAT_MIN = 0.1;
const NOISE_FLAT_SPAN = 0.15;

export type RhythmAnalysis = {
  env: OnsetEnvelope;
  /** Sounding part, in envelope frames [first, last). */
  first: number;
  last: number;
  activeSec: number;
  spectrum: OnsetSpectrum | null;
  /** Onset spectrum of the high band (hi-hats, cymbals, snare noise). */
  highSpectrum: OnsetSpectrum | null;
  tatum: Tatum;
  /** Weight of the hi-hat cue: how clearly the high band pulses. */
  drumWeight: number;
  hypotheses: TempoHypothesis[];
  /** Largest salience on the tempo grid (unnormalised), 0 when nothing was measured. */
  peakSalience: number;
  /** Median salience on the grid: the floor a real peak stands above. */
  floorSalience: number;
  /** Mean sharpened onset strength per frame (log-flux units per bin): ~0 for steady tones and silence. */
  onsetStrength: number;
};

export function rhythmAnalysis(ctx: AnalysisContext): RhythmAnalysis {
  return ctx.memo('rhythm:analysis', () => analyse(ctx));
}

function analyse(ctx: AnalysisContext): RhythmAnalysis {
  const env = onsetEnvelope(ctx);
  let first = 0;
  let last = 0;
  for (let f = 0; f < env.frames; f++) {
    if (env.energyDb[f] > ACTIVE_DB) {
      if (last === 0) first = f;
      last = f + 1;
    }
  }
  const activeSec = (last - first) / env.rate;
  const empty: RhythmAnalysis = {
    env,
    first,
    last,
    activeSec,
    spectrum: null,
    highSpectrum: null,
    tatum: { hz: 0, clarity: 0 },
    drumWeight: 0,
    hypotheses: [],
    peakSalience: 0,
    floorSalience: 0,
    onsetStrength: 0,
  };
  if (env.peak === 0 || activeSec < MIN_ACTIVE_SEC) return empty;

  const win = Math.round(env.rate * SHARPEN_SEC);
  // Periodicity is measured on at most PERIOD_MAX_SEC of the sounding part (see there).
  const end = Math.min(last, first + Math.round(PERIOD_MAX_SEC * env.rate));
  const onsets = sharpenOnsets(env.total, first, end, win);
  let onsetSum = 0;
  for (let i = 0; i < onsets.length; i++) onsetSum += onsets[i];
  const onsetStrength = onsetSum / Math.max(1, onsets.length);
  if (onsetStrength < MIN_ONSET_STRENGTH) return { ...empty, onsetStrength };
  const spectrum = onsetSpectrum(onsets, env.rate);
  const hats = sharpenOnsets(env.high, first, end, win);
  const highSpectrum = onsetSpectrum(hats, env.rate);
  const tatum = findTatum(highSpectrum);
  ctx.checkpoint();

  // Salience over the tempo range on a 0.1 % grid.
  const grid: number[] = [];
  const sal: number[] = [];
  for (let t = MIN_BPM; t <= MAX_BPM; t *= 1.001) {
    grid.push(t);
    sal.push(pulseSalience(spectrum, t));
  }
  let peakSalience = 0;
  let top = -1;
  let topScore = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < grid.length; i++) {
    if (sal[i] > peakSalience) peakSalience = sal[i];
    const s = Math.log(sal[i] + 1e-9) + tempoPrior(grid[i]);
    if (s > topScore) {
      topScore = s;
      top = i;
    }
  }
  const floorSalience = median(sal);
  if (top < 0 || peakSalience <= 0) return { ...empty, spectrum, highSpectrum, tatum, onsetStrength };

  // Candidates: the best pulse and its metrical relatives, plus the strongest other peaks.
  const seeds = [1, 2, 0.5, 1.5, 2 / 3, 3, 1 / 3].map((m) => grid[top] * m);
  const peaks: number[] = [];
  for (let i = 1; i + 1 < grid.length; i++) if (sal[i] > sal[i - 1] && sal[i] >= sal[i + 1]) peaks.push(i);
  peaks.sort((a, b) => sal[b] - sal[a]);
  for (const i of peaks.slice(0, 4)) seeds.push(grid[i]);

  // The hi-hat cue only means something when the high band holds drums: noise, not the upper
  // partials of pitched instruments (whose onsets just repeat the notes' rhythm). Flatness of
  // white noise's periodogram is e^-γ ≈ 0.56; partials spaced wider than a bin give < 0.1.
  const drumPresence = clamp01((env.noiseFlatness - NOISE_FLAT_MIN) / NOISE_FLAT_SPAN);
  const drumWeight = clamp01((tatum.clarity - 0.2) / 0.3) * drumPresence;
  const hypotheses = scoreHypotheses(seeds, {
    spectrum,
    env,
    hats,
    first,
    last: end,
    durationSec: ctx.durationSec,
    tatum,
    drumWeight,
    drumPresence,
    peakSalience,
  });
  return {
    env,
    first,
    last,
    activeSec,
    spectrum,
    highSpectrum,
    tatum,
    drumWeight,
    hypotheses,
    peakSalience,
    floorSalience,
    onsetStrength,
  };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

const clamp01 = (v: number) => (v < 0 ? 0 : Math.min(v, 1));

/**
 * Beats per bar at `bpm`: a bar of three shows as lines at a third and two thirds of the beat
 * frequency (the bar and its harmonic), a bar of two or four as lines at a half and a quarter.
 */
export function beatsPerBar(r: RhythmAnalysis, bpm: number): { beatsPerBar: 3 | 4; triple: number } {
  // triple: ratio of the three-beat lines to the two/four-beat lines (>1 reads as 3/4).
  const f = bpm / 60;
  let triple = 0;
  let duple = 0;
  for (const spec of [r.spectrum, r.highSpectrum]) {
    if (!spec) continue;
    triple += magnitudeAt(spec, f / 3) + magnitudeAt(spec, (2 * f) / 3);
    duple += magnitudeAt(spec, f / 2) + magnitudeAt(spec, f / 4) + magnitudeAt(spec, (3 * f) / 4);
  }
  const ratio = triple / Math.max(1e-9, duple);
  return { beatsPerBar: ratio > 1 ? 3 : 4, triple: ratio };
}
