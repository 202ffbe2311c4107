// Owned by the timbre module. Placeholder.
import type { Envelope } from '@samplemind/contract';
import type { AnalysisContext } from '../context';

export function analyseEnvelope(_ctx: AnalysisContext): Envelope {
  return { attackSec: 0, decaySec: 0, effectiveLengthSec: 0, temporalCentroidSec: 0 };
}
