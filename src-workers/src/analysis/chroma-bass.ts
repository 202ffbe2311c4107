import type { PeakSet } from './chroma-peaks';

/** Upper edge of the register read as the bass line (about C4). */
export const BASS_MAX_HZ = 260;
const BASS_MIN_HZ = 30;
/** Semitones above a fundamental of its harmonics 1..8. */
const HARMONICS = [0, 12, 19.02, 24, 27.86, 31.02, 33.69, 36];
/** Weight ratio between successive harmonics in the summation. */
const HARMONIC_DECAY = 0.95;
/** A candidate fundamental is a low peak itself, or the one it implies as 2nd or 3rd harmonic. */
const CANDIDATE_OFFSETS = [0, 12, 19.02];
const TOLERANCE = 0.35; // semitones

const toMidi = (hz: number) => 69 + 12 * Math.log2(hz / 440);

/**
 * The bass note of each frame by sub-harmonic summation over the frame's peaks: a candidate
 * fundamental collects the (compressed) peaks at its harmonics, so a bass whose fundamental is
 * weak or masked by a kick drum is still read at its own pitch rather than at its third harmonic,
 * a fifth higher. Returns the fractional MIDI pitch per frame (NaN where there is none) and its
 * salience.
 */
export function bassLine(peaks: PeakSet): { pitch: Float32Array; salience: Float32Array } {
  const { frames, frameStart } = peaks;
  const pitch = new Float32Array(frames).fill(Number.NaN);
  const salience = new Float32Array(frames);
  const lowest = toMidi(BASS_MIN_HZ);
  const highest = toMidi(BASS_MAX_HZ);
  const lastOffset = CANDIDATE_OFFSETS[CANDIDATE_OFFSETS.length - 1];
  for (let f = 0; f < frames; f++) {
    const start = frameStart[f];
    const end = frameStart[f + 1];
    let best = Number.NaN;
    let bestSalience = 0;
    for (let i = start; i < end && peaks.pitch[i] < highest + lastOffset; i++) {
      for (const offset of CANDIDATE_OFFSETS) {
        const candidate = peaks.pitch[i] - offset;
        if (candidate < lowest || candidate >= highest) continue;
        const s = harmonicSum(peaks, start, end, candidate);
        if (s > bestSalience) {
          bestSalience = s;
          best = candidate;
        }
      }
    }
    pitch[f] = best;
    salience[f] = bestSalience;
  }
  return { pitch, salience };
}

function harmonicSum(peaks: PeakSet, start: number, end: number, fundamental: number): number {
  let sum = 0;
  let weight = 1;
  let j = start;
  for (const h of HARMONICS) {
    const target = fundamental + h;
    while (j < end && peaks.pitch[j] < target - TOLERANCE) j++;
    let m = 0;
    for (let q = j; q < end && peaks.pitch[q] <= target + TOLERANCE; q++)
      if (peaks.mag[q] > m) m = peaks.mag[q];
    sum += weight * Math.sqrt(m);
    weight *= HARMONIC_DECAY;
  }
  return sum;
}
