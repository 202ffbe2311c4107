/**
 * A minimal FLAC encoder: VERBATIM subframes (no compression), every frame header field spelled
 * out, CRC-8 and CRC-16 computed. Lossless by construction, so a decode must give back exactly
 * the quantised input.
 */
import { crc8, crc16 } from '../decode/flac-frames';
import { ByteWriter, concatBytes, quantise, utf8Bytes } from './bytes-writer';

class BitWriter {
  private out = new ByteWriter();
  private acc = 0;
  private n = 0;

  /** Writes the low `bits` bits of `value` (bits ≤ 32; signed values as two's complement). */
  bits(value: number, bits: number): this {
    for (let i = bits - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >>> i) & 1);
      if (++this.n === 8) {
        this.out.u8(this.acc);
        this.acc = 0;
        this.n = 0;
      }
    }
    return this;
  }

  /** Pads with zero bits to a byte boundary. */
  align(): this {
    if (this.n > 0) this.bits(0, 8 - this.n);
    return this;
  }

  result(): Uint8Array {
    return this.align().out.result();
  }
}

const RATE_CODES: Record<number, number> = {
  88200: 1,
  176400: 2,
  192000: 3,
  8000: 4,
  16000: 5,
  22050: 6,
  24000: 7,
  32000: 8,
  44100: 9,
  48000: 10,
  96000: 11,
};
const SIZE_CODES: Record<number, number> = { 8: 1, 12: 2, 16: 4, 20: 5, 24: 6, 32: 7 };

/** FLAC's UTF-8-style coding of the frame number: k continuation bytes carry 6 bits each. */
function utf8Number(n: number): number[] {
  if (n < 0x80) return [n];
  for (let k = 1; k <= 6; k++) {
    if (n >= 2 ** (6 - k + 6 * k)) continue;
    const bytes: number[] = [];
    let rest = n;
    for (let i = 0; i < k; i++) {
      bytes.unshift(0x80 | (rest & 0x3f));
      rest = Math.floor(rest / 64);
    }
    bytes.unshift(((0xff << (7 - k)) & 0xff) | rest);
    return bytes;
  }
  throw new RangeError(`frame number ${n} is too large`);
}

export type FlacOptions = {
  bits?: 8 | 12 | 16 | 20 | 24 | 32;
  blockSize?: number;
  /** VORBIS_COMMENT entries, e.g. { BPM: '120', KEY: 'Am' }. */
  comments?: Record<string, string>;
  /** Overrides written into STREAMINFO (to build damaged files). */
  streamInfo?: Partial<{ sampleRate: number; channels: number; totalSamples: number }>;
  /** Write the sample rate as "see STREAMINFO" (code 0) in frame headers. */
  rateFromStreamInfo?: boolean;
};

export function encodeFlac(channels: Float32Array[], sampleRate: number, o: FlacOptions = {}): Uint8Array {
  const bits = o.bits ?? 16;
  const blockSize = o.blockSize ?? 4096;
  const count = channels.length;
  const total = channels[0]?.length ?? 0;

  const si = new BitWriter()
    .bits(blockSize, 16)
    .bits(blockSize, 16)
    .bits(0, 24)
    .bits(0, 24)
    .bits(o.streamInfo?.sampleRate ?? sampleRate, 20)
    .bits((o.streamInfo?.channels ?? count) - 1, 3)
    .bits(bits - 1, 5)
    .bits(Math.floor((o.streamInfo?.totalSamples ?? total) / 2 ** 32), 4)
    .bits((o.streamInfo?.totalSamples ?? total) >>> 0, 32)
    .result();
  const blocks: Uint8Array[] = [metadataBlock(0, concatBytes(si, new Uint8Array(16)), !o.comments)];
  if (o.comments) blocks.push(metadataBlock(4, vorbisCommentBlock(o.comments), true));

  const frames: Uint8Array[] = [];
  for (let start = 0, index = 0; start < total; start += blockSize, index++) {
    const n = Math.min(blockSize, total - start);
    const w = new BitWriter().bits(0xfff8, 16);
    const rateCode = o.rateFromStreamInfo ? 0 : (RATE_CODES[sampleRate] ?? (sampleRate % 10 === 0 ? 14 : 13));
    w.bits(7, 4).bits(rateCode, 4); // block size: 16-bit (n-1) after the frame number
    w.bits(count - 1, 4)
      .bits(SIZE_CODES[bits], 3)
      .bits(0, 1);
    for (const byte of utf8Number(index)) w.bits(byte, 8);
    w.bits(n - 1, 16);
    if (rateCode === 13) w.bits(sampleRate, 16);
    if (rateCode === 14) w.bits(sampleRate / 10, 16);
    const header = w.result();
    const frame = new BitWriter();
    for (const b of header) frame.bits(b, 8);
    frame.bits(crc8(header, 0, header.length), 8);
    for (const ch of channels) {
      frame.bits(0b00000010, 8); // VERBATIM, no wasted bits
      for (let i = 0; i < n; i++) frame.bits(quantise(ch[start + i], bits), bits);
    }
    const bytes = frame.result();
    const crc = crc16(bytes, 0, bytes.length);
    frames.push(concatBytes(bytes, new Uint8Array([crc >> 8, crc & 0xff])));
  }
  return concatBytes(utf8Bytes('fLaC'), ...blocks, ...frames);
}

function metadataBlock(type: number, body: Uint8Array, last: boolean): Uint8Array {
  return concatBytes(
    new ByteWriter()
      .u8((last ? 0x80 : 0) | type)
      .u24(body.length, true)
      .result(),
    body,
  );
}

/** Vorbis comment payload (vendor + NAME=value entries, little-endian lengths). */
export function vorbisCommentBlock(comments: Record<string, string>, vendor = 'samplemind-test'): Uint8Array {
  const w = new ByteWriter();
  const v = utf8Bytes(vendor);
  w.u32(v.length).bytes(v).u32(Object.keys(comments).length);
  for (const [k, value] of Object.entries(comments)) {
    const entry = utf8Bytes(`${k}=${value}`);
    w.u32(entry.length).bytes(entry);
  }
  return w.result();
}
