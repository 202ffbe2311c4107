import { AnalysisFailure } from '../errors';
import { cleanText, float80be, OutOfBounds, textAuto } from './bytes';
import { ClaimsBuilder } from './claims-builder';
import { addId3Claims } from './id3';
import { codecName, type PcmLayout, pcmSource } from './pcm';
import type { AudioSource } from './types';

const MAX_CHANNELS = 32;

type Comm = { channels: number; frames: number; sampleSize: number; sampleRate: number; compression: string };

/** AIFF-C compression types that are plain PCM in some byte order; everything else is refused by name. */
const COMPRESSIONS: Record<string, Pick<PcmLayout, 'encoding' | 'bigEndian'> & { bytes?: number }> = {
  NONE: { encoding: 'int', bigEndian: true },
  twos: { encoding: 'int', bigEndian: true },
  sowt: { encoding: 'int', bigEndian: false },
  in24: { encoding: 'int', bigEndian: true, bytes: 3 },
  in32: { encoding: 'int', bigEndian: true, bytes: 4 },
  '23ni': { encoding: 'int', bigEndian: false, bytes: 3 },
  '42ni': { encoding: 'int', bigEndian: false, bytes: 4 },
  fl32: { encoding: 'float', bigEndian: true, bytes: 4 },
  FL32: { encoding: 'float', bigEndian: true, bytes: 4 },
  fl64: { encoding: 'float', bigEndian: true, bytes: 8 },
  FL64: { encoding: 'float', bigEndian: true, bytes: 8 },
  'raw ': { encoding: 'uint8', bigEndian: true, bytes: 1 },
  ulaw: { encoding: 'ulaw', bigEndian: true, bytes: 1 },
  ULAW: { encoding: 'ulaw', bigEndian: true, bytes: 1 },
  alaw: { encoding: 'alaw', bigEndian: true, bytes: 1 },
  ALAW: { encoding: 'alaw', bigEndian: true, bytes: 1 },
};

export function openAiff(b: Uint8Array): AudioSource {
  try {
    return open(b);
  } catch (err) {
    if (err instanceof OutOfBounds) throw new AnalysisFailure('corrupt', 'the AIFF header is cut short');
    throw err;
  }
}

function open(b: Uint8Array): AudioSource {
  if (b.length < 12) throw new AnalysisFailure('corrupt', `the AIFF header is cut short (${b.length} bytes)`);
  const isAifc = b[8] === 0x41 && b[9] === 0x49 && b[10] === 0x46 && b[11] === 0x43; // "AIFC"
  const u32 = (at: number) => {
    if (at + 4 > b.length) throw new OutOfBounds(at);
    return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
  };
  const u16 = (at: number) => {
    if (at + 2 > b.length) throw new OutOfBounds(at);
    return (b[at] << 8) | b[at + 1];
  };

  let comm: Comm | null = null;
  let ssnd: { start: number; end: number } | null = null;
  const chunks: Record<string, Uint8Array> = {};
  let p = 12;
  while (p + 8 <= b.length) {
    const id = String.fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3]);
    if (!/^[\x20-\x7e]{4}$/.test(id)) break;
    const size = u32(p + 4);
    const body = p + 8;
    const end = Math.min(b.length, body + size);
    if (id === 'COMM') {
      if (end - body < 18)
        throw new AnalysisFailure('corrupt', 'the AIFF COMM chunk is too short to describe the audio');
      let compression = 'NONE';
      if (isAifc) {
        if (end - body < 22)
          throw new AnalysisFailure('corrupt', 'the AIFF-C COMM chunk has no compression type');
        compression = String.fromCharCode(...b.subarray(body + 18, body + 22));
      }
      comm = {
        channels: u16(body),
        frames: u32(body + 2),
        sampleSize: u16(body + 6),
        sampleRate: float80be(b, body + 8),
        compression,
      };
    } else if (id === 'SSND' && !ssnd) {
      const offset = u32(body); // then the block size, which nobody uses
      // Streaming writers may leave the size at 0: the sound data then runs to the end.
      const dataEnd = size === 0 ? b.length : end;
      ssnd = { start: body + 8 + offset, end: dataEnd };
      if (body + size >= b.length) break;
    } else if (['MARK', 'INST', 'NAME', 'AUTH', 'ANNO', 'ID3 ', 'id3 '].includes(id) && !(id in chunks)) {
      chunks[id] = b.subarray(body, end);
    }
    p = body + size + (size & 1);
  }

  if (!comm)
    throw new AnalysisFailure('corrupt', 'the AIFF file has no COMM chunk: its sample format is unknown');
  const { channels, sampleRate, compression } = comm;
  if (channels === 0) throw new AnalysisFailure('corrupt', 'the AIFF header says the file has 0 channels');
  if (channels > MAX_CHANNELS) {
    throw new AnalysisFailure(
      'unsupported-format',
      `the AIFF header says ${channels} channels; SampleMind decodes up to ${MAX_CHANNELS}`,
    );
  }
  if (!(sampleRate >= 1000 && sampleRate <= 1_000_000)) {
    throw new AnalysisFailure(
      'corrupt',
      `the AIFF header gives an impossible sample rate (${sampleRate} Hz)`,
    );
  }
  const kind = COMPRESSIONS[compression];
  if (!kind) {
    throw new AnalysisFailure(
      'unsupported-format',
      `this AIFF-C file is compressed with "${compression.trim()}", which SampleMind does not decode`,
    );
  }
  let bytesPerSample = kind.bytes ?? Math.ceil(comm.sampleSize / 8);
  if (kind.encoding === 'int' && kind.bytes === undefined && (comm.sampleSize < 1 || comm.sampleSize > 32)) {
    throw new AnalysisFailure(
      'corrupt',
      `the AIFF header gives an impossible sample size (${comm.sampleSize} bits)`,
    );
  }
  bytesPerSample = Math.max(1, bytesPerSample);
  const blockAlign = bytesPerSample * channels;
  const layout: PcmLayout = {
    encoding: kind.encoding,
    bytesPerSample,
    bigEndian: kind.bigEndian,
    channels,
    blockAlign,
  };

  if (comm.frames === 0) throw new AnalysisFailure('empty', 'the AIFF file holds no audio frames');
  if (!ssnd) throw new AnalysisFailure('corrupt', 'the AIFF file has no SSND chunk (no sound data)');
  const available = Math.max(0, Math.floor((ssnd.end - ssnd.start) / blockAlign));
  const frames = Math.min(available, comm.frames);
  if (frames === 0) {
    throw new AnalysisFailure(
      'corrupt',
      `the AIFF file is cut off: its header promises ${comm.frames} frames but none are present`,
    );
  }

  const claims = aiffClaims(chunks, frames);
  const bitDepth =
    kind.encoding === 'int'
      ? Math.min(comm.sampleSize, bytesPerSample * 8)
      : kind.encoding === 'float'
        ? bytesPerSample * 8
        : kind.encoding === 'uint8'
          ? 8
          : 16;
  return pcmSource(
    b,
    {
      container: 'aiff',
      codec: codecName(kind.encoding, bytesPerSample),
      sampleRate: Math.round(sampleRate),
      channels,
      bitDepth,
      declaredFrames: frames,
    },
    claims.claims,
    { start: ssnd.start, frames, layout, truncated: frames < comm.frames },
  );
}

function aiffClaims(chunks: Record<string, Uint8Array>, frames: number): ClaimsBuilder {
  const claims = new ClaimsBuilder();
  const inst = chunks.INST;
  if (inst && inst.length >= 20) {
    const baseNote = (inst[0] << 24) >> 24;
    claims.rootNote(baseNote, 'inst');
    const playMode = (inst[8] << 8) | inst[9];
    if (playMode === 1 || playMode === 2) {
      const markers = readMarkers(chunks.MARK);
      const start = markers.get((inst[10] << 8) | inst[11]);
      const end = markers.get((inst[12] << 8) | inst[13]);
      if (start !== undefined && end !== undefined && end > start && start <= frames) {
        claims.set('loopPoints', [{ start, end }], 'inst');
      }
    }
  }
  const id3 = chunks['ID3 '] ?? chunks['id3 '];
  if (id3) addId3Claims(id3, claims);
  const text = (c: Uint8Array | undefined) => (c ? cleanText(textAuto(c)) : null);
  claims.text('title', text(chunks.NAME), 'aiff');
  claims.text('artist', text(chunks.AUTH), 'aiff');
  claims.text('comment', text(chunks.ANNO), 'aiff');
  return claims;
}

/** MARK: count, then (id, position, Pascal-string name padded to even) per marker. */
function readMarkers(mark: Uint8Array | undefined): Map<number, number> {
  const out = new Map<number, number>();
  if (!mark || mark.length < 2) return out;
  const count = (mark[0] << 8) | mark[1];
  let p = 2;
  for (let i = 0; i < count && p + 7 <= mark.length; i++) {
    const id = (mark[p] << 8) | mark[p + 1];
    const position = ((mark[p + 2] << 24) | (mark[p + 3] << 16) | (mark[p + 4] << 8) | mark[p + 5]) >>> 0;
    const nameLength = mark[p + 6];
    out.set(id, position);
    p += 6 + 1 + nameLength + ((1 + nameLength) & 1);
  }
  return out;
}
