import { type Key, PITCH_CLASSES } from '@samplemind/contract';
import type { AnalysisContext } from '../context';
import { chromaAnalysis } from './chroma-spectrum';
import { keyCorrelations, PROFILES } from './tonal-profiles';

export function analyseKey(ctx: AnalysisContext): Key {
  const a = chromaAnalysis(ctx);
  const total = new Float64Array(12);
  for (let f = 0; f < a.frames; f++) for (let pc = 0; pc < 12; pc++) total[pc] += a.chroma[f * 12 + pc];
  const prof = PROFILES.find((p) => p.name === (process.env.PROFILE ?? 'krumhansl'))!;
  const scores = keyCorrelations(total, prof);
  let best = 0;
  for (let i = 1; i < 24; i++) if (scores[i] > scores[best]) best = i;
  return { tonic: PITCH_CLASSES[best % 12], scale: best < 12 ? 'major' : 'minor', camelot: null, confidence: Math.max(0, scores[best]) };
}
