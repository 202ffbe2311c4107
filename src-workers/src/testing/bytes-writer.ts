/** A growable byte buffer with little/big-endian writers, for the test encoders. */
export class ByteWriter {
  private buf = new Uint8Array(1024);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }

  bytes(b: ArrayLike<number>): this {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  ascii(s: string): this {
    for (let i = 0; i < s.length; i++) this.u8(s.charCodeAt(i));
    return this;
  }

  u16(v: number, be = false): this {
    return be ? this.u8(v >> 8).u8(v) : this.u8(v).u8(v >> 8);
  }

  u24(v: number, be = false): this {
    return be
      ? this.u8(v >> 16)
          .u8(v >> 8)
          .u8(v)
      : this.u8(v)
          .u8(v >> 8)
          .u8(v >> 16);
  }

  u32(v: number, be = false): this {
    return be
      ? this.u8(v >>> 24)
          .u8(v >>> 16)
          .u8(v >>> 8)
          .u8(v)
      : this.u8(v)
          .u8(v >>> 8)
          .u8(v >>> 16)
          .u8(v >>> 24);
  }

  f32(v: number, be = false): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, !be);
    return this.bytes(b);
  }

  f64(v: number, be = false): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, !be);
    return this.bytes(b);
  }

  /** Overwrites a 32-bit value already written (sizes patched after the fact). */
  patchU32(at: number, v: number, be = false): void {
    const saved = this.length;
    this.length = at;
    this.u32(v, be);
    this.length = saved;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const asciiBytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
export const utf8Bytes = (s: string) => new TextEncoder().encode(s);

/** Integer PCM value of a float sample: round(x·2^(bits-1)), clamped to the signed range. */
export function quantise(x: number, bits: number): number {
  const full = 2 ** (bits - 1);
  return Math.max(-full, Math.min(full - 1, Math.round(x * full)));
}
