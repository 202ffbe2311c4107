import { asciiBytes, ByteWriter, concatBytes } from './bytes-writer';
import { interleave, type PcmFormat } from './wav-writer';

export type AiffCompression = 'NONE' | 'twos' | 'sowt' | 'fl32' | 'fl64' | 'in24' | '23ni' | 'ulaw' | string;

export type AiffOptions = {
  /** Integer bits for AIFF / AIFF-C NONE, twos, sowt (8, 16, 24, 32). */
  bits?: 8 | 16 | 24 | 32;
  /** Write AIFF-C with this compression type (default: plain AIFF). */
  aifc?: AiffCompression;
  /** INST chunk: base note and an optional sustain loop given as frame positions. */
  inst?: { baseNote: number; loop?: { start: number; end: number; mode?: 1 | 2 } };
  /** Extra markers in the MARK chunk (id → position). */
  markers?: { id: number; position: number; name?: string }[];
  /** ID3v2 tag stored in an "ID3 " chunk. */
  id3?: Uint8Array;
  name?: string;
  author?: string;
  annotation?: string;
  /** SSND offset field: that many zero bytes precede the samples. */
  ssndOffset?: number;
  /** Chunk ids in the order they are written (COMM, SSND, MARK, INST, ID3 , NAME, …). */
  order?: string[];
  /** Written in place of the real frame count in COMM. */
  frames?: number;
  channelsOverride?: number;
  /** Written as the sample rate (any double, e.g. 0 for a broken header). */
  sampleRateOverride?: number;
};

/** IEEE 754 80-bit extended, big-endian (AIFF's sample rate field). */
export function float80(value: number): Uint8Array {
  const out = new Uint8Array(10);
  if (value === 0 || !Number.isFinite(value)) return out;
  const sign = value < 0 ? 0x8000 : 0;
  let v = Math.abs(value);
  let exponent = Math.floor(Math.log2(v));
  let mantissa = v / 2 ** exponent; // [1, 2)
  if (mantissa >= 2) {
    mantissa /= 2;
    exponent++;
  }
  v = mantissa * 2 ** 31;
  const hi = Math.floor(v);
  const lo = Math.floor((v - hi) * 2 ** 32);
  const e = exponent + 16383;
  out[0] = ((sign | e) >> 8) & 0xff;
  out[1] = e & 0xff;
  new DataView(out.buffer).setUint32(2, hi >>> 0);
  new DataView(out.buffer).setUint32(6, lo >>> 0);
  return out;
}

function chunk(id: string, body: Uint8Array): Uint8Array {
  const w = new ByteWriter().ascii(id).u32(body.length, true).bytes(body);
  if (body.length % 2 === 1) w.u8(0);
  return w.result();
}

function pascal(s: string): Uint8Array {
  const bytes = asciiBytes(s.slice(0, 255));
  const out = new Uint8Array(1 + bytes.length + ((1 + bytes.length) % 2));
  out[0] = bytes.length;
  out.set(bytes, 1);
  return out;
}

const FORMAT_OF: Record<string, (bits: number) => { format: PcmFormat; be: boolean }> = {
  NONE: (bits) => ({ format: intFormat(bits), be: true }),
  twos: (bits) => ({ format: intFormat(bits), be: true }),
  sowt: (bits) => ({ format: intFormat(bits), be: false }),
  in24: () => ({ format: 's24', be: true }),
  '23ni': () => ({ format: 's24', be: false }),
  fl32: () => ({ format: 'f32', be: true }),
  fl64: () => ({ format: 'f64', be: true }),
};

function intFormat(bits: number): PcmFormat {
  return bits === 8 ? 's8' : bits === 16 ? 's16' : bits === 24 ? 's24' : 's32';
}

export function encodeAiff(channels: Float32Array[], sampleRate: number, o: AiffOptions = {}): Uint8Array {
  const bits = o.bits ?? 16;
  const compression = o.aifc ?? 'NONE';
  const layout = FORMAT_OF[compression]?.(bits);
  // Unknown compressions get 16-bit big-endian bytes: enough to test that they are refused.
  const { format, be } = layout ?? { format: 's16' as PcmFormat, be: true };
  const frames = channels[0]?.length ?? 0;
  const sampleSize = compression === 'fl32' ? 32 : compression === 'fl64' ? 64 : bits;
  const comm = new ByteWriter()
    .u16(o.channelsOverride ?? channels.length, true)
    .u32(o.frames ?? frames, true)
    .u16(sampleSize, true)
    .bytes(float80(o.sampleRateOverride ?? sampleRate));
  if (o.aifc) comm.ascii(compression.padEnd(4).slice(0, 4)).bytes(pascal(compression));
  const offset = o.ssndOffset ?? 0;
  const ssnd = concatBytes(
    new ByteWriter().u32(offset, true).u32(0, true).result(),
    new Uint8Array(offset),
    interleave(channels, format, be),
  );

  const chunks = new Map<string, Uint8Array>();
  if (o.aifc) chunks.set('FVER', chunk('FVER', new ByteWriter().u32(0xa2805140, true).result()));
  chunks.set('COMM', chunk('COMM', comm.result()));
  const markers = [...(o.markers ?? [])];
  if (o.inst?.loop) {
    markers.push(
      { id: 101, position: o.inst.loop.start, name: 'loop start' },
      { id: 102, position: o.inst.loop.end, name: 'loop end' },
    );
  }
  if (markers.length) {
    const w = new ByteWriter().u16(markers.length, true);
    for (const m of markers)
      w.u16(m.id, true)
        .u32(m.position, true)
        .bytes(pascal(m.name ?? ''));
    chunks.set('MARK', chunk('MARK', w.result()));
  }
  if (o.inst) {
    const loop = o.inst.loop;
    const w = new ByteWriter()
      .u8(o.inst.baseNote)
      .u8(0)
      .u8(0)
      .u8(127)
      .u8(1)
      .u8(127)
      .u16(0, true)
      .u16(loop ? (loop.mode ?? 1) : 0, true)
      .u16(loop ? 101 : 0, true)
      .u16(loop ? 102 : 0, true)
      .u16(0, true)
      .u16(0, true)
      .u16(0, true);
    chunks.set('INST', chunk('INST', w.result()));
  }
  if (o.name) chunks.set('NAME', chunk('NAME', asciiBytes(o.name)));
  if (o.author) chunks.set('AUTH', chunk('AUTH', asciiBytes(o.author)));
  if (o.annotation) chunks.set('ANNO', chunk('ANNO', asciiBytes(o.annotation)));
  if (o.id3) chunks.set('ID3 ', chunk('ID3 ', o.id3));
  chunks.set('SSND', chunk('SSND', ssnd));

  const order = [...(o.order ?? [])];
  for (const id of chunks.keys()) if (!order.includes(id)) order.push(id);
  const body = concatBytes(
    asciiBytes(o.aifc ? 'AIFC' : 'AIFF'),
    ...order.filter((id) => chunks.has(id)).map((id) => chunks.get(id)!),
  );
  return concatBytes(new ByteWriter().ascii('FORM').u32(body.length, true).result(), body);
}
