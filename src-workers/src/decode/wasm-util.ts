import { AnalysisFailure } from '../errors';
import { CHUNK_FRAMES } from './pcm';

/** Splits decoder output into chunks of at most CHUNK_FRAMES frames (views, no copies). */
export function* split(channels: Float32Array[], frames: number): Generator<Float32Array[]> {
  for (let at = 0; at < frames; at += CHUNK_FRAMES) {
    const end = Math.min(frames, at + CHUNK_FRAMES);
    yield channels.map((c) => c.subarray(at, end));
  }
}

/**
 * Runs a synchronous decoder call with console.error/warn silenced: the wasm decoders log every
 * damaged frame, which would flood a batch run. Their errors still come back in the result.
 */
export function quietly<T>(fn: () => T): T {
  const { error, warn } = console;
  console.error = () => {};
  console.warn = () => {};
  try {
    return fn();
  } finally {
    console.error = error;
    console.warn = warn;
  }
}

/** A failure thrown by a third-party decoder on bad input becomes a typed one. */
export function decoderFailure(what: string, err: unknown): AnalysisFailure {
  if (err instanceof AnalysisFailure) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new AnalysisFailure(
    'corrupt',
    `the ${what} data is damaged and could not be decoded (${detail.slice(0, 200)})`,
  );
}

/** Bytes fed to a streaming decoder per call: small enough to keep memory flat. */
export const FEED_BYTES = 64 * 1024;

/** codec-parser's generators are typed as bare Iterators. */
export function drain<T>(it: Iterator<T>): T[] {
  const out: T[] = [];
  for (let r = it.next(); !r.done; r = it.next()) out.push(r.value);
  return out;
}
