import { describe, expect, it } from 'vitest';
import { parseKeyLabel } from './keys';
import { formatViewQuery, parseViewQuery } from './url-state';
import { DEFAULT_QUERY, type ViewQuery } from './view-query';

describe('view query in the URL', () => {
  it('gives a plain URL for the default view and parses it back', () => {
    expect(formatViewQuery(DEFAULT_QUERY)).toBe('');
    expect(parseViewQuery('')).toEqual(DEFAULT_QUERY);
  });

  it('round-trips every field', () => {
    const q: ViewQuery = {
      text: 'dusty kick',
      types: ['kick', 'drum-loop'],
      keys: [parseKeyLabel('F#m'), parseKeyLabel('Eb')],
      compatible: true,
      bpmMin: 120,
      bpmMax: 128.5,
      halfDouble: true,
      durMin: null,
      durMax: 2,
      loop: 'oneshot',
      tags: [3, 14],
      collection: 7,
      folder: 'Drums/Kicks',
      status: 'duplicates',
      sort: 'bpm',
      desc: false,
    };
    const url = formatViewQuery(q);
    expect(parseViewQuery(url)).toEqual(q);
    expect(url).toContain('key=F%23m%2CEb');
  });

  it('ignores malformed or unknown values instead of failing', () => {
    const q = parseViewQuery(
      '?type=kick,banjo&key=H,Am&bpm=abc-140&sort=colour&status=nope&loop=maybe&tags=1,x',
    );
    expect(q.types).toEqual(['kick']);
    expect(q.keys).toEqual([parseKeyLabel('Am')]);
    expect(q.bpmMin).toBeNull();
    expect(q.bpmMax).toBe(140);
    expect(q.sort).toBe(DEFAULT_QUERY.sort);
    expect(q.status).toBe('any');
    expect(q.loop).toBe('any');
    expect(q.tags).toEqual([1]);
  });
});
