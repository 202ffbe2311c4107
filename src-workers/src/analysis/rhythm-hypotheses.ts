import type { OnsetEnvelope } from './onset-envelope';
import { patternEvidence } from './rhythm-pattern';
import { barFit } from './rhythm-length';
import { pulseSalience, refinePulse, subdivisionFit, type Tatum, tempoPrior } from './rhythm-metre';
import type { OnsetSpectrum } from './rhythm-spectrum';

/**
 * Scoring of tempo hypotheses, in two stages that mirror two different questions.
 * 1. The grid: which pulse train explains the onsets (salience), with a usual hi-hat subdivision,
 *    fitting the file length. This settles the metrical grid: straight or triplet, the family of
 *    tempi related by octaves. The tempo prior takes part only through the family's most
 *    plausible octave, so that it cannot turn a 12/8 shuffle at 65 into straight time at 97.5
 *    merely because 97.5 is closer to the centre of the prior.
 * 2. The octave within that grid's family (×2, ×½): the prior, the subdivision and where the
 *    drums fall (backbeat).
 *    The octave cues only compare tempi that share the winning grid; applied to every candidate
 *    they would also reward readings on another grid (a four-on-the-floor kick with off-beat
 *    snares alternates perfectly at two thirds of its tempo, as a shuffle would).
 */

export type TempoHypothesis = {
  bpm: number;
  /** log salience relative to the best pulse. */
  salience: number;
  prior: number;
  subdivision: number;
  /** Support from the file length holding a whole number of bars. */
  length: number;
  /** Support from kick and snare alternating on the beats (rhythm-backbeat.ts). */
  backbeat: number;
  score: number;
};

export type HypothesisInput = {
  spectrum: OnsetSpectrum;
  env: OnsetEnvelope;
  /** Sharpened high-band onsets of frames [first, last). */
  hats: Float64Array;
  first: number;
  last: number;
  durationSec: number;
  tatum: Tatum;
  /** Weight of the hi-hat cue (drums present and their pulse clear). */
  drumWeight: number;
  /** How surely drums are present at all (0..1). */
  drumPresence: number;
  /** Largest salience on the tempo grid. */
  peakSalience: number;
};

export const MIN_BPM = 40;
export const MAX_BPM = 220;

/** Score bonus (log units) for a tempo at which the file holds a whole, usual number of bars. */
const LENGTH_SUPPORT = 0.2;
/** Score (log units) for a drum pattern that follows one of the conventions perfectly. */
const PATTERN_WEIGHT = 1;
/** Highest harmonic frequency used to pin a tempo down precisely. */
const REFINE_MAX_HZ = 10;
/** Demotion of readings off the winning grid: they stay listed as candidates, but last. */
const OFF_GRID = 1;
/** Relative tolerance for two tempi to count as the same, or as exact octaves. */
const SAME = 0.02;

export function scoreHypotheses(seeds: number[], input: HypothesisInput): TempoHypothesis[] {
  const { spectrum, tatum, drumWeight, peakSalience, durationSec } = input;
  const hypotheses: TempoHypothesis[] = [];
  for (const seed of seeds) {
    if (seed < MIN_BPM * 0.98 || seed > MAX_BPM * 1.02) continue;
    const bpm = refinePulse(spectrum, seed, 0.015, REFINE_MAX_HZ);
    if (hypotheses.some((h) => Math.abs(h.bpm / bpm - 1) < SAME)) continue;
    const salience = Math.log(pulseSalience(spectrum, bpm) / peakSalience + 1e-9);
    const prior = tempoPrior(bpm);
    const subdivision = tatum.hz > 0 ? drumWeight * subdivisionFit(tatum.hz / (bpm / 60)) : 0;
    const fits = barFit(durationSec, bpm, 4) ?? barFit(durationSec, bpm, 3);
    const length = fits ? LENGTH_SUPPORT : 0;
    const score = salience + prior + subdivision + length;
    hypotheses.push({ bpm, salience, prior, subdivision, length, backbeat: 0, score });
  }
  let grid: TempoHypothesis | undefined;
  let gridScore = Number.NEGATIVE_INFINITY;
  for (const h of hypotheses) {
    const s = h.score - h.prior + familyPrior(h.bpm);
    if (s > gridScore) {
      gridScore = s;
      grid = h;
    }
  }
  if (!grid) return hypotheses;
  for (const h of hypotheses) {
    if (!isOctave(h.bpm, grid.bpm)) {
      // Off the winning grid: kept as a candidate, ranked below every reading on it.
      h.score -= OFF_GRID;
      continue;
    }
    const X = (globalThis as any).__X ?? {};
    if (X.old) {
      h.backbeat = 0;
      h.score += h.backbeat;
      continue;
    }
    const ev = octaveSupport(h.bpm, input);
    // Salience cannot choose between octaves (see the top of the file): every reading of the
    // grid gets the grid's salience, and the octave comes from the prior and the drums.
    h.score = grid.salience + tempoPrior(h.bpm, X.centre ?? 120) + h.length + ev.pattern + ev.subdivision;
    h.backbeat = ev.pattern;
    h.subdivision = ev.subdivision;
  }
  return hypotheses.sort((a, b) => b.score - a.score);
}

/** The prior of the most plausible octave of `bpm` within the tempo range. */
function familyPrior(bpm: number): number {
  let best = Number.NEGATIVE_INFINITY;
  for (let t = bpm; t >= MIN_BPM * 0.98; t /= 2) best = Math.max(best, tempoPrior(t));
  for (let t = bpm * 2; t <= MAX_BPM * 1.02; t *= 2) best = Math.max(best, tempoPrior(t));
  return best;
}

function octaveSupport(bpm: number, input: HypothesisInput): { pattern: number; subdivision: number } {
  const { env, hats, first, last, drumPresence } = input;
  if (drumPresence <= 0) return { pattern: 0, subdivision: 0 };
  const X = (globalThis as any).__X ?? {};
  const e = patternEvidence({ kick: env.kick, snare: env.snare, hats, first, last, rate: env.rate }, bpm);
  const pattern = Math.max(e.backbeat, e.halfTime, X.noF ? 0 : e.fourFloor);
  const subdivision = -(1 - Math.min(1, e.subdivision / (X.subFull ?? 0.5)));
  return { pattern: drumPresence * (X.wd ?? PATTERN_WEIGHT) * pattern, subdivision: drumPresence * (X.ws ?? 1) * subdivision };
}

/** `a` = `b` × 2^k for some integer k (within SAME). */
function isOctave(a: number, b: number): boolean {
  const k = Math.round(Math.log2(a / b));
  return Math.abs(a / (b * 2 ** k) - 1) < SAME;
}
