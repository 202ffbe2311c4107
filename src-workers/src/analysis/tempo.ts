// Owned by the rhythm module. Placeholder.
import type { Tempo } from '@samplemind/contract';
import type { AnalysisContext } from '../context';

export function analyseTempo(_ctx: AnalysisContext): Tempo {
  return { bpm: null, confidence: 0, beats: null, bars: null, beatsPerBar: null, candidates: [] };
}
