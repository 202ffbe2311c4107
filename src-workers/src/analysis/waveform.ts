/**
 * Overview waveform: N (min, max) pairs over the whole mono signal, quantised to Int8 (+-127 =
 * full scale) and base64-encoded, as the contract's waveformSchema describes. The codec is written
 * out here because Buffer is Node-only and btoa/atob need binary strings; this runs the same in
 * workers, browsers and Node.
 */
import type { Waveform } from '@samplemind/contract';
import type { AnalysisContext } from '../context';

export function waveformPeaks(ctx: AnalysisContext, pairs = 1000): Waveform {
  return computeWaveform(ctx.mono, pairs);
}

export function computeWaveform(mono: Float32Array, pairs: number): Waveform {
  const length = Math.max(0, Math.min(Math.floor(pairs), mono.length));
  const out = new Int8Array(length * 2);
  for (let p = 0; p < length; p++) {
    const start = Math.floor((p * mono.length) / length);
    const end = Math.floor(((p + 1) * mono.length) / length);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = start; i < end; i++) {
      const v = mono[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!(lo <= hi)) {
      lo = 0; // only NaN samples in this span
      hi = 0;
    }
    // Outward rounding: any non-zero excursion stays visible, and the pair always brackets the
    // samples it stands for. NaN compares false everywhere, so it falls through to 0.
    out[2 * p] = quantise(Math.floor(lo * 127));
    out[2 * p + 1] = quantise(Math.ceil(hi * 127));
  }
  return { length, peaks: encodeBase64(new Uint8Array(out.buffer)) };
}

const quantise = (v: number) => (Number.isNaN(v) ? 0 : Math.max(-127, Math.min(127, v)));

/** Decode `Waveform.peaks` into [min0, max0, min1, max1, …] (Int8, +-127 = full scale). */
export function decodeWaveformPeaks(peaks: string): Int8Array {
  const bytes = decodeBase64(peaks);
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i;
  // Accept the URL-safe alphabet too: some transports rewrite it.
  t['-'.charCodeAt(0)] = 62;
  t['_'.charCodeAt(0)] = 63;
  return t;
})();

/** Standard base64 (RFC 4648, padded). */
export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i];
    const b1 = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const b2 = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const n = (b0 << 16) | (b1 << 8) | b2;
    chunk +=
      ALPHABET[n >> 18] +
      ALPHABET[(n >> 12) & 63] +
      (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=') +
      (i + 2 < bytes.length ? ALPHABET[n & 63] : '=');
    if (chunk.length >= 4096) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

/** Decodes standard or URL-safe base64; padding and whitespace are optional. Throws on bad input. */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/[\s=]+/g, '');
  if (clean.length % 4 === 1) throw new Error('invalid base64: truncated');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c] : -1;
    if (v < 0) throw new Error(`invalid base64 character at ${i}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}
