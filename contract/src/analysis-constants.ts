// Analysis constants without zod: the app's main thread imports these, and zod stays out of its bundle.

/**
 * Bumped whenever any analysis output can change for the same input bytes.
 * Stored results are keyed by (contentHash, ANALYSER_VERSION), so a bump re-analyses lazily.
 */
export const ANALYSER_VERSION = '1.0.0';

export const ONE_SHOT_TYPES = [
  'kick',
  'snare',
  'hihat',
  'cymbal',
  'tom',
  'clap',
  'percussion',
  'bass',
  'melodic',
  'vocal',
  'fx',
] as const;
export const LOOP_TYPES = ['drum-loop', 'music-loop'] as const;
export const SAMPLE_TYPES = [...ONE_SHOT_TYPES, ...LOOP_TYPES] as const;

export const ANALYSIS_ERROR_CODES = [
  'empty', // zero bytes or no audio frames
  'unreadable', // the file could not be read (moved, permission)
  'corrupt', // recognised container, damaged content
  'unsupported-format', // not audio, or an audio format/variant we do not decode
  'too-long', // over the duration or size limit
  'timeout', // over the per-file time limit
  'aborted', // cancelled by the caller
  'worker-crashed', // the worker running it died
  'internal', // a bug: never expected
] as const;
