import type { Tempo } from '@samplemind/contract';
import type { AnalysisContext } from '../context';
import { beatsPerBar, type RhythmAnalysis, rhythmAnalysis } from './rhythm-analysis';
import { barFit } from './rhythm-length';

/** Relative tempo distance within which the file length is taken as exact. */
const EXACT_TOLERANCE = 0.004;

const NO_TEMPO: Tempo = {
  bpm: null,
  confidence: 0,
  beats: null,
  bars: null,
  beatsPerBar: null,
  candidates: [],
};

/**
 * Tempo of the sounding part: multi-band spectral-flux onsets → onset spectrum → metrical
 * hypotheses (rhythm-hypotheses.ts). The grid (straight or triplet pulse family) comes from pulse
 * salience, the hi-hat subdivision and the file length; the octave within it from the tempo prior
 * and the drums (rhythm-pattern.ts): kick and snare in a usual pattern, hi-hats between the beats.
 *
 * Half time: a bar with the snare on 3 at T is note for note a backbeat bar at T/2, so the drums
 * support both equally and the prior (centred on 120 BPM) chooses: loops written at 130-170 in
 * half time (trap, dubstep) read at the written tempo, as sample packs label them; a backbeat
 * above 85 BPM (funk, hip-hop) reads as played. What still separates the two below that is the
 * hi-hat: eighths at the slow reading (a ballad) would be unsubdivided beats at the fast one. The
 * other octave stays among the candidates.
 */
export function analyseTempo(ctx: AnalysisContext): Tempo {
  const r = rhythmAnalysis(ctx);
  const best = r.hypotheses[0];
  if (!best) return NO_TEMPO;
  const meter = beatsPerBar(r, best.bpm);
  let bpm = best.bpm;
  // A bar-exact file pins the tempo down better than the spectrum can: snap when they agree closely.
  // When the onset spectrum hesitates between bars of three and four, an exact fit of the length
  // in only one of them settles it.
  let fit = barFit(ctx.durationSec, bpm, meter.beatsPerBar, EXACT_TOLERANCE, true);
  const other = meter.beatsPerBar === 3 ? 4 : 3;
  const otherFit = barFit(ctx.durationSec, bpm, other, EXACT_TOLERANCE, true);
  if (!fit && otherFit && meter.triple > 0.5 && meter.triple < 2) {
    meter.beatsPerBar = other;
    fit = otherFit;
  }
  let beats: number;
  if (fit) {
    bpm = fit.bpm;
    beats = fit.beats;
  } else {
    beats = Math.max(1, Math.round((soundingSec(r) * bpm) / 60));
  }
  return {
    bpm: round2(bpm),
    confidence: confidenceOf(r),
    beats,
    bars: round2(beats / meter.beatsPerBar),
    beatsPerBar: meter.beatsPerBar,
    candidates: r.hypotheses.slice(0, 5).map((h) => ({ bpm: round2(h.bpm), score: round2(h.score) })),
  };
}

/** From the first sounding frame to the last frame within 20 dB of the loudest (decay tail excluded). */
function soundingSec(r: RhythmAnalysis): number {
  let end = r.first;
  for (let i = r.first; i < r.last; i++) if (r.env.energyDb[i] > -20) end = i + 1;
  return (end - r.first) / r.env.rate;
}

/**
 * How much to trust the tempo: the tempo lines must stand out of the onset spectrum (prominence)
 * and the best reading must beat its metrical rivals (margin).
 */
function confidenceOf(r: RhythmAnalysis): number {
  const prominence = r.floorSalience > 0 ? r.peakSalience / r.floorSalience : 0;
  const clear = clamp01(Math.log(Math.max(prominence, 1) / 2) / Math.log(10));
  const [a, b] = r.hypotheses;
  const margin = b ? a.score - b.score : 1;
  const decisive = 1 - Math.exp(-3 * margin);
  return round2(MAX_CONFIDENCE * clear * (0.5 + 0.5 * decisive));
}

/**
 * The audio alone never settles a tempo completely: the octave of a half-time feel is a writing
 * convention the drums cannot show, so even a clean loop leaves room for metadata to confirm it.
 */
const MAX_CONFIDENCE = 0.95;

const round2 = (v: number) => Math.round(v * 100) / 100;
const clamp01 = (v: number) => (v < 0 ? 0 : Math.min(v, 1));
