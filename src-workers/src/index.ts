export { type AnalyseOptions, analyse, DEFAULT_LIMITS } from './analyse';
export { AnalysisFailure, toAnalysisError } from './errors';
