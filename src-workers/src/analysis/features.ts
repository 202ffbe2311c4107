/**
 * The fixed-length similarity vector. Layout, meaning and scaling of every dimension are
 * documented in contract/src/features.ts; the constants here implement that document. Every value
 * is mapped to [0, 1] by fixed constants only, so vectors from different devices, libraries and
 * dates compare directly.
 */
import { FEATURE_LAYOUT, FEATURE_VECTOR_LENGTH } from '@samplemind/contract';
import type { AnalysisContext } from '../context';
import { chromaAnalysis } from './chroma-spectrum';
import { rmsEnvelope } from './descriptor-envelope';
import { spectralFrames } from './descriptor-frames';
import { onsets } from './descriptor-onsets';
import type { Measured } from './measured';
import { MFCC_COUNT, mfccFrames } from './mfcc-frames';

const clamp01 = (v: number) => (Number.isNaN(v) ? 0 : Math.min(1, Math.max(0, v)));
/** Position of v between lo and hi on a log axis, clamped; 0 for v <= 0. */
export const logScale = (v: number, lo: number, hi: number) =>
  v > 0 ? clamp01(Math.log(v / lo) / Math.log(hi / lo)) : 0;
/** dB between floorDb and topDb, linear, clamped. */
const dbScale = (db: number | null, floorDb: number, topDb: number) =>
  db === null ? 0 : clamp01((db - floorDb) / (topDb - floorDb));

/** Scale of MFCC c_k means (dB units of the log mel spectrum): tanh knee at 60 / sqrt(k). */
export const mfccMeanScale = (k: number) => 60 / Math.sqrt(k);
/** Scale of MFCC c_k standard deviations over time: tanh knee at 20 / sqrt(k). */
export const mfccStdScale = (k: number) => 20 / Math.sqrt(k);

export function featureVector(ctx: AnalysisContext, m: Measured): number[] {
  const v: Record<string, number> = {};
  timbre(ctx, m, v);
  pitch(ctx, m, v);
  envelope(ctx, m, v);
  loudness(m, v);
  const out = FEATURE_LAYOUT.map((d) => clamp01(v[d.name] ?? 0));
  if (out.length !== FEATURE_VECTOR_LENGTH) throw new Error('feature layout mismatch');
  return out;
}

function timbre(ctx: AnalysisContext, m: Measured, v: Record<string, number>) {
  const mf = mfccFrames(ctx);
  const sf = spectralFrames(ctx);
  // Amplitude (sqrt energy) weights: the body of a sound dominates, its tail still counts.
  const sum = new Float64Array(MFCC_COUNT);
  const sq = new Float64Array(MFCC_COUNT);
  let w = 0;
  let flux = 0;
  for (let f = 0; f < mf.frames; f++) {
    if (!mf.active[f]) continue;
    const a = Math.sqrt(sf.energy[f]);
    w += a;
    flux += a * sf.flux[f];
    for (let k = 0; k < MFCC_COUNT; k++) {
      const c = mf.mfcc[f * MFCC_COUNT + k];
      sum[k] += a * c;
      sq[k] += a * c * c;
    }
  }
  for (let k = 0; k < MFCC_COUNT; k++) {
    const mean = w > 0 ? sum[k] / w : 0;
    const std = w > 0 ? Math.sqrt(Math.max(0, sq[k] / w - mean * mean)) : 0;
    v[`mfccMean${k}`] = 0.5 + 0.5 * Math.tanh(mean / mfccMeanScale(k + 1));
    v[`mfccStd${k}`] = Math.tanh(std / mfccStdScale(k + 1));
  }
  const s = m.spectral;
  v.centroid = logScale(s.centroidHz, 50, 11025);
  v.rolloff = logScale(s.rolloffHz, 50, 11025);
  v.flatness = s.flatness > 0 ? clamp01(1 + (10 * Math.log10(s.flatness)) / 60) : 0;
  v.bandwidth = logScale(s.bandwidthHz, 50, 5000);
  v.zeroCrossingRate = logScale(s.zeroCrossingRate, 20, 11025);
  v.spectralFlux = w > 0 ? clamp01(flux / w / 0.5) : 0;
}

function pitch(ctx: AnalysisContext, m: Measured, v: Record<string, number>) {
  // Pitch-class profile of the tonal part; none where the key finder found no tonal content
  // (unpitched drums skip it altogether, see analyse.ts).
  if (!m.levels.isSilent && m.key.tonic !== null) {
    const c = chromaAnalysis(ctx);
    const profile = new Float64Array(12);
    for (let f = 0; f < c.frames; f++) for (let p = 0; p < 12; p++) profile[p] += c.chroma[f * 12 + p];
    const max = Math.max(...profile);
    for (let p = 0; p < 12; p++) v[`chroma${p}`] = max > 0 ? profile[p] / max : 0;
  }
  v.pitchSalience = m.loop.isLoop ? m.key.confidence : m.pitch.confidence;
  v.rootNote = m.pitch.midiNote === null ? 0 : clamp01((m.pitch.midiNote - 24) / 72);
}

function envelope(ctx: AnalysisContext, m: Measured, v: Record<string, number>) {
  const e = m.envelope;
  v.attack = logScale(e.attackSec, 0.001, 1);
  v.decay = logScale(e.decaySec, 0.01, 20);
  v.effectiveLength = logScale(e.effectiveLengthSec, 0.01, 60);
  v.temporalCentroid = logScale(e.temporalCentroidSec, 0.005, 30);
  const found = onsets(ctx).frames.length;
  const span = Math.max(0.1, e.effectiveLengthSec);
  v.onsetRate = logScale(1 + found / span, 1, 21);
  v.isLoop = m.loop.isLoop ? 1 : 0;
  v.tempo = m.loop.isLoop && m.tempo.bpm !== null ? logScale(m.tempo.bpm, 50, 250) : 0;
  v.crestFactor = crestFactorDb(ctx) / 30;
}

/** Peak over RMS of the audible part (onset to -40 dB end), dB: padding does not inflate it. */
function crestFactorDb(ctx: AnalysisContext): number {
  const env = rmsEnvelope(ctx);
  const { values, peak } = env;
  if (peak <= 0) return 0;
  let first = 0;
  while (first < values.length && values[first] < peak * 0.01) first++;
  let last = values.length - 1;
  while (last > first && values[last] < peak * 0.01) last--;
  let sq = 0;
  for (let j = first; j <= last; j++) sq += values[j] * values[j];
  const rms = Math.sqrt(sq / (last - first + 1));
  let max = 0;
  const mono = ctx.mono;
  const from = Math.floor(first * env.hopSec * ctx.sampleRate);
  const to = Math.min(mono.length, Math.ceil((last * env.hopSec + env.windowSec) * ctx.sampleRate));
  for (let i = from; i < to; i++) {
    const a = Math.abs(mono[i]);
    if (a > max) max = a;
  }
  return rms > 0 && max > 0 ? Math.max(0, 20 * Math.log10(max / rms)) : 0;
}

function loudness(m: Measured, v: Record<string, number>) {
  const l = m.levels;
  if (l.isSilent) return;
  // Integrated loudness needs 0.4 s; shorter sounds use their RMS level, which is close for the
  // broadband hits that are that short.
  v.lufs = dbScale(l.lufs ?? l.rmsDb, -60, 0);
  v.rms = dbScale(l.rmsDb, -60, 0);
  v.peak = dbScale(l.truePeakDb ?? l.samplePeakDb, -60, 6);
  v.loudnessRange = l.loudnessRangeLu === null ? 0 : clamp01(l.loudnessRangeLu / 30);
}
