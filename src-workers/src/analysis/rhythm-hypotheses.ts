import type { OnsetEnvelope } from './onset-envelope';
import { barFit } from './rhythm-length';
import { pulseSalience, refinePulse, subdivisionFit, type Tatum, tempoPrior } from './rhythm-metre';
import { patternEvidence } from './rhythm-pattern';
import type { OnsetSpectrum } from './rhythm-spectrum';

/**
 * Scoring of tempo hypotheses, in two stages that mirror two different questions.
 * 1. The grid: which pulse train explains the onsets (salience), with a usual hi-hat subdivision,
 *    fitting the file length. This settles the metrical grid: straight or triplet, the family of
 *    tempi related by octaves. The tempo prior takes part only through the family's most
 *    plausible octave, so that it cannot turn a 12/8 shuffle at 65 into straight time at 97.5
 *    merely because 97.5 is closer to the centre of the prior.
 * 2. The octave within that grid's family (×2, ×½): the prior, and the drums (rhythm-pattern.ts):
 *    whether kick and snare follow a usual pattern at that tempo and whether the hi-hats
 *    subdivide its beats.
 *    The octave cues only compare tempi that share the winning grid; applied to every candidate
 *    they would also reward readings on another grid (a four-on-the-floor kick with off-beat
 *    snares alternates perfectly at two thirds of its tempo, as a shuffle would).
 *
 * Why the salience has no say in the octave: it sums the lines of a pulse's first harmonics,
 * S(f) = A(f) + A(2f) + A(3f) + A(4f). For a train of sharp onsets every line has about the same
 * height, so S(f) = S(2f): the salience cannot tell the octaves apart. Whatever plays between
 * the beats (eighths, sixteenths) adds to the even lines only, so in practice
 * S(2f) − S(f) = A(6f) + A(8f) − A(f) − A(3f) > 0: the faster octave wins by construction, by a
 * margin that measures the texture (about e^0.4 for straight eighths and sixteenths, nothing for
 * swung or triplet ones), not the tempo. Left in, it shifts the effective prior centre by about
 * half an octave for straight grooves only. Every octave of the grid therefore carries the
 * grid's salience, and the octave comes from cues built for it.
 */

export type TempoHypothesis = {
  bpm: number;
  /** log salience relative to the best pulse. */
  salience: number;
  prior: number;
  /**
   * Hi-hat subdivision: for readings of the winning grid, how clearly the hats play between its
   * beats (rhythm-pattern.ts), else how usual the tatum's relation to the beat is.
   */
  subdivision: number;
  /** Support from the file length holding a whole number of bars. */
  length: number;
  /** Support from kick and snare following a usual drum pattern at this tempo (rhythm-pattern.ts). */
  pattern: number;
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
/** Score (log units) for kick and snare following one of the usual patterns exactly. */
const PATTERN_WEIGHT = 1;
/**
 * Penalty (log units) for beats with nothing played between them, and the hi-hat level between
 * the beats (relative to the level on them) from which a beat counts as subdivided.
 */
const UNSUBDIVIDED_PENALTY = 1;
const SUBDIVIDED = 0.5;
/** Kit strength (rhythm-drums.ts) from which kick and snare count as heard: -40 dB. */
const KIT_HEARD = 0.01;
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
    hypotheses.push({ bpm, salience, prior, subdivision, length, pattern: 0, score });
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
  const gridSalience = grid.salience;
  const onGrid = hypotheses.filter((h) => isOctave(h.bpm, grid.bpm));
  for (const h of onGrid) {
    const e = octaveEvidence(h.bpm, input);
    h.pattern = e.pattern;
    h.subdivision = e.subdivision;
    h.score = gridSalience + h.prior + h.length + h.pattern + h.subdivision;
  }
  // Readings off the winning grid stay listed as candidates, ranked below every reading on it.
  const lowest = Math.min(...onGrid.map((h) => h.score));
  for (const h of hypotheses)
    if (!onGrid.includes(h)) h.score = Math.min(h.score - OFF_GRID, lowest - OFF_GRID);
  return hypotheses.sort((a, b) => b.score - a.score);
}

/** The prior of the most plausible octave of `bpm` within the tempo range. */
function familyPrior(bpm: number): number {
  let best = Number.NEGATIVE_INFINITY;
  for (let t = bpm; t >= MIN_BPM * 0.98; t /= 2) best = Math.max(best, tempoPrior(t));
  for (let t = bpm * 2; t <= MAX_BPM * 1.02; t *= 2) best = Math.max(best, tempoPrior(t));
  return best;
}

/**
 * Drum evidence for `bpm` as the beat: support when kick and snare follow a usual pattern there,
 * a penalty when the hi-hats play nothing between its beats (the reading is then likely twice
 * too fast: a ballad's eighths taken as beats). Without drums there is no such evidence and the
 * prior alone chooses the octave.
 */
function octaveEvidence(bpm: number, input: HypothesisInput): { pattern: number; subdivision: number } {
  const { env, hats, first, last, drumPresence } = input;
  if (drumPresence <= 0) return { pattern: 0, subdivision: 0 };
  const e = patternEvidence({ kick: env.kick, snare: env.snare, hats, first, last, rate: env.rate }, bpm);
  // Four on the floor with off-beat snares reads at this tempo only when its backbeat reading,
  // twice as fast, is beyond any plausible beat (ska at 170); otherwise that reading has it.
  const doubled = bpm * 2 > MAX_BPM ? e.doubledBackbeat : 0;
  const pattern = Math.max(e.backbeat, e.halfTime, e.fourFloor, doubled);
  // The hi-hat cue presumes a kit, hats over kick and snare: a click track or a shaker alone
  // has no groove to subdivide, its pulse is the beat.
  const kit = Math.min(1, env.kit / KIT_HEARD);
  // Hats on the beats only are usual over a backbeat or a four-on-the-floor kick at a fast tempo
  // (punk, a jazz ride); what they rule out is a half-time reading (half time lives on busy hats)
  // or one with no groove at all: the eighths of a ballad taken for beats.
  const excused = Math.max(e.backbeat, e.fourFloor, doubled);
  const unsubdivided = (1 - Math.min(1, e.subdivision / SUBDIVIDED)) * (1 - excused);
  return {
    pattern: drumPresence * PATTERN_WEIGHT * pattern,
    subdivision: -drumPresence * kit * UNSUBDIVIDED_PENALTY * unsubdivided,
  };
}

/** `a` = `b` × 2^k for some integer k (within SAME). */
function isOctave(a: number, b: number): boolean {
  const k = Math.round(Math.log2(a / b));
  return Math.abs(a / (b * 2 ** k) - 1) < SAME;
}
