// Owned by the rhythm module. Placeholder.
import type { LoopDecision, Tempo } from '@samplemind/contract';
import type { AnalysisContext } from '../context';

export function detectLoop(ctx: AnalysisContext, _tempo: Tempo): LoopDecision {
  return { isLoop: ctx.durationSec > 2, confidence: 0 };
}
