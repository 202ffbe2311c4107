// Owned by the timbre module. Placeholder.
import { FEATURE_VECTOR_LENGTH } from '@samplemind/contract';
import type { AnalysisContext } from '../context';
import type { Measured } from './measured';

export function featureVector(_ctx: AnalysisContext, _m: Measured): number[] {
  return new Array(FEATURE_VECTOR_LENGTH).fill(0);
}
