import { type Key, PITCH_CLASSES } from '@samplemind/contract';
import type { AnalysisContext } from '../context';
import { type ChromaAnalysis, chromaAnalysis } from './chroma-spectrum';
import { keyCorrelations, ROOT_PROFILE, SHAATH, TONIC_NOTE, TONIC_TRIAD } from './tonal-profiles';

/**
 * Global key of a file.
 *
 * The pitch-class profile of the whole file is correlated with a key profile (Shaath's, a
 * Krumhansl-Kessler variant for popular and electronic music). That settles the scale, but a
 * major key and its relative minor (and the modes that share the notes) use the same seven pitch
 * classes, and the profile can only break the tie on weak cues. Two tonic cues decide between them:
 * - the bass line, correlated with a chord-root profile (the tonic most, then the dominant and
 *   subdominant): which chord root the music keeps returning to;
 * - the opening, where loops and songs usually state the tonic chord over the tonic in the bass.
 * The cues are added to the profile correlation with fixed weights; none of them alone overrides
 * clear pitch-class evidence.
 */
const BASS_WEIGHT = 0.5;
const OPENING_BASS_WEIGHT = 0.25;
const OPENING_CHORD_WEIGHT = 0.25;
/** Length of the opening that is read for the tonic cue: about a bar at common tempi. */
const OPENING_SEC = 1.5;
/** The opening starts at the first frame with this share of the loudest frame's pitched content. */
const OPENING_ONSET = 0.1;

/**
 * Below this tuning evidence (see ChromaAnalysis) the partials' deviations from the semitone grid
 * look random: noise, unpitched percussion or silence, so there is no key to report.
 */
const MIN_TUNING_EVIDENCE = 10;
/** A lead of the best key over the runner-up that counts as unambiguous. */
const CLEAR_MARGIN = 0.5;

const NO_KEY: Key = { tonic: null, scale: null, camelot: null, confidence: 0 };

export function analyseKey(ctx: AnalysisContext): Key {
  const a = chromaAnalysis(ctx);
  if (a.tuningEvidence < MIN_TUNING_EVIDENCE) return NO_KEY;
  const s = keyScores(a);
  let best = 0;
  for (let k = 1; k < 24; k++) if (s.total[k] > s.total[best]) best = k;
  let second = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < 24; k++) if (k !== best && s.total[k] > second) second = s.total[k];
  // Confidence: how clearly pitched the audio is, how well its pitch classes fit the key's
  // profile, and how far the key leads the runner-up.
  const tonalness = clamp01(Math.log10(a.tuningEvidence / MIN_TUNING_EVIDENCE));
  const fit = clamp01(s.profile[best]);
  const lead = clamp01((s.total[best] - second) / CLEAR_MARGIN);
  return {
    tonic: PITCH_CLASSES[best % 12],
    scale: best < 12 ? 'major' : 'minor',
    camelot: null,
    confidence: tonalness * (0.5 * fit + 0.5 * lead),
  };
}

export type KeyScores = {
  /** Combined score per key: index = tonic (C = 0) for major, 12 + tonic for minor. */
  total: Float64Array;
  /** Correlation of the whole file's pitch-class profile with each key's profile. */
  profile: Float64Array;
};

export function keyScores(a: ChromaAnalysis): KeyScores {
  const chroma = sumFrames(a.chroma, 0, a.frames);
  const bass = sumFrames(a.bass, 0, a.frames);
  const { from, to } = openingFrames(a);
  const profile = keyCorrelations(chroma, SHAATH);
  const bassLine = keyCorrelations(bass, ROOT_PROFILE);
  const openingBass = keyCorrelations(sumFrames(a.bass, from, to), TONIC_NOTE);
  const openingChord = keyCorrelations(sumFrames(a.chroma, from, to), TONIC_TRIAD);
  const total = new Float64Array(24);
  for (let k = 0; k < 24; k++) {
    total[k] =
      profile[k] +
      BASS_WEIGHT * bassLine[k] +
      OPENING_BASS_WEIGHT * openingBass[k] +
      OPENING_CHORD_WEIGHT * openingChord[k];
  }
  return { total, profile };
}

function sumFrames(perFrame: Float32Array, from: number, to: number): Float64Array {
  const out = new Float64Array(12);
  for (let f = from; f < to; f++) for (let pc = 0; pc < 12; pc++) out[pc] += perFrame[f * 12 + pc];
  return out;
}

/** Frames of the opening: from the first frame with real pitched content, OPENING_SEC long. */
function openingFrames(a: ChromaAnalysis): { from: number; to: number } {
  let loudest = 0;
  for (let f = 0; f < a.frames; f++) if (a.tonal[f] > loudest) loudest = a.tonal[f];
  let from = 0;
  while (from < a.frames - 1 && a.tonal[from] < OPENING_ONSET * loudest) from++;
  const to = Math.min(a.frames, from + Math.max(1, Math.round(OPENING_SEC / a.hopSec)));
  return { from, to };
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
