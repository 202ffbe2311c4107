import { ByteWriter, concatBytes, utf8Bytes } from './bytes-writer';

const syncsafe = (n: number) => [(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f];

export type Id3Options = {
  /** 3 (sizes as plain integers, UTF-16 text) or 4 (syncsafe sizes, UTF-8 text). Default 4. */
  version?: 3 | 4;
  /** COMM frame text. */
  comment?: string;
  /** Zero bytes after the frames. */
  padding?: number;
};

function utf16WithBom(s: string): Uint8Array {
  const out = new Uint8Array(2 + s.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < s.length; i++) {
    out[2 + 2 * i] = s.charCodeAt(i) & 0xff;
    out[3 + 2 * i] = s.charCodeAt(i) >> 8;
  }
  return out;
}

/** An ID3v2.3/2.4 tag with text frames, e.g. { TBPM: '120', TKEY: 'Am', TIT2: 'Loop' }. */
export function id3v2(textFrames: Record<string, string>, o: Id3Options = {}): Uint8Array {
  const version = o.version ?? 4;
  const text = (s: string) =>
    version === 4
      ? concatBytes(new Uint8Array([3]), utf8Bytes(s))
      : concatBytes(new Uint8Array([1]), utf16WithBom(s));
  const frames: Uint8Array[] = [];
  const frame = (id: string, body: Uint8Array) => {
    const size =
      version === 4
        ? syncsafe(body.length)
        : [body.length >>> 24, body.length >>> 16, body.length >>> 8, body.length].map((x) => x & 0xff);
    frames.push(concatBytes(new ByteWriter().ascii(id).bytes(size).u16(0).result(), body));
  };
  for (const [id, value] of Object.entries(textFrames)) frame(id, text(value));
  if (o.comment !== undefined) {
    const body =
      version === 4
        ? concatBytes(new Uint8Array([3]), utf8Bytes('eng'), new Uint8Array([0]), utf8Bytes(o.comment))
        : concatBytes(
            new Uint8Array([1]),
            utf8Bytes('eng'),
            utf16WithBom(''),
            new Uint8Array([0, 0]),
            utf16WithBom(o.comment),
          );
    frame('COMM', body);
  }
  const body = concatBytes(...frames, new Uint8Array(o.padding ?? 0));
  return concatBytes(
    new ByteWriter().ascii('ID3').u8(version).u8(0).u8(0).bytes(syncsafe(body.length)).result(),
    body,
  );
}
