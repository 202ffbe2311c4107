import { computeSpectrogram, type Spectrogram } from './dsp/stft';
import { AnalysisFailure } from './errors';

/** Rate the DSP runs at after down-mix and resampling. */
export const ANALYSIS_RATE = 22050;

/**
 * Spectrograms cover at most this much of the file: tempo, key and timbre are settled well within
 * it, and it bounds memory for very long files (a 10-minute file would need ~100 MB per STFT).
 */
export const MAX_SPECTROGRAM_SEC = 180;

/**
 * What every analysis module receives. Intermediate results (spectrograms, onset envelopes) are
 * memoised here so that modules share them instead of recomputing.
 */
export type AnalysisContext = {
  /** Mono signal at `sampleRate` (down-mixed, resampled). */
  readonly mono: Float32Array;
  readonly sampleRate: number;
  /** Duration of the whole file; `mono` may be shorter for very long files (see analyse.ts). */
  readonly durationSec: number;
  /** Memoised magnitude spectrogram (Hann window, frame f starts at f*hop), of the first MAX_SPECTROGRAM_SEC. */
  spectrogram(size: number, hop: number): Spectrogram;
  /** Memoise any derived value under a key. */
  memo<T>(key: string, compute: () => T): T;
  /** Throws AnalysisFailure('aborted' | 'timeout') when the caller gave up; call inside long loops. */
  checkpoint(): void;
};

export type ContextOptions = {
  durationSec?: number;
  signal?: AbortSignal;
  deadline?: number; // performance.now() value after which to stop
};

export function createContext(
  mono: Float32Array,
  sampleRate: number,
  options: ContextOptions = {},
): AnalysisContext {
  const cache = new Map<string, unknown>();
  const checkpoint = () => {
    if (options.signal?.aborted) throw new AnalysisFailure('aborted', 'analysis was cancelled');
    if (options.deadline !== undefined && performance.now() > options.deadline) {
      throw new AnalysisFailure('timeout', 'analysis took longer than the per-file time limit');
    }
  };
  const memo = <T>(key: string, compute: () => T): T => {
    if (!cache.has(key)) cache.set(key, compute());
    return cache.get(key) as T;
  };
  return {
    mono,
    sampleRate,
    durationSec: options.durationSec ?? mono.length / sampleRate,
    spectrogram: (size, hop) =>
      memo(`stft:${size}:${hop}`, () =>
        computeSpectrogram(
          mono.subarray(0, MAX_SPECTROGRAM_SEC * sampleRate),
          sampleRate,
          size,
          hop,
          checkpoint,
        ),
      ),
    memo,
    checkpoint,
  };
}
