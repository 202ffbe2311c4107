/**
 * File-level spectral shape: per-frame descriptors (descriptor-frames.ts) averaged over the
 * non-silent frames, each frame weighted by its energy, so that the audible body of a sound sets
 * the figure and its faint tail or leading silence does not.
 */
import type { Spectral } from '@samplemind/contract';
import type { AnalysisContext } from '../context';
import { spectralFrames, weightedMean } from './descriptor-frames';

export function analyseSpectral(ctx: AnalysisContext): Spectral {
  const sf = spectralFrames(ctx);
  const { energy, active } = sf;
  return {
    centroidHz: weightedMean(sf.centroidHz, energy, active),
    rolloffHz: weightedMean(sf.rolloffHz, energy, active),
    flatness: Math.min(1, Math.max(0, weightedMean(sf.flatness, energy, active))),
    bandwidthHz: weightedMean(sf.bandwidthHz, energy, active),
    zeroCrossingRate: weightedMean(sf.zcr, energy, active),
  };
}
