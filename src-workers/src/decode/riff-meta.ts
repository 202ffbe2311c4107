import { cleanText, textAuto } from './bytes';
import type { ClaimsBuilder } from './claims-builder';

/** A chunk's payload and the byte order of its container (RIFF little, RIFX big). */
export type ChunkBody = { data: Uint8Array; bigEndian: boolean };

const u16 = (c: ChunkBody, at: number) =>
  c.bigEndian ? (c.data[at] << 8) | c.data[at + 1] : c.data[at] | (c.data[at + 1] << 8);
const u32 = (c: ChunkBody, at: number) =>
  (c.bigEndian
    ? (c.data[at] << 24) | (c.data[at + 1] << 16) | (c.data[at + 2] << 8) | c.data[at + 3]
    : c.data[at] | (c.data[at + 1] << 8) | (c.data[at + 2] << 16) | (c.data[at + 3] << 24)) >>> 0;
const f32 = (c: ChunkBody, at: number) =>
  new DataView(c.data.buffer, c.data.byteOffset + at, 4).getFloat32(0, !c.bigEndian);

/**
 * ACID loop information (24 bytes): flags (bit 0 one-shot, bit 1 root note set), root note,
 * two unknown fields, number of beats, meter, tempo. ACID stores the root as a MIDI note in
 * octave 3 (C = 48): treat its octave as a convention, its pitch class as the claim.
 */
export function addAcidClaims(c: ChunkBody, claims: ClaimsBuilder): void {
  if (c.data.length < 24) return;
  const flags = u32(c, 0);
  const oneShot = (flags & 1) !== 0;
  claims.set('isLoop', !oneShot, 'acid');
  if (flags & 2) claims.rootNote(u16(c, 4), 'acid');
  const tempo = f32(c, 20);
  if (!oneShot) claims.bpm(tempo, 'acid');
}

/**
 * Sampler chunk: MIDI unity note at 12, loop count at 28, loops of 24 bytes from 36 (start and
 * end frames at +8/+12; smpl's end is inclusive, the claim's end is exclusive).
 */
export function addSmplClaims(c: ChunkBody, claims: ClaimsBuilder): void {
  if (c.data.length < 36) return;
  claims.rootNote(u32(c, 12), 'smpl');
  const count = Math.min(u32(c, 28), Math.floor((c.data.length - 36) / 24));
  const loops: { start: number; end: number }[] = [];
  for (let i = 0; i < count; i++) {
    const start = u32(c, 36 + i * 24 + 8);
    const end = u32(c, 36 + i * 24 + 12);
    if (end >= start) loops.push({ start, end: end + 1 });
  }
  claims.set('loopPoints', loops, 'smpl');
}

const INFO_FIELDS = { INAM: 'title', IART: 'artist', IGNR: 'genre', ICMT: 'comment' } as const;

/** LIST/INFO text entries. (INFO's IKEY means "keywords", not a musical key: ignored.) */
export function addListInfoClaims(c: ChunkBody, claims: ClaimsBuilder): void {
  const d = c.data;
  if (d.length < 4 || String.fromCharCode(d[0], d[1], d[2], d[3]) !== 'INFO') return;
  let p = 4;
  while (p + 8 <= d.length) {
    const id = String.fromCharCode(d[p], d[p + 1], d[p + 2], d[p + 3]);
    const size = u32(c, p + 4);
    const end = Math.min(d.length, p + 8 + size);
    const field = INFO_FIELDS[id as keyof typeof INFO_FIELDS];
    if (field) claims.text(field, cleanText(textAuto(d.subarray(p + 8, end))), 'info');
    p = p + 8 + size + (size & 1);
  }
}

/** Broadcast WAV: the 256-byte Description is the only field that reads like a comment. */
export function addBextClaims(c: ChunkBody, claims: ClaimsBuilder): void {
  if (c.data.length < 256) return;
  claims.text('comment', cleanText(textAuto(c.data.subarray(0, 256))), 'bext');
}
