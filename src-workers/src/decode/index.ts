// Owned by the decode module. Placeholder signatures so the orchestrator compiles.
import { AnalysisFailure } from '../errors';
import type { AudioSource } from './types';

export type { AudioSource, SourceInfo } from './types';

export async function openAudio(_bytes: Uint8Array, _hint: { fileName?: string } = {}): Promise<AudioSource> {
  throw new AnalysisFailure('unsupported-format', 'decoder not implemented yet');
}

/** Streaming sample-rate converter for one mono channel. */
export class StreamResampler {
  constructor(
    readonly inRate: number,
    readonly outRate: number,
  ) {}
  push(input: Float32Array): Float32Array {
    return input;
  }
  flush(): Float32Array {
    return new Float32Array(0);
  }
}

/** Average of the channels (equal weights). */
export function downmix(channels: Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0];
  const out = new Float32Array(channels[0].length);
  for (const ch of channels) for (let i = 0; i < out.length; i++) out[i] += ch[i];
  for (let i = 0; i < out.length; i++) out[i] /= channels.length;
  return out;
}
