import { asciiBytes, ByteWriter, concatBytes, quantise } from './bytes-writer';

export type PcmFormat = 'u8' | 's8' | 's16' | 's24' | 's32' | 'f32' | 'f64';

const BYTES: Record<PcmFormat, number> = { u8: 1, s8: 1, s16: 2, s24: 3, s32: 4, f32: 4, f64: 8 };
export const bytesPerSample = (f: PcmFormat) => BYTES[f];
export const isFloat = (f: PcmFormat) => f === 'f32' || f === 'f64';

/** Interleaved PCM bytes of planar float channels. */
export function interleave(channels: Float32Array[], format: PcmFormat, bigEndian = false): Uint8Array {
  const frames = channels[0]?.length ?? 0;
  const size = BYTES[format];
  const out = new Uint8Array(frames * channels.length * size);
  const view = new DataView(out.buffer);
  let p = 0;
  for (let i = 0; i < frames; i++) {
    for (const ch of channels) {
      const x = ch[i];
      if (format === 'f32') view.setFloat32(p, x, !bigEndian);
      else if (format === 'f64') view.setFloat64(p, x, !bigEndian);
      else if (format === 'u8') out[p] = quantise(x, 8) + 128;
      else {
        const bits = size * 8;
        const v = quantise(x, bits);
        for (let k = 0; k < size; k++) {
          const byte = (v >> (8 * k)) & 0xff; // little-endian byte k
          out[p + (bigEndian ? size - 1 - k : k)] = byte;
        }
      }
      p += size;
    }
  }
  return out;
}

export type AcidChunk = {
  oneShot?: boolean;
  rootNote?: number;
  beats?: number;
  tempo?: number;
  meter?: [number, number];
};
/** Loops as the smpl chunk stores them: `end` is the last frame of the loop (inclusive). */
export type SmplChunk = { unityNote: number; loops?: { start: number; end: number }[] };

export type WavOptions = {
  format?: PcmFormat;
  extensible?: boolean;
  /** Extensible only: valid bits per sample (e.g. 20 in a 24-bit container). */
  validBits?: number;
  /** RIFX: the big-endian variant. */
  rifx?: boolean;
  acid?: AcidChunk;
  smpl?: SmplChunk;
  /** LIST/INFO entries, e.g. { INAM: 'title', IART: 'artist' }. */
  info?: Record<string, string>;
  /** A complete ID3v2 tag, stored in an "id3 " chunk. */
  id3?: Uint8Array;
  /** Broadcast WAV description. */
  bext?: string;
  /** Extra chunks (JUNK, cue , …) placed before the data chunk unless `order` says otherwise. */
  extra?: { id: string; body: Uint8Array }[];
  /** Chunk ids in the order they are written; ids not listed follow "fmt " in their default order. */
  order?: string[];
  /** Written in place of the real data size (0 or 0xFFFFFFFF imitate streaming writers). */
  dataSize?: number;
  /** Leave odd-sized chunks without their pad byte (a common writer bug). */
  noPadding?: boolean;
  /** Overrides fmt fields to build broken headers. */
  fmt?: Partial<{
    formatTag: number;
    channels: number;
    sampleRate: number;
    blockAlign: number;
    bitsPerSample: number;
  }>;
};

/** One RIFF chunk: id, size, body, pad byte when the size is odd. */
export function riffChunk(id: string, body: Uint8Array, bigEndian = false, pad = true): Uint8Array {
  const w = new ByteWriter().ascii(id).u32(body.length, bigEndian).bytes(body);
  if (pad && body.length % 2 === 1) w.u8(0);
  return w.result();
}

export function encodeWav(channels: Float32Array[], sampleRate: number, o: WavOptions = {}): Uint8Array {
  const format = o.format ?? 's16';
  const be = o.rifx ?? false;
  const size = BYTES[format];
  const count = channels.length;
  const float = isFloat(format);
  const formatTag = o.fmt?.formatTag ?? (o.extensible ? 0xfffe : float ? 3 : 1);
  const fmt = new ByteWriter()
    .u16(formatTag, be)
    .u16(o.fmt?.channels ?? count, be)
    .u32(o.fmt?.sampleRate ?? sampleRate, be)
    .u32(sampleRate * size * count, be)
    .u16(o.fmt?.blockAlign ?? size * count, be)
    .u16(o.fmt?.bitsPerSample ?? size * 8, be);
  if (o.extensible) {
    fmt
      .u16(22, be)
      .u16(o.validBits ?? size * 8, be)
      .u32(count === 2 ? 3 : 0, be);
    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: format code + fixed GUID tail.
    fmt
      .u16(float ? 3 : 1)
      .bytes([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]);
  } else if (float) {
    fmt.u16(0, be);
  }
  const pad = !o.noPadding;
  const chunks = new Map<string, Uint8Array>();
  chunks.set('fmt ', riffChunk('fmt ', fmt.result(), be, pad));
  if (o.acid) chunks.set('acid', riffChunk('acid', acidBody(o.acid, be), be, pad));
  if (o.smpl) chunks.set('smpl', riffChunk('smpl', smplBody(o.smpl, sampleRate, be), be, pad));
  if (o.info) chunks.set('LIST', riffChunk('LIST', infoBody(o.info, be, pad), be, pad));
  if (o.bext) chunks.set('bext', riffChunk('bext', bextBody(o.bext), be, pad));
  if (o.id3) chunks.set('id3 ', riffChunk('id3 ', o.id3, be, pad));
  for (const c of o.extra ?? []) chunks.set(c.id, riffChunk(c.id, c.body, be, pad));
  const pcm = interleave(channels, format, be);
  const data = riffChunk('data', pcm, be, pad);
  if (o.dataSize !== undefined) new DataView(data.buffer).setUint32(4, o.dataSize >>> 0, !be);
  chunks.set('data', data);

  const order = [...(o.order ?? [])];
  for (const id of chunks.keys()) if (!order.includes(id) && id !== 'data') order.push(id);
  if (!order.includes('data')) order.push('data');
  const body = concatBytes(
    asciiBytes('WAVE'),
    ...order.filter((id) => chunks.has(id)).map((id) => chunks.get(id)!),
  );
  return concatBytes(
    new ByteWriter()
      .ascii(be ? 'RIFX' : 'RIFF')
      .u32(body.length, be)
      .result(),
    body,
  );
}

function acidBody(a: AcidChunk, be: boolean): Uint8Array {
  const flags = (a.oneShot ? 1 : 0) | (a.rootNote !== undefined ? 2 : 0);
  return new ByteWriter()
    .u32(flags, be)
    .u16(a.rootNote ?? 0x3c, be)
    .u16(0x8000, be)
    .f32(0, be)
    .u32(a.beats ?? 0, be)
    .u16(a.meter?.[1] ?? 4, be)
    .u16(a.meter?.[0] ?? 4, be)
    .f32(a.tempo ?? 0, be)
    .result();
}

function smplBody(s: SmplChunk, sampleRate: number, be: boolean): Uint8Array {
  const w = new ByteWriter()
    .u32(0, be)
    .u32(0, be)
    .u32(Math.round(1e9 / sampleRate), be)
    .u32(s.unityNote, be)
    .u32(0, be)
    .u32(0, be)
    .u32(0, be)
    .u32(s.loops?.length ?? 0, be)
    .u32(0, be);
  for (const [i, loop] of (s.loops ?? []).entries()) {
    w.u32(i, be).u32(0, be).u32(loop.start, be).u32(loop.end, be).u32(0, be).u32(0, be);
  }
  return w.result();
}

function infoBody(info: Record<string, string>, be: boolean, pad: boolean): Uint8Array {
  const parts: Uint8Array[] = [asciiBytes('INFO')];
  for (const [id, text] of Object.entries(info)) {
    parts.push(riffChunk(id, concatBytes(new TextEncoder().encode(text), new Uint8Array([0])), be, pad));
  }
  return concatBytes(...parts);
}

function bextBody(description: string): Uint8Array {
  const out = new Uint8Array(602);
  out.set(asciiBytes(description.slice(0, 256)));
  return out;
}
