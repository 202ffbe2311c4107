// Owned by the tonal module. Placeholder.
import type { Pitch } from '@samplemind/contract';
import type { AnalysisContext } from '../context';

export function analysePitch(_ctx: AnalysisContext): Pitch {
  return { midiNote: null, cents: null, frequencyHz: null, confidence: 0 };
}
