import { utf8 } from './bytes';
import type { ClaimsBuilder } from './claims-builder';

/**
 * A Vorbis comment block (FLAC's VORBIS_COMMENT, or an Ogg comment packet after its 7-byte
 * "\x03vorbis" prefix): vendor string, then "NAME=value" entries, all lengths little-endian.
 * Returns upper-cased names → values; a damaged block yields what was readable.
 */
export function readVorbisComments(b: Uint8Array): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const u32 = (at: number) =>
    at + 4 <= b.length ? (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0 : -1;
  const vendor = u32(0);
  if (vendor < 0) return out;
  let p = 4 + vendor;
  const count = u32(p);
  p += 4;
  if (count < 0) return out;
  for (let i = 0; i < count && p + 4 <= b.length; i++) {
    const len = u32(p);
    p += 4;
    if (len < 0 || p + len > b.length) break;
    const entry = utf8(b.subarray(p, p + len));
    p += len;
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const name = entry.slice(0, eq).toUpperCase();
    const list = out.get(name) ?? [];
    list.push(entry.slice(eq + 1));
    out.set(name, list);
  }
  return out;
}

export function addVorbisCommentClaims(block: Uint8Array, claims: ClaimsBuilder): void {
  const c = readVorbisComments(block);
  const first = (...names: string[]) => {
    for (const n of names) {
      const v = c.get(n)?.find((x) => x.trim() !== '');
      if (v !== undefined) return v.trim();
    }
    return null;
  };
  const source = 'vorbis-comment';
  claims.bpmText(first('BPM', 'TEMPO', 'TBPM'), source);
  claims.keyText(first('KEY', 'INITIALKEY', 'INITIAL_KEY', 'TKEY'), source);
  claims.text('title', first('TITLE'), source);
  claims.text('artist', first('ARTIST', 'PERFORMER'), source);
  claims.text('genre', first('GENRE'), source);
  claims.text('comment', first('COMMENT', 'DESCRIPTION'), source);
}
