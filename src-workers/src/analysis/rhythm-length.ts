/**
 * Length consistency. Sample-pack loops are usually cut to a whole number of bars, so a tempo at
 * which the file holds a usual bar count gets some support; many loops are cut freely (late start,
 * decay kept), so this only ever breaks ties and never rules a tempo out.
 */

/** Bar counts loops are commonly cut to. */
const USUAL_BARS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64];
/** How far (relative) the measured tempo may sit from the one the length implies. */
const TEMPO_TOLERANCE = 0.012;

export type BarFit = {
  /** Bars the file holds at the length-implied tempo. */
  bars: number;
  beats: number;
  /** Tempo at which the file is exactly `bars` bars long. */
  bpm: number;
  /** Relative distance between the measured tempo and `bpm`. */
  error: number;
};

/**
 * The whole-bar reading of the file length closest to `bpm`, if one is within `tolerance`. With
 * `anyCount` every bar count up to 128 is allowed (for a close, exact match), else only usual ones.
 */
export function barFit(
  durationSec: number,
  bpm: number,
  beatsPerBar: number,
  tolerance = TEMPO_TOLERANCE,
  anyCount = false,
): BarFit | null {
  if (!(durationSec > 0) || !(bpm > 0)) return null;
  let best: BarFit | null = null;
  const counts = anyCount ? Array.from({ length: 128 }, (_, i) => i + 1) : USUAL_BARS;
  for (const bars of counts) {
    const beats = bars * beatsPerBar;
    const exact = (beats * 60) / durationSec;
    const error = Math.abs(exact / bpm - 1);
    if (error <= tolerance && (best === null || error < best.error))
      best = { bars, beats, bpm: exact, error };
  }
  return best;
}
