/**
 * MP3 and Ogg Vorbis encoding for tests, through wasm-media-encoders (LAME and libvorbis in
 * WebAssembly, shipped inside the npm package: works offline). Ogg comments are spliced in by
 * re-paging the header packets, since the encoder writes an empty comment header.
 */
import { createMp3Encoder, createOggEncoder } from 'wasm-media-encoders';
import { concatBytes, utf8Bytes } from './bytes-writer';
import { vorbisCommentBlock } from './flac-writer';

type Mp3Bitrate = 8 | 16 | 24 | 32 | 40 | 48 | 64 | 80 | 96 | 112 | 128 | 160 | 192 | 224 | 256 | 320;
type Mp3Options = { vbrQuality?: number; bitrate?: Mp3Bitrate };

async function encode(
  encoder: { encode(ch: Float32Array[]): Uint8Array; finalize(): Uint8Array },
  channels: Float32Array[],
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const block = 8192;
  const frames = channels[0]?.length ?? 0;
  for (let at = 0; at < frames; at += block)
    parts.push(encoder.encode(channels.map((c) => c.subarray(at, at + block))).slice());
  parts.push(encoder.finalize().slice());
  return concatBytes(...parts);
}

/** MP3 (mono or stereo; LAME's sample rates 8-48 kHz). No Xing/LAME header: a plain frame stream. */
export async function encodeMp3(
  channels: Float32Array[],
  sampleRate: number,
  o: Mp3Options = {},
): Promise<Uint8Array> {
  const encoder = await createMp3Encoder();
  const count = channels.length as 1 | 2;
  if (o.bitrate) encoder.configure({ sampleRate, channels: count, bitrate: o.bitrate });
  else encoder.configure({ sampleRate, channels: count, vbrQuality: o.vbrQuality ?? 2 });
  return encode(encoder, channels);
}

/** Ogg Vorbis (1-2 channels here), optionally with Vorbis comments. */
export async function encodeOggVorbis(
  channels: Float32Array[],
  sampleRate: number,
  o: { quality?: number; comments?: Record<string, string> } = {},
): Promise<Uint8Array> {
  const encoder = await createOggEncoder();
  encoder.configure({ sampleRate, channels: channels.length as 1 | 2, vbrQuality: o.quality ?? 4 });
  const ogg = await encode(encoder, channels);
  return o.comments ? replaceVorbisComments(ogg, o.comments) : ogg;
}

// --- Ogg paging -------------------------------------------------------------------------------

const CRC_TABLE = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 24;
  for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
  CRC_TABLE[i] = c >>> 0;
}

export function oggCrc(page: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < page.length; i++) c = ((c << 8) ^ CRC_TABLE[((c >>> 24) ^ page[i]) & 0xff]) >>> 0;
  return c;
}

export type OggPageInfo = {
  headerType: number;
  granule: Uint8Array;
  serial: number;
  segments: number[];
  body: Uint8Array;
};

export function readOggPages(b: Uint8Array): OggPageInfo[] {
  const pages: OggPageInfo[] = [];
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = 0; at + 27 <= b.length; ) {
    const count = b[at + 26];
    const segments = Array.from(b.subarray(at + 27, at + 27 + count));
    const size = segments.reduce((x, y) => x + y, 0);
    const body = b.subarray(at + 27 + count, at + 27 + count + size);
    pages.push({
      headerType: b[at + 5],
      granule: b.slice(at + 6, at + 14),
      serial: view.getUint32(at + 14, true),
      segments,
      body,
    });
    at += 27 + count + size;
  }
  return pages;
}

/** Serialises pages with fresh sequence numbers and CRCs. */
export function writeOggPages(pages: OggPageInfo[]): Uint8Array {
  return concatBytes(
    ...pages.map((p, seq) => {
      const out = new Uint8Array(27 + p.segments.length + p.body.length);
      const view = new DataView(out.buffer);
      out.set(utf8Bytes('OggS'));
      out[5] = p.headerType;
      out.set(p.granule, 6);
      view.setUint32(14, p.serial, true);
      view.setUint32(18, seq, true);
      out[26] = p.segments.length;
      out.set(p.segments, 27);
      out.set(p.body, 27 + p.segments.length);
      view.setUint32(22, oggCrc(out), true);
      return out;
    }),
  );
}

/** Pages holding whole packets (granule 0: header pages). */
function pagePackets(packets: Uint8Array[], serial: number): OggPageInfo[] {
  const lacing: number[] = [];
  for (const p of packets) {
    for (let n = p.length; ; n -= 255) {
      lacing.push(Math.min(255, n));
      if (n < 255) break;
    }
  }
  const body = concatBytes(...packets);
  const pages: OggPageInfo[] = [];
  let at = 0;
  for (let i = 0; i < lacing.length; i += 255) {
    const segments = lacing.slice(i, i + 255);
    const size = segments.reduce((x, y) => x + y, 0);
    const continued = i > 0 && lacing[i - 1] === 255;
    pages.push({
      headerType: continued ? 1 : 0,
      granule: new Uint8Array(8),
      serial,
      segments,
      body: body.subarray(at, at + size),
    });
    at += size;
  }
  return pages;
}

/** Rebuilds a Vorbis stream with a new comment header; audio pages are kept as they are. */
export function replaceVorbisComments(ogg: Uint8Array, comments: Record<string, string>): Uint8Array {
  const pages = readOggPages(ogg);
  // Collect the three header packets and note the first page after them.
  const packets: Uint8Array[] = [];
  let parts: Uint8Array[] = [];
  let firstAudioPage = pages.length;
  for (let i = 0; i < pages.length && packets.length < 3; i++) {
    let at = 0;
    for (const len of pages[i].segments) {
      parts.push(pages[i].body.subarray(at, at + len));
      at += len;
      if (len < 255) {
        packets.push(concatBytes(...parts));
        parts = [];
      }
    }
    if (packets.length >= 3) firstAudioPage = i + 1;
  }
  const comment = concatBytes(
    new Uint8Array([3]),
    utf8Bytes('vorbis'),
    vorbisCommentBlock(comments),
    new Uint8Array([1]),
  );
  const serial = pages[0].serial;
  const head = { ...pages[0] };
  return writeOggPages([head, ...pagePackets([comment, packets[2]], serial), ...pages.slice(firstAudioPage)]);
}
