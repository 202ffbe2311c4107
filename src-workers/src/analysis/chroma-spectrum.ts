import type { AnalysisContext } from '../context';
import { bassLine } from './chroma-bass';
import { decimateBy4 } from './chroma-decimate';
import { type PeakSet, sustainedPeaks } from './chroma-peaks';

/**
 * Pitch-class content over time, the front end of key finding.
 *
 * Sustained spectral peaks (chroma-peaks.ts) are referred to the recording's own tuning, which is
 * estimated from their deviation from the equal-tempered grid. Each peak adds its compressed
 * magnitude to its pitch class, except that peaks explained as overtones are discounted: the
 * 3rd, 5th, 7th... harmonics of a note sound a fifth, a major third, a minor seventh above it and
 * would otherwise vote for pitch classes that are not played (a minor chord's root gives a major
 * third at its 5th harmonic). The bass line is read separately (chroma-bass.ts).
 */
export type ChromaAnalysis = {
  frames: number;
  hopSec: number;
  /** Deviation of the recording's tuning from A4 = 440 Hz, cents in [-50, 50). */
  tuningCents: number;
  /**
   * Rayleigh statistic of the peaks' deviations from the semitone grid (weighted by the effective
   * number of peaks): around 1-5 when they are random (noise, unpitched percussion), tens to
   * thousands when the partials sit on one tuned grid.
   */
  tuningEvidence: number;
  /** frames × 12 (C = 0): pitch-class weight per frame, all registers. */
  chroma: Float32Array;
  /** frames × 12: salience of the frame's bass note at its pitch class. */
  bass: Float32Array;
  /** Per-frame sum of the chroma (how much pitched content the frame has). */
  tonal: Float32Array;
};

/** Non-octave harmonics (3, 5, 6, 7, 9, 10, 11, 12... semitones above the fundamental). */
const OVERTONES = [19.02, 27.86, 31.02, 33.69, 38.04, 39.86, 41.51, 43.02];
const OVERTONE_TOLERANCE = 0.3; // semitones
/** A lower peak explains a higher one as its overtone only when it is at least this loud relative to it. */
const PARENT_MIN_RATIO = 0.5;
/** Weight left to a peak explained as an overtone: chord tones often coincide with overtones. */
const OVERTONE_WEIGHT = 0.5;

export function chromaAnalysis(ctx: AnalysisContext): ChromaAnalysis {
  return ctx.memo('tonal:chroma', () => computeChroma(ctx.mono, ctx.sampleRate, ctx.checkpoint));
}

export function computeChroma(
  mono: Float32Array,
  sampleRate: number,
  checkpoint: () => void = () => {},
): ChromaAnalysis {
  const peaks = sustainedPeaks(decimateBy4(mono), sampleRate / 4, checkpoint);
  const { frames, frameStart, count } = peaks;
  const tuning = estimateTuning(peaks);
  const tuningSemis = tuning.cents / 100;
  const bassNotes = bassLine(peaks);
  const weight = overtoneWeights(peaks, bassNotes.pitch);

  const chroma = new Float32Array(frames * 12);
  const bass = new Float32Array(frames * 12);
  const tonal = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    for (let i = frameStart[f]; i < frameStart[f + 1]; i++) {
      const semis = peaks.pitch[i] - tuningSemis;
      const nearest = Math.round(semis);
      // Partials far off the grid (inharmonic, noise, glides) count less.
      const fit = Math.cos(Math.min(Math.abs(semis - nearest), 0.5) * Math.PI) ** 2;
      const w = Math.sqrt(peaks.mag[i]) * fit * weight[i];
      chroma[f * 12 + pitchClass(nearest)] += w;
      tonal[f] += w;
    }
    const b = bassNotes.pitch[f];
    if (!Number.isNaN(b)) bass[f * 12 + pitchClass(Math.round(b - tuningSemis))] += bassNotes.salience[f];
  }
  return {
    frames,
    hopSec: peaks.hopSec,
    tuningCents: tuning.cents,
    tuningEvidence: count > 0 ? tuning.rayleigh : 0,
    chroma,
    bass,
    tonal,
  };
}

const pitchClass = (midi: number) => ((midi % 12) + 12) % 12;

/**
 * 1 for peaks heard as notes, OVERTONE_WEIGHT for peaks that sit at a non-octave harmonic of a
 * louder lower peak or of the frame's bass note (whose fundamental may be too weak to be a peak).
 */
function overtoneWeights(peaks: PeakSet, bassPitch: Float32Array): Float32Array {
  const { frames, frameStart, pitch, mag } = peaks;
  const weight = new Float32Array(peaks.count).fill(1);
  const nearest = OVERTONES[0] - OVERTONE_TOLERANCE;
  const farthest = OVERTONES[OVERTONES.length - 1] + OVERTONE_TOLERANCE;
  for (let f = 0; f < frames; f++) {
    const start = frameStart[f];
    const end = frameStart[f + 1];
    const bass = bassPitch[f];
    let from = start; // first peak within `farthest` below peak i (peaks are in rising pitch)
    for (let i = start; i < end; i++) {
      while (pitch[i] - pitch[from] > farthest) from++;
      let explained = !Number.isNaN(bass) && isOvertone(pitch[i] - bass);
      for (let j = from; j < i && !explained; j++) {
        const interval = pitch[i] - pitch[j];
        if (interval < nearest) break;
        if (mag[j] >= mag[i] * PARENT_MIN_RATIO) explained = isOvertone(interval);
      }
      if (explained) weight[i] = OVERTONE_WEIGHT;
    }
  }
  return weight;
}

function isOvertone(interval: number): boolean {
  for (const h of OVERTONES) if (Math.abs(interval - h) < OVERTONE_TOLERANCE) return true;
  return false;
}

/** Weighted circular mean of the peaks' deviation from the nearest semitone, and its Rayleigh statistic. */
function estimateTuning(peaks: PeakSet): { cents: number; rayleigh: number } {
  let s = 0;
  let c = 0;
  let total = 0;
  let total2 = 0;
  for (let i = 0; i < peaks.count; i++) {
    const angle = 2 * Math.PI * (peaks.pitch[i] - Math.round(peaks.pitch[i]));
    const w = Math.sqrt(peaks.mag[i]);
    s += w * Math.sin(angle);
    c += w * Math.cos(angle);
    total += w;
    total2 += w * w;
  }
  if (total === 0) return { cents: 0, rayleigh: 0 };
  const resultant2 = s * s + c * c;
  return { cents: (Math.atan2(s, c) / (2 * Math.PI)) * 100, rayleigh: resultant2 / total2 };
}
