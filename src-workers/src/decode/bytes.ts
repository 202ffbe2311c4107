/**
 * Bounds-checked byte readers. Every reader returns a value or throws `OutOfBounds`, which the
 * container parsers turn into a specific AnalysisFailure: a header field is never trusted to
 * stay inside the buffer.
 */
export class OutOfBounds extends Error {
  constructor(readonly at: number) {
    super(`read past the end of the data at byte ${at}`);
    this.name = 'OutOfBounds';
  }
}

export function need(bytes: Uint8Array, at: number, length: number): void {
  if (at < 0 || length < 0 || at + length > bytes.length) throw new OutOfBounds(at);
}

export function u16le(b: Uint8Array, at: number): number {
  need(b, at, 2);
  return b[at] | (b[at + 1] << 8);
}

export function u16be(b: Uint8Array, at: number): number {
  need(b, at, 2);
  return (b[at] << 8) | b[at + 1];
}

export function i16be(b: Uint8Array, at: number): number {
  return (u16be(b, at) << 16) >> 16;
}

export function u24be(b: Uint8Array, at: number): number {
  need(b, at, 3);
  return (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
}

export function u32le(b: Uint8Array, at: number): number {
  need(b, at, 4);
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

export function u32be(b: Uint8Array, at: number): number {
  need(b, at, 4);
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

/** 64-bit little-endian as a double (exact below 2^53, which is all any real file needs). */
export function u64le(b: Uint8Array, at: number): number {
  return u32le(b, at) + u32le(b, at + 4) * 2 ** 32;
}

export function f32le(b: Uint8Array, at: number): number {
  need(b, at, 4);
  return new DataView(b.buffer, b.byteOffset + at, 4).getFloat32(0, true);
}

/** Four ASCII characters, e.g. a RIFF chunk id. */
export function fourcc(b: Uint8Array, at: number): string {
  need(b, at, 4);
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

export function ascii(b: Uint8Array, at: number, length: number): string {
  need(b, at, length);
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(b[at + i]);
  return s;
}

/** ISO-8859-1, stopping at the first NUL. */
export function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length && b[i] !== 0; i++) s += String.fromCharCode(b[i]);
  return s;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

export function utf8(b: Uint8Array): string {
  return utf8Decoder.decode(b);
}

/** UTF-16 code units (either byte order) without relying on TextDecoder's optional encodings. */
export function utf16(b: Uint8Array, bigEndian: boolean): string {
  let s = '';
  for (let i = 0; i + 1 < b.length; i += 2) {
    const unit = bigEndian ? (b[i] << 8) | b[i + 1] : b[i] | (b[i + 1] << 8);
    if (unit === 0) break;
    s += String.fromCharCode(unit);
  }
  return s;
}

/** Text from a metadata field: trims NULs and whitespace; null when nothing is left. */
export function cleanText(s: string): string | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL padding is what we strip
  const t = s.replace(/\u0000+$/g, '').trim();
  return t.length > 0 ? t : null;
}

/**
 * IEEE 754 80-bit extended (AIFF's sample rate): sign, 15-bit exponent, 64-bit mantissa with an
 * explicit integer bit.
 */
export function float80be(b: Uint8Array, at: number): number {
  need(b, at, 10);
  const sign = b[at] & 0x80 ? -1 : 1;
  const exponent = ((b[at] & 0x7f) << 8) | b[at + 1];
  const hi = u32be(b, at + 2);
  const lo = u32be(b, at + 6);
  if (exponent === 0 && hi === 0 && lo === 0) return 0;
  if (exponent === 0x7fff) return Number.NaN;
  return sign * (hi * 2 ** 32 + lo) * 2 ** (exponent - 16383 - 63);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Free-text metadata of unknown encoding (RIFF INFO, AIFF NAME): UTF-8 when valid, else ISO-8859-1. */
export function textAuto(b: Uint8Array): string {
  const end = b.indexOf(0);
  const s = end >= 0 ? b.subarray(0, end) : b;
  try {
    return strictUtf8.decode(s);
  } catch {
    return latin1(s);
  }
}
