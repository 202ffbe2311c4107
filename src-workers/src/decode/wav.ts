import { AnalysisFailure } from '../errors';
import { OutOfBounds } from './bytes';
import { ClaimsBuilder } from './claims-builder';
import { addId3Claims } from './id3';
import { codecName, type PcmLayout, pcmSource } from './pcm';
import { addAcidClaims, addBextClaims, addListInfoClaims, addSmplClaims, type ChunkBody } from './riff-meta';
import type { AudioSource } from './types';

const MAX_CHANNELS = 32;

type Fmt = {
  formatTag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
  validBits: number;
};

type Data = { start: number; declaredBytes: number; availableBytes: number; streaming: boolean };

/** Compressed WAV payloads we can name in the error message. */
const FORMAT_NAMES: Record<number, string> = {
  2: 'Microsoft ADPCM',
  17: 'IMA ADPCM',
  34: 'TrueSpeech',
  49: 'GSM 6.10',
  80: 'MPEG-1 Layer 1/2',
  85: 'MP3',
  146: 'Dolby AC-3',
  353: 'Windows Media Audio',
  354: 'Windows Media Audio Pro',
  8192: 'Dolby AC-3',
  8193: 'DTS',
};

/** KSDATAFORMAT_SUBTYPE_* GUIDs share these 14 bytes after the 2-byte format code. */
const KS_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
/** Ambisonic B-format sub-types (PCM = 1, float = 3): same sample layout as PCM/float. */
const AMBISONIC_GUID_TAIL = [
  0x00, 0x00, 0x21, 0x07, 0xd3, 0x11, 0x86, 0x44, 0xc8, 0xc1, 0xca, 0x00, 0x00, 0x00,
];

export type WavParse = { fmt: Fmt; data: Data; claims: ClaimsBuilder; bigEndian: boolean };

/** RIFF/RIFX/RF64/BW64 WAVE. Chunks may come in any order; sizes are never trusted past the file. */
export function parseWav(b: Uint8Array): WavParse {
  if (b.length < 12) throw new AnalysisFailure('corrupt', `the WAV header is cut short (${b.length} bytes)`);
  const magic = String.fromCharCode(b[0], b[1], b[2], b[3]);
  const bigEndian = magic === 'RIFX';
  const rf64 = magic === 'RF64' || magic === 'BW64';
  const u32 = (at: number) => {
    if (at + 4 > b.length) throw new OutOfBounds(at);
    return (
      (bigEndian
        ? (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]
        : b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0
    );
  };
  const u16 = (at: number) => {
    if (at + 2 > b.length) throw new OutOfBounds(at);
    return bigEndian ? (b[at] << 8) | b[at + 1] : b[at] | (b[at + 1] << 8);
  };

  let fmt: Fmt | null = null;
  let data: Data | null = null;
  let ds64DataSize: number | null = null;
  const meta: Record<string, ChunkBody> = {};
  let p = 12;
  while (p + 8 <= b.length) {
    const id = String.fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3]);
    if (!plausibleId(b, p)) break; // trailing junk after the last chunk
    const size = u32(p + 4);
    const body = p + 8;
    const bodyEnd = Math.min(b.length, body + size);
    if (id === 'ds64' && size >= 16 && body + 16 <= b.length) {
      ds64DataSize = u32(body + 8) + u32(body + 12) * 2 ** 32;
    } else if (id === 'fmt ') {
      fmt = parseFmt(b, body, bodyEnd, u16, u32);
    } else if (id === 'data' && data === null) {
      let declared = size;
      let streaming = false;
      if (rf64 && size === 0xffffffff && ds64DataSize !== null) declared = ds64DataSize;
      else if (size === 0xffffffff || (size === 0 && body < b.length && !plausibleId(b, body))) {
        // A streaming writer never came back to fill in the size: the data runs to the end.
        declared = b.length - body;
        streaming = true;
      }
      data = {
        start: body,
        declaredBytes: declared,
        availableBytes: Math.min(declared, b.length - body),
        streaming,
      };
      if (body + declared >= b.length) break; // nothing can follow a data chunk that reaches the end
      p = nextChunk(b, body, declared);
      continue;
    } else {
      const key = id.toLowerCase();
      // LIST holds many list types; only INFO carries claims.
      const wanted =
        META_CHUNKS.has(key) && !(key in meta) && (key !== 'list' || isInfoList(b, body, bodyEnd));
      if (wanted) meta[key] = { data: b.subarray(body, bodyEnd), bigEndian };
    }
    p = nextChunk(b, body, size);
  }

  // A chunk with a wrong size derails the walk; look for the missing chunk ids directly.
  if (!fmt) {
    const at = findId(b, 'fmt ', 12);
    if (at >= 0) fmt = parseFmt(b, at + 8, Math.min(b.length, at + 8 + u32(at + 4)), u16, u32);
  }
  if (!fmt)
    throw new AnalysisFailure('corrupt', 'the WAV file has no fmt chunk: its sample format is unknown');
  if (!data) {
    const at = findId(b, 'data', 12);
    if (at >= 0 && at + 8 <= b.length) {
      const size = u32(at + 4);
      const declared = size === 0 || size === 0xffffffff ? b.length - at - 8 : size;
      data = {
        start: at + 8,
        declaredBytes: declared,
        availableBytes: Math.min(declared, b.length - at - 8),
        streaming: false,
      };
    }
  }
  if (!data) throw new AnalysisFailure('corrupt', 'the WAV file has no data chunk');

  const claims = new ClaimsBuilder();
  // Most specific first: the loop-software chunks, then the sampler chunk, then free text.
  if (meta.acid) addAcidClaims(meta.acid, claims);
  if (meta.smpl) addSmplClaims(meta.smpl, claims);
  if (meta['id3 ']) addId3Claims(meta['id3 '].data, claims);
  if (meta.list) addListInfoClaims(meta.list, claims);
  if (meta.bext) addBextClaims(meta.bext, claims);
  return { fmt, data, claims, bigEndian };
}

const META_CHUNKS = new Set(['acid', 'smpl', 'list', 'bext', 'id3 ']);

const isInfoList = (b: Uint8Array, body: number, end: number) =>
  end - body >= 4 && b[body] === 0x49 && b[body + 1] === 0x4e && b[body + 2] === 0x46 && b[body + 3] === 0x4f;

/** First offset of a chunk id at or after `from` (a plain byte search, for damaged chunk chains). */
function findId(b: Uint8Array, id: string, from: number): number {
  const first = id.charCodeAt(0);
  for (let p = b.indexOf(first, from); p >= 0 && p + 8 <= b.length; p = b.indexOf(first, p + 1)) {
    if (b[p + 1] === id.charCodeAt(1) && b[p + 2] === id.charCodeAt(2) && b[p + 3] === id.charCodeAt(3))
      return p;
  }
  return -1;
}

/** Four printable ASCII characters: what a chunk id looks like. */
function plausibleId(b: Uint8Array, at: number): boolean {
  if (at + 4 > b.length) return false;
  for (let i = 0; i < 4; i++) if (b[at + i] < 0x20 || b[at + i] > 0x7e) return false;
  return true;
}

/**
 * Offset of the chunk after one of `size` bytes. Odd sizes are padded to even, but some writers
 * skip the pad byte: take whichever position holds a chunk id.
 */
function nextChunk(b: Uint8Array, body: number, size: number): number {
  const padded = body + size + (size & 1);
  if (size & 1 && !plausibleId(b, padded) && plausibleId(b, body + size)) return body + size;
  return padded;
}

function parseFmt(
  b: Uint8Array,
  body: number,
  end: number,
  u16: (at: number) => number,
  u32: (at: number) => number,
): Fmt {
  if (end - body < 16)
    throw new AnalysisFailure('corrupt', 'the WAV fmt chunk is too short to describe the audio');
  let formatTag = u16(body);
  const channels = u16(body + 2);
  const sampleRate = u32(body + 4);
  const blockAlign = u16(body + 12);
  const bitsPerSample = u16(body + 14);
  let validBits = bitsPerSample;
  if (formatTag === 0xfffe) {
    if (end - body < 40)
      throw new AnalysisFailure('corrupt', 'the WAVE_FORMAT_EXTENSIBLE fmt chunk is cut short');
    const vb = u16(body + 18);
    if (vb > 0 && vb <= bitsPerSample) validBits = vb;
    const guid = b.subarray(body + 24, body + 40);
    const tail = Array.from(guid.subarray(2));
    const sameTail = (ref: number[]) => ref.every((x, i) => tail[i] === x);
    const code = guid[0] | (guid[1] << 8);
    if (sameTail(KS_GUID_TAIL)) formatTag = code;
    else if (sameTail(AMBISONIC_GUID_TAIL) && (code === 1 || code === 3)) formatTag = code;
    else {
      throw new AnalysisFailure(
        'unsupported-format',
        'this WAVE_FORMAT_EXTENSIBLE file has a sub-format SampleMind does not know',
      );
    }
  }
  return { formatTag, channels, sampleRate, blockAlign, bitsPerSample, validBits };
}

/** Checks a fmt chunk and turns it into a sample layout, or explains what is wrong. */
export function pcmLayoutOf(fmt: Fmt): { layout: PcmLayout; codec: string; bitDepth: number } {
  const { formatTag, channels, sampleRate, blockAlign, bitsPerSample } = fmt;
  if (channels === 0) throw new AnalysisFailure('corrupt', 'the WAV header says the file has 0 channels');
  if (channels > MAX_CHANNELS) {
    throw new AnalysisFailure(
      'unsupported-format',
      `the WAV header says ${channels} channels; SampleMind decodes up to ${MAX_CHANNELS}`,
    );
  }
  if (sampleRate < 1000 || sampleRate > 1_000_000) {
    throw new AnalysisFailure('corrupt', `the WAV header gives an impossible sample rate (${sampleRate} Hz)`);
  }
  if (blockAlign === 0)
    throw new AnalysisFailure('corrupt', 'the WAV header gives a block align of 0 bytes per frame');
  if (blockAlign % channels !== 0) {
    throw new AnalysisFailure(
      'corrupt',
      `the WAV block align (${blockAlign}) does not split into ${channels} channels`,
    );
  }
  const bytesPerSample = blockAlign / channels;
  const fail = () =>
    new AnalysisFailure(
      'corrupt',
      `the WAV header is inconsistent: ${bitsPerSample}-bit samples in ${bytesPerSample}-byte slots`,
    );
  let encoding: PcmLayout['encoding'];
  if (formatTag === 1) {
    if (bitsPerSample === 0 || bitsPerSample > 32) throw fail();
    if (bytesPerSample < Math.ceil(bitsPerSample / 8) || bytesPerSample > 4) throw fail();
    encoding = bytesPerSample === 1 ? 'uint8' : 'int';
  } else if (formatTag === 3) {
    if (!((bitsPerSample === 32 && bytesPerSample === 4) || (bitsPerSample === 64 && bytesPerSample === 8)))
      throw fail();
    encoding = 'float';
  } else if (formatTag === 6 || formatTag === 7) {
    if (bytesPerSample !== 1) throw fail();
    encoding = formatTag === 6 ? 'alaw' : 'ulaw';
  } else {
    const name = FORMAT_NAMES[formatTag];
    const hex = `0x${formatTag.toString(16).padStart(4, '0')}`;
    throw new AnalysisFailure(
      'unsupported-format',
      name
        ? `this WAV holds ${name}-compressed audio (format ${hex}), which SampleMind does not decode`
        : `this WAV uses sample format ${hex}, which SampleMind does not decode`,
    );
  }
  const layout: PcmLayout = { encoding, bytesPerSample, bigEndian: false, channels, blockAlign };
  const bitDepth =
    encoding === 'alaw' || encoding === 'ulaw' ? 16 : Math.min(fmt.validBits, bytesPerSample * 8);
  return { layout, codec: codecName(encoding, bytesPerSample), bitDepth };
}

export function openWav(b: Uint8Array): AudioSource {
  let parsed: WavParse;
  try {
    parsed = parseWav(b);
  } catch (err) {
    if (err instanceof OutOfBounds) throw new AnalysisFailure('corrupt', 'the WAV header is cut short');
    throw err;
  }
  const { fmt, data, claims, bigEndian } = parsed;
  const { layout, codec, bitDepth } = pcmLayoutOf(fmt);
  layout.bigEndian = bigEndian;
  const frames = Math.floor(data.availableBytes / layout.blockAlign);
  const declaredFrames = Math.floor(data.declaredBytes / layout.blockAlign);
  if (declaredFrames === 0)
    throw new AnalysisFailure('empty', 'the WAV file holds no audio frames (its data chunk is empty)');
  if (frames === 0) {
    throw new AnalysisFailure(
      'corrupt',
      `the WAV file is cut off: its header promises ${declaredFrames} frames but none are present`,
    );
  }
  return pcmSource(
    b,
    {
      container: 'wav',
      codec,
      sampleRate: fmt.sampleRate,
      channels: fmt.channels,
      bitDepth,
      declaredFrames: frames,
    },
    claims.claims,
    { start: data.start, frames, layout, truncated: frames < declaredFrames },
  );
}
