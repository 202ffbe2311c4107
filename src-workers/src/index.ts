export { type AnalyseOptions, analyse, DEFAULT_LIMITS } from './analyse';
export { decodeBase64, decodeWaveformPeaks, encodeBase64 } from './analysis/waveform';
export { AnalysisFailure, toAnalysisError } from './errors';
