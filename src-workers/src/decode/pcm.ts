import type { AudioSource, SourceInfo } from './types';

/** Largest chunk handed to the orchestrator; bounds memory for long files. */
export const CHUNK_FRAMES = 65536;

export type PcmEncoding = 'int' | 'uint8' | 'float' | 'ulaw' | 'alaw';

export type PcmLayout = {
  encoding: PcmEncoding;
  /** Container bytes per sample: 1-4 for integers, 4 or 8 for floats. */
  bytesPerSample: number;
  bigEndian: boolean;
  channels: number;
  /** Bytes per frame; at least channels × bytesPerSample. */
  blockAlign: number;
};

/** Interleaved PCM in `bytes[start …]` to planar float chunks of at most CHUNK_FRAMES frames. */
export function* pcmChunks(
  bytes: Uint8Array,
  start: number,
  frames: number,
  layout: PcmLayout,
): Generator<Float32Array[]> {
  for (let done = 0; done < frames; ) {
    const n = Math.min(CHUNK_FRAMES, frames - done);
    const out: Float32Array[] = [];
    for (let c = 0; c < layout.channels; c++) {
      const ch = new Float32Array(n);
      convert(bytes, start + done * layout.blockAlign + c * layout.bytesPerSample, n, layout, ch);
      out.push(ch);
    }
    done += n;
    yield out;
  }
}

function convert(b: Uint8Array, at: number, n: number, l: PcmLayout, out: Float32Array): void {
  const step = l.blockAlign;
  let p = at;
  switch (l.encoding) {
    case 'uint8':
      for (let i = 0; i < n; i++, p += step) out[i] = (b[p] - 128) / 128;
      return;
    case 'ulaw':
    case 'alaw': {
      const table = l.encoding === 'ulaw' ? ulawTable() : alawTable();
      for (let i = 0; i < n; i++, p += step) out[i] = table[b[p]];
      return;
    }
    case 'float': {
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const le = !l.bigEndian;
      if (l.bytesPerSample === 8) for (let i = 0; i < n; i++, p += step) out[i] = view.getFloat64(p, le);
      else for (let i = 0; i < n; i++, p += step) out[i] = view.getFloat32(p, le);
      // NaN or ±Inf samples would poison every downstream sum; a damaged float file reads as silence there.
      for (let i = 0; i < n; i++) if (!Number.isFinite(out[i])) out[i] = 0;
      return;
    }
    case 'int':
      convertInt(b, p, n, step, l.bytesPerSample, l.bigEndian, out);
      return;
  }
}

function convertInt(
  b: Uint8Array,
  p: number,
  n: number,
  step: number,
  size: number,
  be: boolean,
  out: Float32Array,
): void {
  // Left-justified samples: scaling by the container width is right whatever the valid bits.
  if (size === 1) {
    for (let i = 0; i < n; i++, p += step) out[i] = ((b[p] << 24) >> 24) / 128;
  } else if (size === 2) {
    const s = 1 / 32768;
    if (be) for (let i = 0; i < n; i++, p += step) out[i] = (((b[p] << 24) >> 16) | b[p + 1]) * s;
    else for (let i = 0; i < n; i++, p += step) out[i] = (((b[p + 1] << 24) >> 16) | b[p]) * s;
  } else if (size === 3) {
    const s = 1 / 8388608;
    if (be)
      for (let i = 0; i < n; i++, p += step)
        out[i] = (((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8)) >> 8) * s;
    else
      for (let i = 0; i < n; i++, p += step)
        out[i] = (((b[p + 2] << 24) | (b[p + 1] << 16) | (b[p] << 8)) >> 8) * s;
  } else {
    const s = 1 / 2147483648;
    if (be)
      for (let i = 0; i < n; i++, p += step)
        out[i] = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) * s;
    else
      for (let i = 0; i < n; i++, p += step)
        out[i] = ((b[p + 3] << 24) | (b[p + 2] << 16) | (b[p + 1] << 8) | b[p]) * s;
  }
}

let ulaw: Float32Array | null = null;
let alaw: Float32Array | null = null;

/** G.711 µ-law expansion (ITU-T G.711), scaled to ±1. */
function ulawTable(): Float32Array {
  if (ulaw) return ulaw;
  ulaw = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const u = ~i & 0xff;
    const magnitude = ((((u & 0x0f) << 3) + 0x84) << ((u >> 4) & 7)) - 0x84;
    ulaw[i] = (u & 0x80 ? -magnitude : magnitude) / 32768;
  }
  return ulaw;
}

/** G.711 A-law expansion, scaled to ±1. */
function alawTable(): Float32Array {
  if (alaw) return alaw;
  alaw = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const a = i ^ 0x55;
    const exponent = (a >> 4) & 7;
    const mantissa = a & 0x0f;
    const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
    alaw[i] = (a & 0x80 ? magnitude : -magnitude) / 32768;
  }
  return alaw;
}

/** An AudioSource over PCM bytes already in memory: each chunk is converted only when asked for. */
export function pcmSource(
  bytes: Uint8Array,
  info: SourceInfo,
  claimed: AudioSource['claimed'],
  data: { start: number; frames: number; layout: PcmLayout; truncated: boolean },
  warnings: string[] = [],
): AudioSource {
  return {
    info,
    claimed,
    warnings,
    isTruncated: data.truncated,
    async *chunks() {
      yield* pcmChunks(bytes, data.start, data.frames, data.layout);
    },
  };
}

/** The contract's codec string for a PCM layout ("pcm-s16", "pcm-f32", "pcm-u8", …). */
export function codecName(encoding: PcmEncoding, bytesPerSample: number): string {
  if (encoding === 'uint8') return 'pcm-u8';
  if (encoding === 'float') return `pcm-f${bytesPerSample * 8}`;
  if (encoding === 'ulaw') return 'pcm-mulaw';
  if (encoding === 'alaw') return 'pcm-alaw';
  return `pcm-s${bytesPerSample * 8}`;
}
