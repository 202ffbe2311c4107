import type { ClaimedMetadata } from '@samplemind/contract';
import { parseKeyText } from './key-text';

type Field = 'bpm' | 'key' | 'rootNote' | 'isLoop' | 'title' | 'artist' | 'genre' | 'comment' | 'loopPoints';

/**
 * Collects claims from several metadata blocks of one file. The first source to set a field
 * wins, so callers add the most specific source first (acid before ID3, say).
 */
export class ClaimsBuilder {
  readonly claims: Partial<ClaimedMetadata> & { sources: Record<string, string> } = { sources: {} };

  set<F extends Field>(field: F, value: ClaimedMetadata[F] | null | undefined, source: string): void {
    if (value === null || value === undefined) return;
    if (typeof value === 'string' && value.trim() === '') return;
    if (Array.isArray(value) && value.length === 0) return;
    const existing = this.claims[field];
    if (existing !== undefined && existing !== null) return;
    (this.claims as Record<string, unknown>)[field] = value;
    this.claims.sources[field] = source;
  }

  /** A tempo as written in a tag ("120", "92.5", "120 BPM"); ignored unless plausible. */
  bpmText(text: string | null | undefined, source: string): void {
    if (!text) return;
    const m = /^\s*(\d{1,3}(?:[.,]\d+)?)\s*(?:bpm)?\s*$/i.exec(text);
    if (!m) return;
    this.bpm(Number(m[1].replace(',', '.')), source);
  }

  bpm(value: number, source: string): void {
    if (Number.isFinite(value) && value >= 20 && value <= 400)
      this.set('bpm', Math.round(value * 1000) / 1000, source);
  }

  keyText(text: string | null | undefined, source: string): void {
    if (!text) return;
    this.set('key', parseKeyText(text), source);
  }

  rootNote(note: number, source: string): void {
    if (Number.isInteger(note) && note >= 0 && note <= 127) this.set('rootNote', note, source);
  }

  text(
    field: 'title' | 'artist' | 'genre' | 'comment',
    value: string | null | undefined,
    source: string,
  ): void {
    if (value === null || value === undefined) return;
    // A tag holds at most a line or two; cap what we carry around.
    this.set(field, value.trim().slice(0, 1000), source);
  }
}
