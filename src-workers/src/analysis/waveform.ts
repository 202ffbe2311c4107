// Owned by the timbre module. Placeholder.
import type { Waveform } from '@samplemind/contract';
import type { AnalysisContext } from '../context';

export function waveformPeaks(_ctx: AnalysisContext, _pairs = 1000): Waveform {
  return { length: 0, peaks: '' };
}
