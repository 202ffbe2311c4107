import { MPEGDecoder } from 'mpg123-decoder';
import { AnalysisFailure } from '../errors';
import { cleanText, latin1 } from './bytes';
import { ClaimsBuilder } from './claims-builder';
import { addId3Claims } from './id3';
import { scanMpegStream } from './mpeg-header';
import type { AudioSource, SourceInfo } from './types';
import { createDecoderPool } from './wasm-pool';
import { decoderFailure, FEED_BYTES, quietly, split } from './wasm-util';

type MpegInternals = {
  _decoder: number;
  _common: { wasm: { mpeg_frame_decoder_destroy(ptr: number): void }; free(): void };
};

/**
 * mpg123-decoder's free() calls the C destroy function, which frees the decoder struct, then frees
 * the struct again: on a reused heap that corrupts the allocator. The same teardown without the
 * second free (see wasm-pool.ts).
 */
function teardownMpeg(decoder: MPEGDecoder): void {
  const d = decoder as unknown as MpegInternals;
  d._common.wasm.mpeg_frame_decoder_destroy(d._decoder);
  d._common.free();
}

export const mpegDecoders = createDecoderPool(() => new MPEGDecoder(), { teardown: teardownMpeg });

/** MPEG audio from `start` (MP3, also MP2/MP1); `container` is 'wav' for MP3 inside a WAV data chunk. */
export function openMpeg(
  b: Uint8Array,
  start: number,
  options: { id3?: Uint8Array[]; container?: SourceInfo['container']; claims?: ClaimsBuilder } = {},
): AudioSource {
  const scan = scanMpegStream(b, start);
  if (!scan || (scan.countedFrames === 0 && !scan.cutMidFrame)) {
    throw new AnalysisFailure('corrupt', 'the MP3 data holds no complete audio frame');
  }
  const claims = options.claims ?? new ClaimsBuilder();
  for (const tag of options.id3 ?? []) addId3Claims(tag, claims);
  addId3v1Claims(b, claims);

  const { first } = scan;
  // With a Xing/Info header the decoder trims the encoder delay and padding (gapless), so the
  // promise is the encoder's input length; without one, every frame comes out whole.
  const declaredFrames =
    scan.declaredFrames !== null
      ? Math.max(0, scan.declaredFrames * first.samplesPerFrame - scan.encoderDelay - scan.encoderPadding)
      : scan.countedFrames * first.samplesPerFrame;
  const info: SourceInfo = {
    container: options.container ?? 'mp3',
    codec: first.layer === 3 ? 'mp3' : `mp${first.layer}`,
    sampleRate: first.sampleRate,
    channels: first.channels,
    bitDepth: null,
    declaredFrames,
  };
  const stream = b.subarray(start);
  let decoded = 0;
  let finished = false;
  return {
    info,
    claimed: claims.claims,
    warnings: [],
    get isTruncated() {
      if (!finished) return false;
      const short = scan.declaredFrames !== null && decoded + first.samplesPerFrame < declaredFrames;
      return scan.cutMidFrame || short;
    },
    async *chunks() {
      decoded = 0;
      const decoder = await mpegDecoders.acquire();
      // Reused only after a whole, error-free stream (not when abandoned mid-file or failing).
      let clean = false;
      let errors = 0;
      try {
        for (let at = 0; at < stream.length; at += FEED_BYTES) {
          const piece = stream.subarray(at, at + FEED_BYTES);
          let out: ReturnType<MPEGDecoder['decode']>;
          try {
            out = quietly(() => decoder.decode(piece));
          } catch (err) {
            throw decoderFailure('MP3', err);
          }
          errors += out.errors.length;
          if (out.samplesDecoded === 0) continue;
          // mpg123 always hands out two channels; a mono stream is the first one twice.
          const channels = first.channels === 1 ? [out.channelData[0]] : out.channelData.slice(0, 2);
          decoded += out.samplesDecoded;
          yield* split(channels, out.samplesDecoded);
        }
        finished = true;
        clean = errors === 0 && !scan.cutMidFrame && decoded > 0;
        if (decoded === 0)
          throw new AnalysisFailure('corrupt', 'the MP3 data could not be decoded (no valid audio frames)');
      } finally {
        mpegDecoders.release(decoder, clean);
      }
    },
  };
}

/** ID3v1: the last 128 bytes, "TAG" + fixed-width Latin-1 fields. Only a fallback for ID3v2. */
function addId3v1Claims(b: Uint8Array, claims: ClaimsBuilder): void {
  if (b.length < 128) return;
  const t = b.subarray(b.length - 128);
  if (t[0] !== 0x54 || t[1] !== 0x41 || t[2] !== 0x47) return;
  const field = (from: number, to: number) => cleanText(latin1(t.subarray(from, to)));
  claims.text('title', field(3, 33), 'id3v1');
  claims.text('artist', field(33, 63), 'id3v1');
  claims.text('comment', field(97, t[125] === 0 && t[126] !== 0 ? 125 : 127), 'id3v1');
}
