// Owned by the timbre module. Placeholder.
import type { Spectral } from '@samplemind/contract';
import type { AnalysisContext } from '../context';

export function analyseSpectral(_ctx: AnalysisContext): Spectral {
  return { centroidHz: 0, rolloffHz: 0, flatness: 0, bandwidthHz: 0, zeroCrossingRate: 0 };
}
