/** MPEG audio (MP1/MP2/MP3) frame headers, and the Xing/Info/LAME and VBRI headers of the first frame. */

export type MpegFrameHeader = {
  version: 1 | 2 | 2.5;
  layer: 1 | 2 | 3;
  bitrateKbps: number;
  sampleRate: number;
  channels: 1 | 2;
  samplesPerFrame: number;
  /** Whole frame in bytes, header included. */
  frameBytes: number;
};

const BITRATES: Record<string, number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const RATES = { 1: [44100, 48000, 32000], 2: [22050, 24000, 16000], 2.5: [11025, 12000, 8000] } as const;

/**
 * Parses the 4-byte header at `at`; null when it is not a valid, decodable frame header.
 * Free-format frames (bitrate index 0) are rejected: their length cannot be known from the header.
 */
export function parseMpegHeader(b: Uint8Array, at: number): MpegFrameHeader | null {
  if (at < 0 || at + 4 > b.length) return null;
  if (b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return null;
  const versionBits = (b[at + 1] >> 3) & 3;
  const layerBits = (b[at + 1] >> 1) & 3;
  const bitrateIndex = b[at + 2] >> 4;
  const rateIndex = (b[at + 2] >> 2) & 3;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3)
    return null;
  if ((b[at + 3] & 3) === 2) return null; // reserved emphasis
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const bitrateKbps = BITRATES[`${version === 1 ? 1 : 2}-${layer}`][bitrateIndex];
  const sampleRate = RATES[version][rateIndex];
  const padding = (b[at + 2] >> 1) & 1;
  const channels = b[at + 3] >> 6 === 3 ? 1 : 2;
  const samplesPerFrame = layer === 1 ? 384 : layer === 2 || version === 1 ? 1152 : 576;
  const frameBytes =
    layer === 1
      ? (Math.floor((12 * bitrateKbps * 1000) / sampleRate) + padding) * 4
      : Math.floor(((samplesPerFrame / 8) * bitrateKbps * 1000) / sampleRate) + padding;
  return { version, layer, bitrateKbps, sampleRate, channels, samplesPerFrame, frameBytes };
}

const sameStream = (a: MpegFrameHeader, b: MpegFrameHeader) =>
  a.version === b.version && a.layer === b.layer && a.sampleRate === b.sampleRate;

/**
 * First offset in [from, limit) where `minFrames` consecutive, mutually consistent frames start
 * (fewer are enough when the data ends exactly after them or in an ID3v1/APE tag). A single
 * 11-bit sync is common in random data; a chain of frames whose lengths land on the next header is not.
 */
export function findMpegStream(b: Uint8Array, from: number, limit: number, minFrames = 3): number {
  const end = Math.min(limit, b.length - 4);
  for (let p = from; p < end; p++) {
    if (b[p] !== 0xff) continue;
    const first = parseMpegHeader(b, p);
    if (!first) continue;
    let q = p + first.frameBytes;
    let count = 1;
    while (count < minFrames) {
      if (q === b.length || isTrailingTag(b, q)) break;
      const next = parseMpegHeader(b, q);
      if (!next || !sameStream(first, next)) break;
      q += next.frameBytes;
      count++;
    }
    if (count >= minFrames) return p;
    if (q === b.length || (q < b.length && isTrailingTag(b, q))) return p;
  }
  return -1;
}

function isTrailingTag(b: Uint8Array, at: number): boolean {
  const tag = (s: string) => s.split('').every((c, i) => at + i < b.length && b[at + i] === c.charCodeAt(0));
  return tag('TAG') || tag('APETAGEX') || tag('LYRICS') || tag('ID3');
}

export type MpegStreamInfo = {
  first: MpegFrameHeader;
  /** Frames the Xing/Info/VBRI header declares (its own frame excluded), or null. */
  declaredFrames: number | null;
  /** Samples LAME says it added at the start and the end (the decoder trims them when gapless). */
  encoderDelay: number;
  encoderPadding: number;
  /** The stream's bytes end inside a frame: the file was cut. */
  cutMidFrame: boolean;
  /** Audio frames counted by walking the headers. */
  countedFrames: number;
};

/** Walks every frame header from `start`; cheap (four bytes per frame), bounded by the file. */
export function scanMpegStream(b: Uint8Array, start: number): MpegStreamInfo | null {
  const first = parseMpegHeader(b, start);
  if (!first) return null;
  const tag = readXing(b, start, first);
  let countedFrames = 0;
  let cutMidFrame = false;
  let p = tag ? start + first.frameBytes : start;
  while (p + 4 <= b.length) {
    const h = parseMpegHeader(b, p);
    if (!h || !sameStream(first, h)) {
      if (isTrailingTag(b, p)) break;
      // Junk between frames: resynchronise on the next chain of frames, if any.
      const next = findMpegStream(b, p + 1, b.length, 2);
      if (next < 0) break;
      p = next;
      continue;
    }
    if (p + h.frameBytes > b.length) {
      cutMidFrame = true;
      break;
    }
    countedFrames++;
    p += h.frameBytes;
  }
  return {
    first,
    declaredFrames: tag?.frames ?? null,
    encoderDelay: tag?.delay ?? 0,
    encoderPadding: tag?.padding ?? 0,
    cutMidFrame,
    countedFrames,
  };
}

function readXing(
  b: Uint8Array,
  at: number,
  h: MpegFrameHeader,
): { frames: number | null; delay: number; padding: number } | null {
  const sideInfo = h.version === 1 ? (h.channels === 1 ? 17 : 32) : h.channels === 1 ? 9 : 17;
  const x = at + 4 + sideInfo;
  const id = x + 4 <= b.length ? String.fromCharCode(b[x], b[x + 1], b[x + 2], b[x + 3]) : '';
  const u32 = (o: number) =>
    o + 4 <= b.length ? ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0 : 0;
  if (id === 'Xing' || id === 'Info') {
    const flags = u32(x + 4);
    let o = x + 8;
    let frames: number | null = null;
    if (flags & 1) {
      frames = u32(o);
      o += 4;
    }
    if (flags & 2) o += 4;
    if (flags & 4) o += 100;
    if (flags & 8) o += 4;
    let delay = 0;
    let padding = 0;
    // LAME extension: 9-byte encoder string, then delay/padding as two 12-bit fields at +21.
    if (o + 24 <= b.length && /^(LAME|Lavf|Lavc|GOGO)/.test(String.fromCharCode(...b.subarray(o, o + 4)))) {
      delay = (b[o + 21] << 4) | (b[o + 22] >> 4);
      padding = ((b[o + 22] & 0x0f) << 8) | b[o + 23];
    }
    return { frames, delay, padding };
  }
  const v = at + 4 + 32;
  if (v + 18 <= b.length && String.fromCharCode(b[v], b[v + 1], b[v + 2], b[v + 3]) === 'VBRI') {
    return { frames: u32(v + 14), delay: 0, padding: 0 };
  }
  return null;
}
