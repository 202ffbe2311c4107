/** Test support shared by every module's tests: deterministic signals, file encoders, measurements. */
export * from './aiff-writer';
export * from './bytes-writer';
export * from './fixtures';
export * from './flac-writer';
export * from './id3-writer';
export * from './lossy-writer';
export * from './measure';
export * from './synth';
export * from './wav-writer';
