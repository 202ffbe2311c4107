/**
 * Onset count from the log mel spectrogram: the detection function is the mean positive rise of
 * the 40 band levels from one frame to the next (dB), which responds to hits and to note changes
 * alike and ignores decays. An onset is a local maximum over +-35 ms that rises by at least
 * ONSET_RISE_DB on average and lands on a non-silent frame.
 */
import type { AnalysisContext } from '../context';
import { spectralFrames } from './descriptor-frames';
import { melFrames } from './mfcc-frames';

const ONSET_RISE_DB = 3;
const NEIGHBOURHOOD = 3; // frames each side (3 x 11.6 ms)

export type Onsets = {
  /** Frame indices of the onsets, ascending. */
  frames: number[];
  hopSec: number;
};

export function onsets(ctx: AnalysisContext): Onsets {
  return ctx.memo('timbre:onsets', () => {
    const mel = melFrames(ctx);
    const sf = spectralFrames(ctx);
    return { frames: detectOnsets(mel.logMel, mel.frames, mel.bands, sf.active), hopSec: sf.hopSec };
  });
}

export function detectOnsets(logMel: Float32Array, frames: number, bands: number, active: Uint8Array): number[] {
  const odf = new Float32Array(frames);
  // Sound from the very first frame is an onset (the file starts on it); it also masks its
  // neighbours, as any stronger peak would.
  if (frames > 0 && active[0]) odf[0] = Number.POSITIVE_INFINITY;
  for (let f = 1; f < frames; f++) {
    let rise = 0;
    const o = f * bands;
    const p = o - bands;
    for (let b = 0; b < bands; b++) rise += Math.max(0, logMel[o + b] - logMel[p + b]);
    odf[f] = rise / bands;
  }
  const found: number[] = [];
  for (let f = 0; f < frames; f++) {
    if (!active[f] || odf[f] < ONSET_RISE_DB) continue;
    let isMax = true;
    for (let j = Math.max(0, f - NEIGHBOURHOOD); j <= Math.min(frames - 1, f + NEIGHBOURHOOD); j++) {
      // Ties go to the earliest frame so that a plateau counts once.
      if (odf[j] > odf[f] || (odf[j] === odf[f] && j < f)) {
        isMax = false;
        break;
      }
    }
    if (isMax) found.push(f);
  }
  return found;
}
