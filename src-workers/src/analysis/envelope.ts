/**
 * Temporal envelope of a sound from the RMS envelopes of descriptor-envelope.ts. Every time is
 * measured from the onset, so leading silence changes nothing:
 * - onset: first 5 ms window within 20 dB of the envelope's maximum;
 * - attack: onset to the first window within 1 dB of the maximum (the maximum itself can sit
 *   anywhere in a flat sustain; "reached the top" is what attack means);
 * - decay: from there until the 20 ms envelope falls 20 dB below its maximum and stays below
 *   for 10 ms (the 5 ms one dips on every trough of a bass note);
 * - effective length: onset to the last point where the 20 ms envelope is within 40 dB of its
 *   maximum;
 * - temporal centroid: amplitude-weighted mean time from the onset to that end.
 */
import type { Envelope } from '@samplemind/contract';
import type { AnalysisContext } from '../context';
import { rmsEnvelope } from './descriptor-envelope';

const ONSET = 10 ** (-20 / 20);
const TOP = 10 ** (-1 / 20);
const DECAY = 10 ** (-20 / 20);
const AUDIBLE = 10 ** (-40 / 20);
const DECAY_HOLD_SEC = 0.01;

export function analyseEnvelope(ctx: AnalysisContext): Envelope {
  const { values, peak, hopSec, smooth, smoothPeak } = rmsEnvelope(ctx);
  const n = values.length;
  if (peak <= 0 || n === 0)
    return { attackSec: 0, decaySec: 0, effectiveLengthSec: 0, temporalCentroidSec: 0 };

  let onset = 0;
  while (onset < n - 1 && values[onset] < ONSET * peak) onset++;
  let top = onset;
  while (top < n - 1 && values[top] < TOP * peak) top++;
  let end = n - 1;
  while (end > onset && smooth[end] < AUDIBLE * smoothPeak) end--;

  const hold = Math.max(1, Math.round(DECAY_HOLD_SEC / hopSec));
  let decayEnd = end;
  let below = 0;
  for (let j = top + 1; j <= end; j++) {
    if (smooth[j] < DECAY * smoothPeak) {
      if (++below >= hold) {
        decayEnd = j - hold + 1;
        break;
      }
    } else below = 0;
  }

  let num = 0;
  let den = 0;
  for (let j = onset; j <= end; j++) {
    num += (j - onset) * values[j];
    den += values[j];
  }
  return {
    attackSec: (top - onset) * hopSec,
    decaySec: Math.max(0, decayEnd - top) * hopSec,
    effectiveLengthSec: (end - onset + 1) * hopSec,
    temporalCentroidSec: den > 0 ? (num / den) * hopSec : 0,
  };
}
