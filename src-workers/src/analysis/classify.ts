// Owned by the timbre module. Placeholder.
import type { TypeCall } from '@samplemind/contract';
import type { AnalysisContext } from '../context';
import type { Measured } from './measured';

export function classifyType(_ctx: AnalysisContext, m: Measured): TypeCall {
  const label = m.loop.isLoop ? 'music-loop' : 'fx';
  return { label, confidence: 0, method: 'placeholder', scores: [{ label, score: 0 }] };
}
