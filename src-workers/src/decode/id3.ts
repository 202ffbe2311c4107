import { cleanText, latin1, utf8, utf16 } from './bytes';
import type { ClaimsBuilder } from './claims-builder';

/** Size in bytes of the ID3v2 tag at `at` (header and footer included), or 0 when there is none. */
export function id3v2Length(b: Uint8Array, at = 0): number {
  if (at + 10 > b.length || b[at] !== 0x49 || b[at + 1] !== 0x44 || b[at + 2] !== 0x33) return 0;
  const major = b[at + 3];
  if (major < 2 || major > 4 || b[at + 4] === 0xff) return 0;
  if ((b[at + 6] | b[at + 7] | b[at + 8] | b[at + 9]) & 0x80) return 0; // not syncsafe: not a tag
  const size = syncsafe(b, at + 6);
  const footer = major === 4 && b[at + 5] & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

const syncsafe = (b: Uint8Array, at: number) =>
  (b[at] << 21) | (b[at + 1] << 14) | (b[at + 2] << 7) | b[at + 3];

/** Undo ID3 unsynchronisation (FF 00 → FF). */
function resync(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    out[n++] = b[i];
    if (b[i] === 0xff && b[i + 1] === 0x00) i++;
  }
  return out.subarray(0, n);
}

/** Frames of an ID3v2.2/2.3/2.4 tag as id → raw payloads (first occurrence first). */
export function readId3Frames(tag: Uint8Array): Map<string, Uint8Array[]> {
  const frames = new Map<string, Uint8Array[]>();
  if (tag.length < 10) return frames;
  const major = tag[3];
  const flags = tag[5];
  let body = tag.subarray(10, Math.min(tag.length, 10 + syncsafe(tag, 6)));
  if (major < 4 && flags & 0x80) body = resync(body);
  let p = 0;
  if (flags & 0x40 && major >= 3) {
    // Extended header: v2.3 size excludes its own 4 bytes; v2.4 size is syncsafe and includes them.
    const ext = major === 3 ? 4 + readU32(body, 0) : syncsafe(body, 0);
    p = Math.min(body.length, ext);
  }
  const idLen = major === 2 ? 3 : 4;
  const headLen = major === 2 ? 6 : 10;
  while (p + headLen <= body.length) {
    if (body[p] === 0) break; // padding
    const id = String.fromCharCode(...body.subarray(p, p + idLen));
    if (!/^[A-Z0-9]+$/.test(id)) break;
    let size: number;
    if (major === 2) size = (body[p + 3] << 16) | (body[p + 4] << 8) | body[p + 5];
    else if (major === 3) size = readU32(body, p + 4);
    else size = syncsafe(body, p + 4);
    const formatFlags = major === 2 ? 0 : body[p + 9];
    const start = p + headLen;
    const end = start + size;
    if (size <= 0 || end > body.length) break;
    let payload = body.subarray(start, end);
    const compressedOrEncrypted = major === 3 ? formatFlags & 0xc0 : major === 4 ? formatFlags & 0x0c : 0;
    if (!compressedOrEncrypted) {
      if (major === 4) {
        if (formatFlags & 0x01) payload = payload.subarray(4); // data length indicator
        if (formatFlags & 0x02) payload = resync(payload);
      }
      const list = frames.get(id) ?? [];
      list.push(payload);
      frames.set(id, list);
    }
    p = end;
  }
  return frames;
}

const readU32 = (b: Uint8Array, at: number) =>
  at + 4 <= b.length ? ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0 : 0;

/** Text in one of ID3's four encodings; returns the NUL-separated values. */
function decodeText(encoding: number, b: Uint8Array): string[] {
  const parts: string[] = [];
  if (encoding === 1 || encoding === 2) {
    // UTF-16: values end at an aligned 00 00.
    let start = 0;
    for (let i = 0; i + 1 < b.length; i += 2) {
      if (b[i] === 0 && b[i + 1] === 0) {
        parts.push(decodeUtf16(b.subarray(start, i), encoding === 2));
        start = i + 2;
      }
    }
    if (start < b.length) parts.push(decodeUtf16(b.subarray(start), encoding === 2));
  } else {
    let start = 0;
    for (let i = 0; i <= b.length; i++) {
      if (i === b.length || b[i] === 0) {
        const part = b.subarray(start, i);
        parts.push(encoding === 3 ? utf8(part) : latin1(part));
        start = i + 1;
      }
    }
  }
  return parts;
}

function decodeUtf16(b: Uint8Array, defaultBigEndian: boolean): string {
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return utf16(b.subarray(2), false);
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return utf16(b.subarray(2), true);
  return utf16(b, defaultBigEndian);
}

function textFrame(frames: Map<string, Uint8Array[]>, ...ids: string[]): string | null {
  for (const id of ids) {
    const payload = frames.get(id)?.[0];
    if (!payload || payload.length < 2) continue;
    for (const value of decodeText(payload[0], payload.subarray(1))) {
      const t = cleanText(value);
      if (t) return t;
    }
  }
  return null;
}

/** COMM / COM: encoding, language, short description, text. iTunes' machine-readable comments are skipped. */
function commentFrame(frames: Map<string, Uint8Array[]>): string | null {
  for (const id of ['COMM', 'COM']) {
    for (const payload of frames.get(id) ?? []) {
      if (payload.length < 5) continue;
      const [description, ...rest] = decodeText(payload[0], payload.subarray(4));
      if (description?.startsWith('iTun')) continue;
      const text = cleanText(rest.join(' '));
      if (text) return text;
    }
  }
  return null;
}

/** TXXX: a user-defined text frame, matched by description (case-insensitive). */
function userText(frames: Map<string, Uint8Array[]>, names: string[]): string | null {
  for (const id of ['TXXX', 'TXX']) {
    for (const payload of frames.get(id) ?? []) {
      if (payload.length < 2) continue;
      const [description, ...values] = decodeText(payload[0], payload.subarray(1));
      if (!names.includes((description ?? '').trim().toLowerCase())) continue;
      const text = cleanText(values.join(''));
      if (text) return text;
    }
  }
  return null;
}

/** "(17)", "17", "(17)Rock", "Rock" → a genre name. */
function genreName(text: string | null): string | null {
  if (!text) return null;
  const m = /^\(?(\d{1,3})\)?(.*)$/.exec(text);
  if (m) {
    const named = cleanText(m[2]);
    if (named) return named;
    return ID3V1_GENRES[Number(m[1])] ?? null;
  }
  if (text === '(RX)') return 'Remix';
  if (text === '(CR)') return 'Cover';
  return text;
}

/** Adds the claims of an ID3v2 tag (`tag` starts at "ID3"). Damaged frames are skipped, never fatal. */
export function addId3Claims(tag: Uint8Array, claims: ClaimsBuilder): void {
  const frames = readId3Frames(tag);
  const source = 'id3';
  claims.bpmText(textFrame(frames, 'TBPM', 'TBP') ?? userText(frames, ['bpm', 'tempo']), source);
  claims.keyText(
    textFrame(frames, 'TKEY', 'TKE') ?? userText(frames, ['key', 'initialkey', 'initial key']),
    source,
  );
  claims.text('title', textFrame(frames, 'TIT2', 'TT2'), source);
  claims.text('artist', textFrame(frames, 'TPE1', 'TP1'), source);
  claims.text('genre', genreName(textFrame(frames, 'TCON', 'TCO')), source);
  claims.text('comment', commentFrame(frames), source);
}

// ID3v1 genres 0-79 (the original list; later Winamp additions are rarely meaningful for samples).
const ID3V1_GENRES = [
  'Blues',
  'Classic Rock',
  'Country',
  'Dance',
  'Disco',
  'Funk',
  'Grunge',
  'Hip-Hop',
  'Jazz',
  'Metal',
  'New Age',
  'Oldies',
  'Other',
  'Pop',
  'R&B',
  'Rap',
  'Reggae',
  'Rock',
  'Techno',
  'Industrial',
  'Alternative',
  'Ska',
  'Death Metal',
  'Pranks',
  'Soundtrack',
  'Euro-Techno',
  'Ambient',
  'Trip-Hop',
  'Vocal',
  'Jazz+Funk',
  'Fusion',
  'Trance',
  'Classical',
  'Instrumental',
  'Acid',
  'House',
  'Game',
  'Sound Clip',
  'Gospel',
  'Noise',
  'AlternRock',
  'Bass',
  'Soul',
  'Punk',
  'Space',
  'Meditative',
  'Instrumental Pop',
  'Instrumental Rock',
  'Ethnic',
  'Gothic',
  'Darkwave',
  'Techno-Industrial',
  'Electronic',
  'Pop-Folk',
  'Eurodance',
  'Dream',
  'Southern Rock',
  'Comedy',
  'Cult',
  'Gangsta',
  'Top 40',
  'Christian Rap',
  'Pop/Funk',
  'Jungle',
  'Native American',
  'Cabaret',
  'New Wave',
  'Psychadelic',
  'Rave',
  'Showtunes',
  'Trailer',
  'Lo-Fi',
  'Tribal',
  'Acid Punk',
  'Acid Jazz',
  'Polka',
  'Retro',
  'Musical',
  'Rock & Roll',
  'Hard Rock',
];
