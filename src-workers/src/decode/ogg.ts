import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import CodecParser, { type OggPage } from 'codec-parser';
import { AnalysisFailure } from '../errors';
import { ClaimsBuilder } from './claims-builder';
import { flacDecoders, parseStreamInfo, rescale } from './flac';
import type { AudioSource, SourceInfo } from './types';
import { addVorbisCommentClaims } from './vorbis-comment';
import { createDecoderPool, type DecoderPool, type WasmDecoder } from './wasm-pool';
import { decoderFailure, drain, FEED_BYTES, quietly, split } from './wasm-util';

type Page = {
  at: number;
  headerType: number;
  granule: number | null;
  serial: number;
  segments: Uint8Array;
  body: number;
  end: number;
};

/** One Ogg page at `at`, or null when the bytes there are not a complete page. */
function readPage(b: Uint8Array, at: number): Page | null {
  if (at + 27 > b.length || b[at] !== 0x4f || b[at + 1] !== 0x67 || b[at + 2] !== 0x67 || b[at + 3] !== 0x53)
    return null;
  if (b[at + 4] !== 0) return null;
  const count = b[at + 26];
  if (at + 27 + count > b.length) return null;
  const segments = b.subarray(at + 27, at + 27 + count);
  let size = 0;
  for (const s of segments) size += s;
  const body = at + 27 + count;
  if (body + size > b.length) return null;
  const u32 = (o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
  const lo = u32(at + 6);
  const hi = u32(at + 10);
  const granule = lo === 0xffffffff && hi === 0xffffffff ? null : hi * 2 ** 32 + lo;
  return { at, headerType: b[at + 5], granule, serial: u32(at + 14), segments, body, end: body + size };
}

const MAX_HEADER_PACKET = 1 << 20;
const MAX_CHANNELS = 32;

/** The first `wanted` packets of the first logical stream (header packets; large ones are cut at 1 MB). */
function headerPackets(b: Uint8Array, wanted: number): { packets: Uint8Array[]; serial: number } {
  const first = readPage(b, 0);
  if (!first) throw new AnalysisFailure('corrupt', 'the Ogg file is damaged: its first page is incomplete');
  const packets: Uint8Array[] = [];
  let parts: Uint8Array[] = [];
  let partBytes = 0;
  for (let page: Page | null = first; page && packets.length < wanted; page = readPage(b, page.end)) {
    if (page.serial !== first.serial) continue;
    let p = page.body;
    for (const len of page.segments) {
      if (partBytes < MAX_HEADER_PACKET) {
        parts.push(b.subarray(p, p + len));
        partBytes += len;
      }
      p += len;
      if (len < 255) {
        packets.push(concat(parts, partBytes));
        parts = [];
        partBytes = 0;
        if (packets.length === wanted) break;
      }
    }
  }
  return { packets, serial: first.serial };
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(Math.min(total, MAX_HEADER_PACKET));
  let n = 0;
  for (const p of parts) {
    const take = Math.min(p.length, out.length - n);
    out.set(p.subarray(0, take), n);
    n += take;
  }
  return out;
}

/** The last complete page of the stream: its granule position is the stream's length in samples. */
function lastPage(b: Uint8Array, serial: number): Page | null {
  const floor = Math.max(0, b.length - 256 * 1024);
  for (let at = b.length - 27; at >= floor; at--) {
    if (b[at] !== 0x4f || b[at + 1] !== 0x67) continue;
    const page = readPage(b, at);
    if (page && page.serial === serial) return page;
  }
  return null;
}

const startsWith = (p: Uint8Array | undefined, bytes: number[]) => !!p && bytes.every((x, i) => p[i] === x);
const VORBIS = [0x76, 0x6f, 0x72, 0x62, 0x69, 0x73]; // "vorbis"

export function openOgg(b: Uint8Array): AudioSource {
  const { packets, serial } = headerPackets(b, 2);
  const id = packets[0];
  if (startsWith(id, [0x01, ...VORBIS])) return openVorbis(b, packets, serial);
  if (startsWith(id, [0x7f, 0x46, 0x4c, 0x41, 0x43])) return openOggFlac(b, packets, serial);
  const text = id ? String.fromCharCode(...id.subarray(0, 8)) : '';
  if (text.startsWith('OpusHead'))
    throw unsupported('this is Ogg Opus audio, which SampleMind does not decode yet');
  if (text.startsWith('Speex'))
    throw unsupported('this is Ogg Speex audio, which SampleMind does not decode');
  if (text.slice(1, 7) === 'theora') throw unsupported('this is an Ogg Theora video, not audio');
  throw unsupported('this Ogg file holds a stream SampleMind does not know (not Vorbis or FLAC)');
}

type VorbisInternals = {
  _decoder: {
    _decoder: number;
    _outputBufferPtr: { buf: Uint32Array };
    _common: { wasm: { destroy_decoder(ptr: number): void }; free(): void };
  };
};

/**
 * The Vorbis wrapper's teardown for a reused heap: its C destroy function frees the PCM pointer
 * array that vorbis_dsp_clear has freed already; clearing the cell it reads that pointer from makes
 * the second free a no-op (see wasm-pool.ts).
 */
function teardownVorbis(decoder: OggVorbisDecoder): void {
  const d = (decoder as unknown as VorbisInternals)._decoder;
  d._outputBufferPtr.buf[0] = 0;
  d._common.wasm.destroy_decoder(d._decoder);
  d._common.free();
}

export const vorbisDecoders = createDecoderPool(() => new OggVorbisDecoder(), { teardown: teardownVorbis });

/** A ready decoder from a pool; a failed instantiation becomes a typed error. */
async function acquire<D extends WasmDecoder>(pool: DecoderPool<D>): Promise<D> {
  try {
    return await pool.acquire();
  } catch (err) {
    throw decoderFailure('audio', err);
  }
}

const unsupported = (m: string) => new AnalysisFailure('unsupported-format', m);

function streamEnd(b: Uint8Array, serial: number): { declared: number | null; ended: boolean } {
  const page = lastPage(b, serial);
  return { declared: page?.granule ?? null, ended: page !== null && (page.headerType & 4) !== 0 };
}

function openVorbis(b: Uint8Array, packets: Uint8Array[], serial: number): AudioSource {
  const id = packets[0];
  if (id.length < 30) throw new AnalysisFailure('corrupt', 'the Vorbis identification header is cut short');
  const channels = id[11];
  const sampleRate = (id[12] | (id[13] << 8) | (id[14] << 16) | (id[15] << 24)) >>> 0;
  if (channels === 0 || sampleRate < 1000 || sampleRate > 1_000_000) {
    throw new AnalysisFailure(
      'corrupt',
      `the Vorbis header is damaged (${channels} channels, ${sampleRate} Hz)`,
    );
  }
  if (channels > MAX_CHANNELS) {
    throw new AnalysisFailure(
      'unsupported-format',
      `this Vorbis stream has ${channels} channels; SampleMind decodes up to ${MAX_CHANNELS}`,
    );
  }
  const claims = new ClaimsBuilder();
  if (startsWith(packets[1], [0x03, ...VORBIS])) addVorbisCommentClaims(packets[1].subarray(7), claims);
  const end = streamEnd(b, serial);
  const info: SourceInfo = {
    container: 'ogg',
    codec: 'vorbis',
    sampleRate,
    channels,
    bitDepth: null,
    declaredFrames: end.declared,
  };
  return oggSource(b, info, claims, end.ended, async () => {
    const decoder = await acquire(vorbisDecoders);
    const parser = new CodecParser<OggPage>('audio/ogg', { enableFrameCRC32: false });
    return {
      decode: (pages: OggPage[]) => decoder.decodeOggPages(pages),
      parse: (piece: Uint8Array) => drain(parser.parseChunk(piece)),
      flush: () => [...drain(parser.flush())],
      release: (clean: boolean) => vorbisDecoders.release(decoder, clean),
    };
  });
}

function openOggFlac(b: Uint8Array, packets: Uint8Array[], serial: number): AudioSource {
  const id = packets[0];
  if (id.length < 13 + 4 + 34) throw new AnalysisFailure('corrupt', 'the Ogg FLAC header is cut short');
  const si = parseStreamInfo(id.subarray(17));
  if (si.sampleRate < 1000) throw new AnalysisFailure('corrupt', 'the Ogg FLAC STREAMINFO is damaged');
  const claims = new ClaimsBuilder();
  const comment = packets[1];
  if (comment && (comment[0] & 0x7f) === 4) addVorbisCommentClaims(comment.subarray(4), claims);
  const end = streamEnd(b, serial);
  const info: SourceInfo = {
    container: 'ogg',
    codec: 'flac',
    sampleRate: si.sampleRate,
    channels: si.channels,
    bitDepth: si.bitsPerSample,
    declaredFrames: end.declared,
  };
  return oggSource(b, info, claims, end.ended, async () => {
    const decoder = await acquire(flacDecoders);
    // The FLAC package parses Ogg itself; pieces go straight in.
    return {
      decode: (pieces: Uint8Array[]) => (pieces.length ? decoder.decode(pieces[0]) : decoder.flush()),
      parse: (piece: Uint8Array) => [piece],
      flush: () => [] as Uint8Array[],
      release: (clean: boolean) => flacDecoders.release(decoder, clean),
    };
  });
}

type Decoded = { channelData: Float32Array[]; samplesDecoded: number; errors: unknown[] };
type OggDecoder<T> = {
  decode(items: T[]): Promise<Decoded>;
  parse(piece: Uint8Array): T[];
  flush(): T[];
  /** Back to its pool; reused only when `clean` (the whole stream decoded without errors). */
  release(clean: boolean): void;
};

function oggSource<T>(
  b: Uint8Array,
  info: SourceInfo,
  claims: ClaimsBuilder,
  ended: boolean,
  create: () => Promise<OggDecoder<T>>,
): AudioSource {
  let decoded = 0;
  let finished = false;
  const what = info.codec === 'flac' ? 'Ogg FLAC' : 'Ogg Vorbis';
  return {
    info,
    claimed: claims.claims,
    warnings: [],
    get isTruncated() {
      // A complete stream ends on a page flagged end-of-stream; a cut file does not.
      return finished && !ended;
    },
    async *chunks() {
      decoded = 0;
      let decoder: OggDecoder<T> | null = null;
      let clean = false;
      let errors = 0;
      try {
        decoder = await create();
        const d = decoder;
        const run = async (items: T[], flushing: boolean) => {
          try {
            if (items.length === 0 && !flushing) return null;
            return await quietly(() => d.decode(items));
          } catch (err) {
            throw decoderFailure(what, err);
          }
        };
        for (let at = 0; at < b.length; at += FEED_BYTES) {
          const last = at + FEED_BYTES >= b.length;
          let items: T[];
          try {
            items = d.parse(b.subarray(at, at + FEED_BYTES));
            if (last) items.push(...d.flush());
          } catch (err) {
            throw decoderFailure(what, err);
          }
          const outs = [await run(items, false)];
          if (last && info.codec === 'flac') outs.push(await run([], true));
          for (const out of outs) {
            if (!out) continue;
            errors += out.errors.length;
            if (out.samplesDecoded === 0) continue;
            if (out.channelData.length !== info.channels) {
              throw new AnalysisFailure('corrupt', `the ${what} stream changes channel count mid-stream`);
            }
            decoded += out.samplesDecoded;
            if (info.codec === 'flac') rescale(out.channelData, info.bitDepth ?? 0);
            yield* split(out.channelData, out.samplesDecoded);
          }
        }
        finished = true;
        clean = errors === 0 && ended && decoded > 0;
        if (decoded === 0) throw new AnalysisFailure('corrupt', `the ${what} file holds no decodable audio`);
      } finally {
        decoder?.release(clean);
      }
    },
  };
}
