import type { AnalysisError, AnalysisErrorCode } from '@samplemind/contract';

/** The one error type the engine throws on purpose; anything else is a bug ('internal'). */
export class AnalysisFailure extends Error {
  readonly code: AnalysisErrorCode;
  constructor(code: AnalysisErrorCode, message: string) {
    super(message);
    this.name = 'AnalysisFailure';
    this.code = code;
  }
}

export function toAnalysisError(err: unknown): AnalysisError {
  if (err instanceof AnalysisFailure) return { code: err.code, message: err.message };
  const name = (err as { name?: string } | null)?.name;
  if (name === 'AbortError') return { code: 'aborted', message: 'analysis was cancelled' };
  const detail = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `unexpected analyser error: ${detail}` };
}
