import { ONE_SHOT_TYPES, type SampleType, type TypeCall } from '@samplemind/contract';
import type { AnalysisContext } from '../context';
import { classifyDescriptors } from './classify-descriptors';
import { loopPercussiveness } from './classify-loop';
import { FX_BASELINE, ONE_SHOT_PROTOTYPES } from './classify-prototypes';
import { derive, prototypePenalty } from './classify-terms';
import type { Measured } from './measured';

/**
 * Sample type classifier, method "descriptor-prototype-v2-singers-formant".
 *
 * No training data: a handful of perceptual descriptors in physical units (band energies,
 * attack/decay/sustain times, spectral centroid and flatness, periodicity and fundamental, pitch
 * glide, vibrato, noise bursts, re-attacks, amplitude wobble, the singer's formant of the harmonic
 * envelope; classify-descriptors.ts) are compared with
 * soft prototypes written from the acoustics of each instrument family
 * (classify-prototypes.ts). Each class's log-score is minus the summed, capped squared distance
 * of the descriptors from the ranges its prototype expects; fx is the open class and also wins
 * when no instrument prototype fits. A softmax turns the scores into the confidence.
 *
 * Loops (measured.loop.isLoop) are only split into drum-loop and music-loop, by how much of the
 * 100 Hz - 5 kHz energy is sustained tone rather than decaying hits and noise
 * (classify-loop.ts), combined with the key finder's confidence.
 */
export const CLASSIFY_METHOD = 'descriptor-prototype-v2-singers-formant';

/** Softmax temperature in penalty units: a 1-unit lead means ~73 % against one rival. */
const TEMPERATURE = 1;

export function classifyType(ctx: AnalysisContext, m: Measured): TypeCall {
  if (m.loop.isLoop) {
    // Two independent detectors of tonal content, combined as a noisy-OR: held tone in the mid
    // band (classify-loop.ts) and the key finder's confidence (a sparse bass or chord part under
    // loud drums can hold little energy yet still make the loop clearly tonal).
    const p = loopPercussiveness(ctx) * (1 - m.key.confidence);
    return call([
      ['drum-loop', Math.log(Math.max(p, 1e-6))],
      ['music-loop', Math.log(Math.max(1 - p, 1e-6))],
    ]);
  }
  const d = classifyDescriptors(ctx);
  if (d.silent || m.levels.isSilent) {
    return { label: 'fx', confidence: 0, method: CLASSIFY_METHOD, scores: [{ label: 'fx', score: 0 }] };
  }
  const dd = derive(d);
  const best = new Map<SampleType, number>();
  best.set('fx', FX_BASELINE);
  for (const p of ONE_SHOT_PROTOTYPES) {
    const s = -prototypePenalty(p, dd);
    if (s > (best.get(p.label) ?? Number.NEGATIVE_INFINITY)) best.set(p.label, s);
  }
  return call(ONE_SHOT_TYPES.map((t) => [t, best.get(t) ?? Number.NEGATIVE_INFINITY]));
}

function call(logScores: [SampleType, number][]): TypeCall {
  const top = Math.max(...logScores.map(([, s]) => s));
  const weights = logScores.map(([label, s]) => [label, Math.exp((s - top) / TEMPERATURE)] as const);
  const total = weights.reduce((a, [, w]) => a + w, 0);
  const scores = weights
    .map(([label, w]) => ({ label, score: Math.round((w / total) * 1000) / 1000 }))
    .sort((a, b) => b.score - a.score);
  return { label: scores[0].label, confidence: scores[0].score, method: CLASSIFY_METHOD, scores };
}
