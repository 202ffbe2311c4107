import { type Key, PITCH_CLASSES } from '@samplemind/contract';
import type { AnalysisContext } from '../context';
import { type ChromaAnalysis, chromaAnalysis } from './chroma-spectrum';
import { keyCorrelations, ROOT_PROFILE, SHAATH, TONIC_NOTE, TONIC_TRIAD } from './tonal-profiles';

/** Length of the opening read for the tonic cue: about a bar at common tempi. */
const START_SEC = 1.5;
/** Weight of the bass-line and opening cues next to the pitch-class profile (weight 1). */
const BASS_WEIGHT = 0.5;
const START_BASS_WEIGHT = 0.25;
const START_CHORD_WEIGHT = 0.25;

/**
 * Below this Rayleigh statistic the partials' deviations from the semitone grid look random:
 * noise, unpitched percussion or silence, so there is no key to report.
 */
const MIN_RAYLEIGH = 10;
/** A lead of the best key over the runner-up that counts as unambiguous. */
const CLEAR_MARGIN = 0.5;

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

export type KeyScores = {
  /** 24 combined scores: index tonic (C = 0) for major, 12 + tonic for minor. */
  total: Float64Array;
  profile: Float64Array;
  bass: Float64Array;
  start: Float64Array;
};

export function analyseKey(ctx: AnalysisContext): Key {
  const a = chromaAnalysis(ctx);
  const s = keyScores(a);
  let best = 0;
  for (let i = 1; i < 24; i++) if (s.total[i] > s.total[best]) best = i;
  let second = -Infinity;
  for (let i = 0; i < 24; i++) if (i !== best && s.total[i] > second) second = s.total[i];
  if (a.tuningEvidence < MIN_RAYLEIGH) return { tonic: null, scale: null, camelot: null, confidence: 0 };
  const tonalness = clamp01(Math.log10(a.tuningEvidence / MIN_RAYLEIGH));
  const fit = clamp01(s.profile[best]);
  const decisiveness = clamp01((s.total[best] - second) / CLEAR_MARGIN);
  return {
    tonic: PITCH_CLASSES[best % 12],
    scale: best < 12 ? 'major' : 'minor',
    camelot: null,
    confidence: tonalness * (0.5 * fit + 0.5 * decisiveness),
  };
}

export function keyScores(a: ChromaAnalysis): KeyScores {
  const chroma = new Float64Array(12);
  const bass = new Float64Array(12);
  for (let f = 0; f < a.frames; f++) {
    for (let pc = 0; pc < 12; pc++) {
      chroma[pc] += a.chroma[f * 12 + pc];
      bass[pc] += a.bass[f * 12 + pc];
    }
  }
  const { from, to } = openingFrames(a);
  const startChroma = new Float64Array(12);
  const startBass = new Float64Array(12);
  for (let f = from; f < to; f++) {
    for (let pc = 0; pc < 12; pc++) {
      startChroma[pc] += a.chroma[f * 12 + pc];
      startBass[pc] += a.bass[f * 12 + pc];
    }
  }
  const profile = keyCorrelations(chroma, SHAATH);
  const bassScore = keyCorrelations(bass, ROOT_PROFILE);
  const sb = keyCorrelations(startBass, TONIC_NOTE);
  const sc = keyCorrelations(startChroma, TONIC_TRIAD);
  const start = new Float64Array(24);
  const total = new Float64Array(24);
  for (let k = 0; k < 24; k++) {
    start[k] = START_BASS_WEIGHT * sb[k] + START_CHORD_WEIGHT * sc[k];
    total[k] = profile[k] + BASS_WEIGHT * bassScore[k] + start[k];
  }
  return { total, profile, bass: bassScore, start };
}

/** Frames of the opening: from the first frame with a tenth of the loudest frame's pitched weight. */
function openingFrames(a: ChromaAnalysis): { from: number; to: number } {
  let max = 0;
  for (let f = 0; f < a.frames; f++) if (a.tonal[f] > max) max = a.tonal[f];
  let from = 0;
  while (from < a.frames && a.tonal[from] < 0.1 * max) from++;
  const to = Math.min(a.frames, from + Math.max(1, Math.round(START_SEC / a.hopSec)));
  return { from, to };
}
