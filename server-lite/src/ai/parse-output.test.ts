import { describe, expect, it } from 'vitest';
import { extractJson, parseModelOutput, slug } from './parse-output';

const item = (ref: string, extra: object = {}) => ({
  ref,
  description: `Sample ${ref}. A second sentence.`,
  tags: ['kick'],
  genres: [{ name: 'techno', confidence: 0.5 }],
  moods: [],
  productionTips: [],
  creativeIdeas: [],
  ...extra,
});

describe('extractJson', () => {
  it('finds JSON alone, in a fence, or wrapped in prose', () => {
    expect(extractJson('{"a":1}')).toEqual({ a: 1 });
    expect(extractJson('Here:\n```json\n{"a":2}\n```\nThanks')).toEqual({ a: 2 });
    expect(extractJson('Sure, the answer is {"a":3} as requested.')).toEqual({ a: 3 });
    expect(extractJson('[1,2]')).toEqual([1, 2]);
  });

  it('gives up on text without complete JSON', () => {
    expect(extractJson('no json here')).toBeUndefined();
    expect(extractJson('{"items": [')).toBeUndefined();
    expect(extractJson('')).toBeUndefined();
  });
});

describe('parseModelOutput', () => {
  it('matches items by ref, whatever their order', () => {
    const r = parseModelOutput(JSON.stringify({ items: [item('s2'), item('s1')] }), 2);
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.items.map((i) => i.description)).toEqual([
        'Sample s1. A second sentence.',
        'Sample s2. A second sentence.',
      ]);
  });

  it('falls back to order only when refs are absent and the count fits', () => {
    const noRefs = [item(''), item('')].map(({ ref: _ref, ...rest }) => rest);
    expect(parseModelOutput(JSON.stringify({ items: noRefs }), 2).ok).toBe(true);
    expect(parseModelOutput(JSON.stringify({ items: noRefs }), 3)).toEqual({
      ok: false,
      problem: 'items missing for s1, s2, s3',
    });
  });

  it('accepts a bare array and a bare single item', () => {
    expect(parseModelOutput(JSON.stringify([item('s1')]), 1).ok).toBe(true);
    expect(parseModelOutput(JSON.stringify(item('s1')), 1).ok).toBe(true);
  });

  it('names what is missing so the repair prompt can say it', () => {
    expect(parseModelOutput('{"items":[]}', 1)).toEqual({ ok: false, problem: 'items missing for s1' });
    expect(parseModelOutput('{"result": "x"}', 1)).toEqual({
      ok: false,
      problem: 'the JSON had no "items" array',
    });
    expect(parseModelOutput('oops', 1)).toEqual({ ok: false, problem: 'it was not valid JSON' });
    const r = parseModelOutput(JSON.stringify({ items: [item('s1', { description: '  ' })] }), 1);
    expect(r).toEqual({ ok: false, problem: 's1: no "description" text' });
  });

  it('maps tags, genres and moods onto the vocabulary and keeps the rest as free tags', () => {
    const r = parseModelOutput(
      JSON.stringify({
        items: [
          item('s1', {
            tags: ['Hi-Hats', 'LO FI', 'tape', 'a very long free tag with many words', 'techno'],
            freeTags: ['Tape', '909'],
            genres: [
              { name: 'D&B', confidence: 0.4 },
              { name: 'Hip Hop', confidence: '90%' },
              { name: 'unknown-genre', confidence: 1 },
              { name: 'house', confidence: 'high' },
            ],
            moods: [{ mood: 'Chilled', score: 70 }],
          }),
        ],
      }),
      1,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const a = r.items[0]!;
    expect(a.tags).toEqual(['hihat', 'lo-fi']);
    // Genres said as tags are not free tags.
    expect(a.freeTags).toEqual(['tape', '909']);
    expect(a.genres).toEqual([
      { name: 'hip-hop', confidence: 0.9 },
      { name: 'drum-and-bass', confidence: 0.4 },
    ]);
    expect(a.moods).toEqual([{ name: 'chill', confidence: 0.7 }]);
  });

  it('keeps two sentences and clips overlong text instead of rejecting it', () => {
    const long = 'word '.repeat(120);
    const r = parseModelOutput(
      JSON.stringify({
        items: [
          item('s1', {
            description: 'At 124.5 BPM it drives. It is dark! A third one? Dropped.',
            productionTips: [long, 'Two', 'Three', 'Four', 'Five'],
          }),
        ],
      }),
      1,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.items[0]!.description).toBe('At 124.5 BPM it drives. It is dark!');
    expect(r.items[0]!.productionTips).toHaveLength(4);
    expect(r.items[0]!.productionTips[0]!.length).toBeLessThanOrEqual(300);
    expect(r.items[0]!.productionTips[0]!.endsWith('…')).toBe(true);
  });
});

describe('slug', () => {
  it('normalises spelling and aliases', () => {
    expect(slug(' Hi Hat ')).toBe('hihat');
    expect(slug('R&B')).toBe('rnb');
    expect(slug('drum_and_bass')).toBe('drum-and-bass');
    expect(slug('Lo-Fi Hip Hop')).toBe('lo-fi-hip-hop');
  });
});
