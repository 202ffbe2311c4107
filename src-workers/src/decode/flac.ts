import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { AnalysisFailure } from '../errors';
import { ClaimsBuilder } from './claims-builder';
import { type FlacFrameScan, flacFrames } from './flac-frames';
import { addId3Claims } from './id3';
import type { AudioSource, SourceInfo } from './types';
import { addVorbisCommentClaims } from './vorbis-comment';
import { createDecoderPool } from './wasm-pool';
import { decoderFailure, FEED_BYTES, quietly, split } from './wasm-util';

/** Shared with Ogg FLAC: a reset decoder sniffs native vs Ogg framing again. */
export const flacDecoders = createDecoderPool(() => new FLACDecoder());

export type StreamInfo = {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  totalSamples: number;
};

/** STREAMINFO body (34 bytes): block sizes, frame sizes, then 20-bit rate, 3-bit channels-1, 5-bit bps-1, 36-bit total. */
export function parseStreamInfo(s: Uint8Array): StreamInfo & { minBlock: number; maxBlock: number } {
  const minBlock = (s[0] << 8) | s[1];
  const maxBlock = (s[2] << 8) | s[3];
  const sampleRate = (s[10] << 12) | (s[11] << 4) | (s[12] >> 4);
  const channels = ((s[12] >> 1) & 7) + 1;
  const bitsPerSample = (((s[12] & 1) << 4) | (s[13] >> 4)) + 1;
  const totalSamples =
    (s[13] & 0x0f) * 2 ** 32 + (((s[14] << 24) | (s[15] << 16) | (s[16] << 8) | s[17]) >>> 0);
  return { minBlock, maxBlock, sampleRate, channels, bitsPerSample, totalSamples };
}

const FRAME_RATES = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000];
const FRAME_BITS = [0, 8, 12, 0, 16, 20, 24, 32];

/** Rate, channels and bit depth from the first frame header, when it spells them out itself. */
function fromFrameHeader(b: Uint8Array, at: number): Omit<StreamInfo, 'totalSamples'> | null {
  for (let p = at; p + 4 <= b.length && p < at + 65536; p++) {
    if (b[p] !== 0xff || (b[p + 1] & 0xfe) !== 0xf8) continue;
    const sampleRate = FRAME_RATES[b[p + 2] & 0x0f] ?? 0;
    const assignment = b[p + 3] >> 4;
    const bitsPerSample = FRAME_BITS[(b[p + 3] >> 1) & 7];
    if (!sampleRate || !bitsPerSample || assignment > 10) return null;
    return { sampleRate, channels: assignment < 8 ? assignment + 1 : 2, bitsPerSample };
  }
  return null;
}

const validStreamInfo = (si: ReturnType<typeof parseStreamInfo>) =>
  si.sampleRate >= 1000 &&
  si.sampleRate <= 655350 &&
  si.minBlock >= 16 &&
  si.maxBlock >= si.minBlock &&
  si.bitsPerSample >= 4;

/** Native FLAC ("fLaC" at `start`, after any ID3v2 tags). */
export async function openFlac(b: Uint8Array, start: number, id3: Uint8Array[]): Promise<AudioSource> {
  const claims = new ClaimsBuilder();
  const warnings: string[] = [];
  let p = start + 4;
  let streamInfo: ReturnType<typeof parseStreamInfo> | null = null;
  for (let last = false; !last; ) {
    if (p + 4 > b.length)
      throw new AnalysisFailure('corrupt', 'the FLAC file is cut off inside its metadata');
    last = (b[p] & 0x80) !== 0;
    const type = b[p] & 0x7f;
    const length = (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
    const body = b.subarray(p + 4, Math.min(b.length, p + 4 + length));
    if (type === 0 && streamInfo === null) {
      if (body.length < 34) throw new AnalysisFailure('corrupt', 'the FLAC STREAMINFO block is cut short');
      streamInfo = parseStreamInfo(body);
    } else if (type === 4) {
      addVorbisCommentClaims(body, claims);
    } else if (type === 127) {
      throw new AnalysisFailure('corrupt', 'the FLAC metadata is damaged (invalid block type)');
    }
    p += 4 + length;
  }
  for (const tag of id3) addId3Claims(tag, claims);
  if (!streamInfo) throw new AnalysisFailure('corrupt', 'the FLAC file has no STREAMINFO block');
  const audioStart = p;
  if (audioStart >= b.length) {
    if (streamInfo.totalSamples > 0) {
      throw new AnalysisFailure('corrupt', 'the FLAC file is cut off before its first audio frame');
    }
    throw new AnalysisFailure('empty', 'the FLAC file holds no audio frames');
  }

  let format: Omit<StreamInfo, 'totalSamples'> = streamInfo;
  let declared: number | null = streamInfo.totalSamples || null;
  if (!validStreamInfo(streamInfo)) {
    const fromFrame = fromFrameHeader(b, audioStart);
    if (!fromFrame) {
      throw new AnalysisFailure(
        'corrupt',
        `the FLAC STREAMINFO block is damaged (sample rate ${streamInfo.sampleRate} Hz)`,
      );
    }
    format = fromFrame;
    declared = null;
    warnings.push('the FLAC STREAMINFO block is damaged; decoded using the frame headers');
  }

  if (![8, 16, 24, 32].includes(format.bitsPerSample)) {
    // The wasm decoder only scales these widths; others would come out as ±Infinity.
    throw new AnalysisFailure(
      'unsupported-format',
      `this FLAC file has ${format.bitsPerSample}-bit samples; SampleMind decodes 8, 16, 24 and 32-bit FLAC`,
    );
  }
  const info: SourceInfo = {
    container: 'flac',
    codec: 'flac',
    sampleRate: format.sampleRate,
    channels: format.channels,
    bitDepth: format.bitsPerSample,
    declaredFrames: declared,
  };
  return flacFrameSource(b.subarray(audioStart), info, claims.claims, warnings);
}

/** Decodes FLAC frames (anything before the first frame sync is skipped). */
function flacFrameSource(
  audio: Uint8Array,
  info: SourceInfo,
  claimed: AudioSource['claimed'],
  warnings: string[],
): AudioSource {
  let decodedFrames = 0;
  let finished = false;
  let cut = false;
  return {
    info,
    claimed,
    warnings,
    get isTruncated() {
      return finished && (cut || (info.declaredFrames !== null && decodedFrames < info.declaredFrames));
    },
    async *chunks() {
      decodedFrames = 0;
      finished = false;
      const decoder = await flacDecoders.acquire();
      // Reused only after a whole, error-free stream (not when abandoned mid-file or failing).
      let clean = false;
      try {
        const scan: FlacFrameScan = { cut: false, damaged: 0 };
        let errors = 0;
        let batch: Uint8Array[] = [];
        let batchBytes = 0;
        const decodeBatch = async () => {
          let out: Awaited<ReturnType<FLACDecoder['decodeFrames']>>;
          try {
            // The decoder's work is synchronous inside the call; quietly() mutes its console logging.
            out = await quietly(() => decoder.decodeFrames(batch));
          } catch (err) {
            throw decoderFailure('FLAC', err);
          }
          batch = [];
          batchBytes = 0;
          if (out.errors.length > 0) errors++;
          return out;
        };
        const frames = flacFrames(audio, 0, scan);
        for (let r = frames.next(); ; r = frames.next()) {
          if (!r.done) {
            batch.push(r.value);
            batchBytes += r.value.length;
          }
          if (batch.length > 0 && (r.done || batchBytes >= FEED_BYTES)) {
            const out = await decodeBatch();
            if (out.samplesDecoded > 0) {
              if (out.channelData.length !== info.channels) {
                throw new AnalysisFailure('corrupt', 'the FLAC frames change channel count mid-stream');
              }
              decodedFrames += out.samplesDecoded;
              rescale(out.channelData, out.bitDepth);
              yield* split(out.channelData, out.samplesDecoded);
            }
          }
          if (r.done) break;
        }
        cut = scan.cut;
        finished = true;
        clean = errors === 0 && scan.damaged === 0 && !scan.cut && decodedFrames > 0;
        if (decodedFrames === 0)
          throw new AnalysisFailure('corrupt', 'the FLAC file holds no decodable audio frames');
      } finally {
        flacDecoders.release(decoder, clean);
      }
    },
  };
}

/**
 * The wasm decoder divides by 2^(bits-1) - 1; PCM convention (and every other decoder here,
 * ffmpeg included) divides by 2^(bits-1). Undo the difference so a FLAC and the WAV it came from
 * decode to identical samples.
 */
export function rescale(channels: Float32Array[], bitDepth: number): void {
  if (!(bitDepth >= 2 && bitDepth <= 32)) return;
  const full = 2 ** (bitDepth - 1);
  const k = (full - 1) / full;
  for (const ch of channels) for (let i = 0; i < ch.length; i++) ch[i] *= k;
}
