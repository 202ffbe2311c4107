import type { LoopDecision, Tempo } from '@samplemind/contract';
import type { AnalysisContext } from '../context';
import { type RhythmAnalysis, rhythmAnalysis } from './rhythm-analysis';

export type LoopFeatures = {
  activeSec: number;
  /** Onsets at least a quarter as strong as the strongest one. */
  strongOnsets: number;
  /** Share of the sounding part within 20 dB of the loudest frame: music goes on, a hit decays. */
  sustain: number;
  /** Tempo-line prominence: best pulse salience over the median of the tempo grid. */
  prominence: number;
  /** Level of the last tenth of the sounding part, dB re the loudest frame (sustain to the end). */
  endDb: number;
};

/**
 * Loop or one-shot. A loop repeats a rhythmic phrase: several strong onsets with a periodic
 * structure, not one attack and its decay (however long or noisy the decay is).
 */
export function detectLoop(ctx: AnalysisContext, tempo: Tempo): LoopDecision {
  const r = rhythmAnalysis(ctx);
  const f = loopFeatures(r);
  if (tempo.bpm === null || f.activeSec < 1)
    return { isLoop: false, confidence: f.activeSec < 1 ? 0.95 : 0.8 };
  // Evidence in log-odds, each term a musical cue: the onset spectrum has lines (a repeated
  // pattern), there are several attacks (not one hit and its decay), the sound lasts long enough to
  // repeat, and it is still sounding at the end (a cut loop) rather than decayed to silence.
  const periodic = 2 * Math.log(Math.max(f.prominence, 1e-3) / 4);
  const attacks = Math.log((f.strongOnsets + 1) / 4);
  const length = 2 * Math.log(f.activeSec / 4);
  const ending = f.endDb > -15 ? 0.5 : f.endDb < -40 ? -0.5 : 0;
  const p = 1 / (1 + Math.exp(-(periodic + attacks + length + ending)));
  return { isLoop: p >= 0.5, confidence: Math.round(Math.abs(p - 0.5) * 2 * 1000) / 1000 };
}

export function loopFeatures(r: RhythmAnalysis): LoopFeatures {
  const { env, first, last } = r;
  const n = last - first;
  const attacks = countAttacks(env.energyDb, first, last, env.rate);
  let tailDb = -120;
  const tailFrom = last - Math.max(1, Math.floor(n / 10));
  for (let i = Math.max(first, tailFrom); i < last; i++)
    if (env.energyDb[i] > tailDb) tailDb = env.energyDb[i];
  return {
    activeSec: r.activeSec,
    strongOnsets: attacks.length,
    sustain: sustainShare(env.energyDb, first, last),
    prominence: r.floorSalience > 0 ? r.peakSalience / r.floorSalience : 0,
    endDb: tailDb,
  };
}

function sustainShare(energyDb: Float32Array, from: number, to: number): number {
  if (to <= from) return 0;
  let n = 0;
  for (let i = from; i < to; i++) if (energyDb[i] > -20) n++;
  return n / (to - from);
}

/**
 * Attacks: frames whose level jumps by ATTACK_DB within ~50 ms and reaches within LOUD_DB of the
 * loudest frame. Level (not the log-compressed flux) so that the grain of a decaying cymbal or of
 * noise does not count; only events that stand out of what came just before.
 */
const ATTACK_DB = 8;
const LOUD_DB = -30;
function countAttacks(energyDb: Float32Array, from: number, to: number, rate: number): number[] {
  const look = Math.max(2, Math.round(rate * 0.05));
  const attacks: number[] = [];
  let lastAt = Number.NEGATIVE_INFINITY;
  for (let i = from + 1; i < to; i++) {
    const e = energyDb[i];
    if (e < LOUD_DB) continue;
    let floor = e;
    for (let j = Math.max(from, i - look); j < i; j++) if (energyDb[j] < floor) floor = energyDb[j];
    if (e - floor < ATTACK_DB) continue;
    if (i - lastAt > look) attacks.push(i);
    lastAt = i;
  }
  return attacks;
}
