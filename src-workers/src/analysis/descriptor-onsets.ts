/**
 * Onset count from the log mel spectrogram: the detection function is the mean positive rise of
 * the 40 band levels from one frame to the next (dB), which responds to hits and to note changes
 * alike and ignores decays. Band levels are floored 60 dB below the loudest band of the file, so
 * that noise-floor bands cannot "rise". An onset is a local maximum over +-35 ms that rises by at
 * least ONSET_RISE_DB on average, in a frame within 40 dB of the loudest frame.
 */
import type { AnalysisContext } from '../context';
import { spectralFrames } from './descriptor-frames';
import { melFrames } from './mfcc-frames';

const ONSET_RISE_DB = 3;
const BAND_FLOOR_DB = -60;
const FRAME_FLOOR_DB = -40;
const NEIGHBOURHOOD = 3; // frames each side (3 x 11.6 ms)

export type Onsets = {
  /** Frame indices (of the shared 1024 / 256 spectrogram) of the onsets, ascending. */
  frames: number[];
  hopSec: number;
};

export function onsets(ctx: AnalysisContext): Onsets {
  return ctx.memo('timbre:onsets', () => {
    const mel = melFrames(ctx);
    const sf = spectralFrames(ctx);
    const loudEnough = new Uint8Array(sf.frames);
    const min = sf.maxEnergy * 10 ** (FRAME_FLOOR_DB / 10);
    for (let f = 0; f < sf.frames; f++) loudEnough[f] = sf.energy[f] > 0 && sf.energy[f] >= min ? 1 : 0;
    return { frames: detectOnsets(mel.logMel, mel.frames, mel.bands, loudEnough), hopSec: sf.hopSec };
  });
}

/** `eligible` marks frames that may hold an onset; logMel is frames x bands in dB. */
export function detectOnsets(
  logMel: Float32Array,
  frames: number,
  bands: number,
  eligible: Uint8Array,
): number[] {
  let top = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < frames * bands; i++) if (logMel[i] > top) top = logMel[i];
  const floor = top + BAND_FLOOR_DB;
  const odf = new Float32Array(frames);
  // Sound from the very first frame is an onset (the file starts on it); it also masks its
  // neighbours, as any stronger peak would.
  if (frames > 0 && eligible[0]) odf[0] = Number.POSITIVE_INFINITY;
  for (let f = 1; f < frames; f++) {
    let rise = 0;
    const o = f * bands;
    const p = o - bands;
    for (let b = 0; b < bands; b++)
      rise += Math.max(0, Math.max(logMel[o + b], floor) - Math.max(logMel[p + b], floor));
    odf[f] = rise / bands;
  }
  const found: number[] = [];
  for (let f = 0; f < frames; f++) {
    if (!eligible[f] || odf[f] < ONSET_RISE_DB) continue;
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
