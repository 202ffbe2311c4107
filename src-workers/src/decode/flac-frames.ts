/**
 * Splits a FLAC stream into frames. A frame starts with a sync code and a header protected by
 * CRC-8. It ends where the next frame starts: normally the first valid header after it whose
 * frame (or sample) number continues the sequence with the same stream parameters; when that
 * fails (junk, damage, a false sync), where the CRC-16 over the bytes so far checks out. The
 * decoder verifies every frame's CRC-16 again. Written here rather than taken from codec-parser,
 * which drops the final frame of a stream when it is flushed.
 */

const CRC8 = new Uint8Array(256);
const CRC16 = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c8 = i;
  let c16 = i << 8;
  for (let k = 0; k < 8; k++) {
    c8 = c8 & 0x80 ? ((c8 << 1) ^ 0x07) & 0xff : (c8 << 1) & 0xff;
    c16 = c16 & 0x8000 ? ((c16 << 1) ^ 0x8005) & 0xffff : (c16 << 1) & 0xffff;
  }
  CRC8[i] = c8;
  CRC16[i] = c16;
}

export function crc8(b: Uint8Array, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) c = CRC8[c ^ b[i]];
  return c;
}

export function crc16(b: Uint8Array, from: number, to: number, start = 0): number {
  let c = start;
  for (let i = from; i < to; i++) c = ((c << 8) & 0xffff) ^ CRC16[(c >> 8) ^ b[i]];
  return c;
}

/** Length of the valid frame header at `at` (CRC-8 included), or 0. */
export function frameHeaderLength(b: Uint8Array, at: number): number {
  if (at + 6 > b.length || b[at] !== 0xff || (b[at + 1] & 0xfe) !== 0xf8) return 0;
  const blockCode = b[at + 2] >> 4;
  const rateCode = b[at + 2] & 0x0f;
  const assignment = b[at + 3] >> 4;
  const sizeCode = (b[at + 3] >> 1) & 7;
  if (blockCode === 0 || rateCode === 15 || assignment > 10 || sizeCode === 3 || b[at + 3] & 1) return 0;
  // UTF-8-style coded frame or sample number.
  let p = at + 4;
  const lead = b[p];
  let extra = 0;
  if (lead < 0x80) extra = 0;
  else if ((lead & 0xe0) === 0xc0) extra = 1;
  else if ((lead & 0xf0) === 0xe0) extra = 2;
  else if ((lead & 0xf8) === 0xf0) extra = 3;
  else if ((lead & 0xfc) === 0xf8) extra = 4;
  else if ((lead & 0xfe) === 0xfc) extra = 5;
  else if (lead === 0xfe) extra = 6;
  else return 0;
  p++;
  for (let k = 0; k < extra; k++, p++) if (p >= b.length || (b[p] & 0xc0) !== 0x80) return 0;
  if (blockCode === 6) p += 1;
  else if (blockCode === 7) p += 2;
  if (rateCode === 12) p += 1;
  else if (rateCode === 13 || rateCode === 14) p += 2;
  if (p >= b.length || crc8(b, at, p) !== b[p]) return 0;
  return p + 1 - at;
}

function nextHeader(b: Uint8Array, from: number, limit = b.length): number {
  const end = Math.min(limit, b.length - 1);
  for (let p = from; p < end; p++) {
    p = b.indexOf(0xff, p); // native scan: most bytes are not a sync
    if (p < 0 || p >= end) return -1;
    if ((b[p + 1] & 0xfe) === 0xf8 && frameHeaderLength(b, p) > 0) return p;
  }
  return -1;
}

/** The coded frame number (fixed block size) or first-sample number (variable block size). */
function codedNumber(b: Uint8Array, at: number): number {
  const lead = b[at + 4];
  if (lead < 0x80) return lead;
  let extra = 0;
  let mask = 0x40;
  while (lead & mask && extra < 6) {
    extra++;
    mask >>= 1;
  }
  let value = lead & (mask - 1);
  for (let k = 1; k <= extra; k++) value = value * 64 + (b[at + 4 + k] & 0x3f);
  return value;
}

function blockSizeOf(b: Uint8Array, at: number, headerLength: number): number {
  const code = b[at + 2] >> 4;
  const fixed = BLOCK_SIZES[code];
  if (fixed > 0) return fixed;
  // Stored after the coded number, before the optional rate bytes and the CRC-8.
  const rateExtra = (b[at + 2] & 0x0f) === 12 ? 1 : (b[at + 2] & 0x0f) >= 13 ? 2 : 0;
  const end = at + headerLength - 1 - rateExtra;
  return code === 6 ? b[end - 1] + 1 : ((b[end - 2] << 8) | b[end - 1]) + 1;
}

/** Fields that stay fixed along a stream: blocking strategy, rate code, channel count, sample size. */
function streamKey(b: Uint8Array, at: number): number {
  const assignment = b[at + 3] >> 4;
  const channels = assignment < 8 ? assignment + 1 : 2;
  return ((b[at + 1] & 1) << 16) | ((b[at + 2] & 0x0f) << 8) | (channels << 4) | ((b[at + 3] >> 1) & 7);
}

/** True when the header at `next` is the frame that follows the one at `at`. */
function continues(b: Uint8Array, at: number, headerLength: number, next: number): boolean {
  if (streamKey(b, at) !== streamKey(b, next)) return false;
  const step = b[at + 1] & 1 ? blockSizeOf(b, at, headerLength) : 1;
  return codedNumber(b, next) === codedNumber(b, at) + step;
}

export type FlacFrameScan = {
  /** Set once the generator is done: the stream ended inside a frame (its CRC-16 never matched). */
  cut: boolean;
  /** Frames dropped because no CRC-16 matched (damaged data). */
  damaged: number;
};

const BLOCK_SIZES = [0, 192, 576, 1152, 2304, 4608, -1, -2, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768];
const SAMPLE_BITS = [32, 8, 12, 0, 16, 20, 24, 32]; // code 0 ("see STREAMINFO"): assume the worst

/**
 * Upper bound on the size of the frame whose header is at `at`: a verbatim frame (the largest
 * a valid encoder may write) plus header and footer. Bounds how far a damaged frame is searched.
 */
function maxFrameBytes(b: Uint8Array, at: number, headerLength: number): number {
  const blockSize = blockSizeOf(b, at, headerLength);
  const assignment = b[at + 3] >> 4;
  const channels = assignment < 8 ? assignment + 1 : 2;
  const bits = SAMPLE_BITS[(b[at + 3] >> 1) & 7] + 1; // +1: a side channel carries one extra bit
  return headerLength + Math.ceil((blockSize * channels * bits) / 8) + channels + 2 + 16;
}

/** Yields each frame of `b` (from `from`) as a view. Junk between frames and damaged frames are skipped. */
export function* flacFrames(b: Uint8Array, from: number, scan: FlacFrameScan): Generator<Uint8Array> {
  let start = nextHeader(b, from);
  while (start >= 0) {
    const headerLength = frameHeaderLength(b, start);
    const limit = start + maxFrameBytes(b, start, headerLength);
    let crc = 0;
    let crcTo = start;
    let candidate = nextHeader(b, start + headerLength + 2, limit);
    const firstCandidate = candidate;
    if (candidate >= 0 && continues(b, start, headerLength, candidate)) {
      yield b.subarray(start, candidate);
      start = candidate;
      continue;
    }
    let end = -1;
    while (candidate >= 0) {
      crc = crc16(b, crcTo, candidate, crc);
      crcTo = candidate;
      if (crc === 0) {
        end = candidate;
        break;
      }
      candidate = nextHeader(b, candidate + 1, limit);
    }
    if (end >= 0) {
      yield b.subarray(start, end);
      start = end;
      continue;
    }
    if (limit < b.length) {
      // No header within reach verified this frame: it is damaged, or junk follows it. Drop it and
      // resume at the next header after it.
      scan.damaged++;
      start = firstCandidate >= 0 ? firstCandidate : nextHeader(b, start + 1);
      continue;
    }
    end = lastFrameEnd(b, start, crcTo, crc);
    if (end >= 0) {
      yield b.subarray(start, end);
      return;
    }
    // Not the last frame after all if another header follows (this one was damaged or false).
    const next = firstCandidate >= 0 ? firstCandidate : nextHeader(b, start + 1);
    if (next < 0) {
      scan.cut = true;
      return;
    }
    scan.damaged++;
    start = next;
  }
}

/** Where the final frame ends: the end of the data, or before a trailing tag or zero padding. */
function lastFrameEnd(b: Uint8Array, start: number, crcFrom: number, crcSoFar: number): number {
  const ends = [b.length];
  let z = b.length;
  while (z > start && b[z - 1] === 0) z--;
  if (z < b.length) ends.push(z);
  for (const tail of [128, 128 + 227]) {
    const at = b.length - tail;
    if (at > start && b[at] === 0x54 && b[at + 1] === 0x41 && b[at + 2] === 0x47) ends.push(at); // "TAG"
  }
  for (const end of ends.sort((x, y) => x - y)) {
    if (end < crcFrom) continue;
    if (crc16(b, crcFrom, end, crcSoFar) === 0) return end;
  }
  return -1;
}
