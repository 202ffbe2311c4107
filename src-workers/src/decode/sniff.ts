import { AnalysisFailure } from '../errors';
import { id3v2Length } from './id3';
import { findMpegStream } from './mpeg-header';

export type Sniffed = {
  format: 'wav' | 'aiff' | 'flac' | 'mp3' | 'ogg';
  /** Where the container starts (after any ID3v2 tags for FLAC and MP3). */
  start: number;
  /** ID3v2 tags in front of the stream, for their claims. */
  id3: Uint8Array[];
};

const MPEG_SCAN_BYTES = 64 * 1024;

/**
 * Identifies the container from its bytes; the file name is never consulted. Anything that is
 * not a supported audio container fails with a message saying what it looks like instead.
 */
export function sniff(b: Uint8Array): Sniffed {
  if (b.length === 0) throw new AnalysisFailure('empty', 'the file is empty (0 bytes)');
  const id3: Uint8Array[] = [];
  let start = 0;
  // Some taggers stack several ID3v2 tags, or pad after one with zeros.
  for (let guard = 0; guard < 16; guard++) {
    const len = id3v2Length(b, start);
    if (len === 0) break;
    id3.push(b.subarray(start, Math.min(b.length, start + len)));
    start += len;
    const padEnd = start + 65536;
    while (start < b.length && start < padEnd && b[start] === 0) start++;
  }
  if (id3.length > 0 && start >= b.length) {
    throw new AnalysisFailure('empty', 'the file holds only an ID3 tag and no audio');
  }
  const at = (s: string, o = start) => s.split('').every((c, i) => b[o + i] === c.charCodeAt(0));

  if (start === 0) {
    if (at('RIFF') || at('RIFX') || at('RF64') || at('BW64')) {
      if (b.length >= 12 && at('WAVE', 8)) return { format: 'wav', start: 0, id3 };
      if (b.length < 12)
        throw new AnalysisFailure(
          'corrupt',
          'the file starts like a WAV file but is cut off after the first bytes',
        );
      throw notAudio(riffKind(String.fromCharCode(b[8], b[9], b[10], b[11])));
    }
    if (at('FORM')) {
      if (b.length >= 12 && (at('AIFF', 8) || at('AIFC', 8))) return { format: 'aiff', start: 0, id3 };
      if (b.length < 12)
        throw new AnalysisFailure(
          'corrupt',
          'the file starts like an AIFF file but is cut off after the first bytes',
        );
      const form = String.fromCharCode(b[8], b[9], b[10], b[11]);
      throw unsupported(`this is an IFF "${form.trim()}" file, not AIFF audio`);
    }
    if (at('OggS')) return { format: 'ogg', start: 0, id3 };
  }
  if (at('fLaC')) return { format: 'flac', start, id3 };
  const mpeg = findMpegStream(b, start, start + MPEG_SCAN_BYTES);
  if (mpeg >= 0 && !looksLikeAdts(b, mpeg)) return { format: 'mp3', start: mpeg, id3 };
  if (id3.length > 0) {
    throw unsupported('this file has an ID3 tag, but what follows is neither MP3 nor FLAC audio');
  }
  throw describeNonAudio(b);
}

function looksLikeAdts(b: Uint8Array, at: number): boolean {
  return b[at] === 0xff && (b[at + 1] & 0xf6) === 0xf0; // layer bits 00: AAC, not MPEG audio
}

const unsupported = (message: string) => new AnalysisFailure('unsupported-format', message);
const notAudio = (what: string) => unsupported(`this is ${what}, not audio`);

function riffKind(form: string): string {
  if (form === 'AVI ') return 'an AVI video';
  if (form === 'WEBP') return 'a WebP image';
  if (form === 'RMID') return 'a RIFF MIDI file (notes)';
  if (form === 'ACON') return 'an animated cursor';
  return `a RIFF "${form.trim()}" file`;
}

/** What the bytes look like when they are not a supported audio container. */
function describeNonAudio(b: Uint8Array): AnalysisFailure {
  const at = (s: string, o = 0) => s.split('').every((c, i) => b[o + i] === c.charCodeAt(0));
  const bytesAt = (xs: number[], o = 0) => xs.every((x, i) => b[o + i] === x);
  if (bytesAt([0x89, 0x50, 0x4e, 0x47])) return notAudio('a PNG image');
  if (bytesAt([0xff, 0xd8, 0xff])) return notAudio('a JPEG image');
  if (at('GIF87a') || at('GIF89a')) return notAudio('a GIF image');
  if (at('%PDF')) return notAudio('a PDF document');
  if (bytesAt([0x50, 0x4b, 0x03, 0x04]) || bytesAt([0x50, 0x4b, 0x05, 0x06]))
    return notAudio('a ZIP archive');
  if (bytesAt([0x1f, 0x8b])) return notAudio('a gzip-compressed file');
  if (bytesAt([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return notAudio('a 7-Zip archive');
  if (at('Rar!')) return notAudio('a RAR archive');
  if (bytesAt([0x7f, 0x45, 0x4c, 0x46])) return notAudio('an executable program');
  if (at('MThd')) return notAudio('a MIDI file (notes)');
  if (at('ftyp', 4)) {
    const brand = String.fromCharCode(b[8], b[9], b[10], b[11]);
    if (/^(M4A |M4B |M4P |mp42|mp41|isom|iso\d|dash)/.test(brand)) {
      return unsupported('this is an MP4/M4A file (AAC or ALAC audio), which SampleMind does not decode yet');
    }
    if (brand.startsWith('qt')) return notAudio('a QuickTime movie');
    if (/^(heic|heix|mif1|avif)/.test(brand)) return notAudio('a HEIF/AVIF image');
    return unsupported(
      `this is an ISO media file (brand "${brand.trim()}"), which SampleMind does not decode`,
    );
  }
  if (bytesAt([0x1a, 0x45, 0xdf, 0xa3]))
    return unsupported('this is a Matroska/WebM file, which SampleMind does not decode');
  if (at('caff')) return unsupported('this is a Core Audio (CAF) file, which SampleMind does not decode yet');
  if (at('.snd')) return unsupported('this is a Sun/NeXT AU file, which SampleMind does not decode yet');
  if (at('MAC ')) return unsupported("this is a Monkey's Audio (APE) file, which SampleMind does not decode");
  if (at('wvpk')) return unsupported('this is a WavPack file, which SampleMind does not decode');
  if (at('TTA1')) return unsupported('this is a TTA file, which SampleMind does not decode');
  if (at('#!AMR')) return unsupported('this is an AMR speech file, which SampleMind does not decode');
  if (bytesAt([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) {
    return unsupported('this is a Windows Media (WMA/ASF) file, which SampleMind does not decode');
  }
  if (b.length >= 2 && b[0] === 0xff && (b[1] & 0xf6) === 0xf0) {
    return unsupported('this is raw AAC (ADTS) audio, which SampleMind does not decode yet');
  }
  if (at('BM') && b.length >= 6 && (b[2] | (b[3] << 8) | (b[4] << 16) | (b[5] << 24)) === b.length) {
    return notAudio('a BMP image');
  }
  const text = textKind(b);
  if (text) return notAudio(text);
  return unsupported('this does not look like audio: no WAV, AIFF, FLAC, MP3 or Ogg Vorbis signature');
}

/** "plain text", "an HTML document", … when the first bytes are text; null otherwise. */
function textKind(b: Uint8Array): string | null {
  const head = b.subarray(0, 1024);
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  for (; i < head.length; i++) {
    const c = head[i];
    if (c === 9 || c === 10 || c === 13 || (c >= 0x20 && c < 0x7f)) continue;
    // UTF-8 multi-byte sequence (a cut one at the very end is fine).
    const extra = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (extra < 0) return null;
    for (let k = 1; k <= extra && i + k < head.length; k++) if ((head[i + k] & 0xc0) !== 0x80) return null;
    i += extra;
  }
  const start = new TextDecoder().decode(head.subarray(0, 64)).trimStart().toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'an HTML document';
  if (start.startsWith('<?xml') || start.startsWith('<')) return 'an XML document';
  if (start.startsWith('{') || start.startsWith('[')) return 'JSON text';
  return 'plain text';
}
