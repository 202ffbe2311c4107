import type { AudioFormat, ClaimedMetadata } from '@samplemind/contract';

export type SourceInfo = Pick<AudioFormat, 'container' | 'codec' | 'sampleRate' | 'channels' | 'bitDepth'> & {
  /**
   * Frames the header promises; null when the container does not say (e.g. MP3 without a Xing
   * header). For PCM containers it is capped by what the file can hold, so a header that claims
   * gigabytes in a truncated file never sizes an allocation.
   */
  declaredFrames: number | null;
};

/**
 * An opened file: its format, what its own metadata claims, and its audio as a stream of
 * planar float chunks (one Float32Array per channel, values in [-1, 1] nominal; float files may
 * exceed it). Chunks are bounded (~64k frames) so long files never sit decoded in memory whole.
 */
export type AudioSource = {
  info: SourceInfo;
  /** Claims from embedded metadata (acid, smpl, LIST/INFO, ID3, Vorbis comments). */
  claimed: Partial<ClaimedMetadata>;
  chunks(): AsyncGenerator<Float32Array[], void, undefined>;
  /**
   * True when fewer frames than declared were present. Final once chunks() is exhausted; PCM
   * containers know it from the start (the data chunk overruns the file).
   */
  readonly isTruncated: boolean;
  /** Recoverable problems met while opening or decoding (e.g. a damaged FLAC STREAMINFO). */
  readonly warnings?: string[];
};
