import type { Tempo } from '@samplemind/contract';
import type { AnalysisContext } from '../context';
import { onsetEnvelope } from './onset-envelope';
import { autocorrelation, detrend, readAt } from './rhythm-periodicity';

export function analyseTempo(ctx: AnalysisContext): Tempo {
  const env = onsetEnvelope(ctx);
  const none: Tempo = { bpm: null, confidence: 0, beats: null, bars: null, beatsPerBar: null, candidates: [] };
  if (env.peak === 0 || env.frames < env.rate * 1.5) return none;
  const x = detrend(env.total, Math.round(env.rate));
  const A = autocorrelation(x, Math.round(env.rate * 8));
  let best = 0, bestT = 0;
  const cands: { bpm: number; score: number }[] = [];
  const scores: number[] = [];
  const grid: number[] = [];
  for (let T = 40; T <= 220; T *= 1.0025) {
    const tau = (60 * env.rate) / T;
    let s = 0, c = 0;
    for (let k = 1; k <= 4 && k * tau < A.length - 1; k++) { s += readAt(A, k * tau); c++; }
    if (c === 0) continue;
    const prior = Math.exp(-0.5 * (Math.log2(T / 120) / 0.7) ** 2);
    const sc = (s / c) * prior;
    grid.push(T); scores.push(sc);
    if (sc > best) { best = sc; bestT = T; }
  }
  for (let i = 1; i + 1 < scores.length; i++) if (scores[i] > scores[i-1] && scores[i] >= scores[i+1]) cands.push({ bpm: grid[i], score: scores[i] });
  cands.sort((a, b) => b.score - a.score);
  if (bestT === 0) return none;
  return { bpm: Math.round(bestT * 100) / 100, confidence: Math.max(0, Math.min(1, best)), beats: null, bars: null, beatsPerBar: 4, candidates: cands.slice(0, 5) };
}
