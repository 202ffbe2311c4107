import type { AnalysisContext } from '../context';
import { CLASSIFY_FFT, CLASSIFY_HOP } from './classify-descriptors';

const LO_HZ = 100;
const HI_HZ = 5000;
/** Sustain window: energy that holds at a frequency this long is a note, not a hit. */
const SUSTAIN_SEC = 0.2;
const MAX_SEC = 30;

/**
 * Fraction of the 100 Hz - 5 kHz energy that is sustained: per bin, the minimum power over a
 * 200 ms window, summed, over the summed power. Held notes and chords keep their level at their
 * frequencies (ratio near 1); drum hits decay within the window and noise fluctuates, so their
 * windowed minimum is a small fraction of the mean (about 1/n for n independent noise frames).
 * The band leaves out the kick's fundamental and the cymbals' top.
 */
export function sustainedRatio(ctx: AnalysisContext): number {
  return ctx.memo('classify:sustained-ratio', () => {
    const spec = ctx.spectrogram(CLASSIFY_FFT, CLASSIFY_HOP);
    const { bins, binHz, magnitudes, hop, sampleRate } = spec;
    const lo = Math.max(2, Math.round(LO_HZ / binHz));
    const hi = Math.min(bins - 1, Math.round(HI_HZ / binHz));
    const stride = Math.max(1, Math.round((0.02 * sampleRate) / hop));
    const frames = Math.min(spec.frames, Math.ceil((MAX_SEC * sampleRate) / hop));
    const width = Math.max(2, Math.round((SUSTAIN_SEC * sampleRate) / hop / stride));
    const steps = Math.floor(frames / stride);
    if (steps < width) return 0;
    const column = new Float64Array(steps);
    let minSum = 0;
    let total = 0;
    for (let k = lo; k <= hi; k++) {
      for (let s = 0; s < steps; s++) {
        const m = magnitudes[s * stride * bins + k];
        column[s] = m * m;
      }
      for (let s = 0; s + width <= steps; s++) {
        let min = column[s];
        let sum = 0;
        for (let j = s; j < s + width; j++) {
          const v = column[j];
          if (v < min) min = v;
          sum += v;
        }
        minSum += min;
        total += sum / width;
      }
    }
    return total > 0 ? minSum / total : 0;
  });
}

/**
 * Where a loop stops being "drums only": 5 % of the mid-band energy held as tone. Drum hits and
 * cymbal noise leave almost nothing under the windowed minimum (a few 0.1 %); a bass line, pad or
 * chord part, even a sparse one, holds several percent.
 */
const SUSTAINED_SHARE_CENTRE = 0.05;
/** Width of the soft decision in natural-log units of the share (a factor of ~1.4). */
const SUSTAINED_SHARE_WIDTH = 0.35;

/** Probability-like score that a loop is a drum loop (percussive, not sustained tone). */
export function loopPercussiveness(ctx: AnalysisContext): number {
  const r = Math.max(sustainedRatio(ctx), 1e-6);
  return 1 / (1 + Math.exp(Math.log(r / SUSTAINED_SHARE_CENTRE) / SUSTAINED_SHARE_WIDTH));
}
