// Owned by the tonal module. Placeholder.
import type { Key } from '@samplemind/contract';
import type { AnalysisContext } from '../context';

export function analyseKey(_ctx: AnalysisContext): Key {
  return { tonic: null, scale: null, camelot: null, confidence: 0 };
}
