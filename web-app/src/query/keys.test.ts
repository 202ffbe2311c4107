import { describe, expect, it } from 'vitest';
import { camelotOfCode, compatibleKeys, keyCode, keyLabel, keyOfCode, parseKeyLabel } from './keys';

describe('key codes', () => {
  it('round-trips every key through code and label', () => {
    for (let c = 0; c < 24; c++) {
      const k = keyOfCode(c)!;
      expect(keyCode(k.tonic, k.scale)).toBe(c);
      expect(parseKeyLabel(keyLabel(c))).toBe(c);
    }
    expect(keyCode(null, 'minor')).toBe(-1);
    expect(parseKeyLabel('H#')).toBe(-1);
  });

  it('finds the Camelot neighbours of A minor (8A): 8B C major, 7A D minor, 9A E minor', () => {
    const am = parseKeyLabel('Am');
    expect(camelotOfCode(am)).toBe('8A');
    const labels = compatibleKeys(am).map(keyLabel).sort();
    expect(labels).toEqual(['Am', 'C', 'Dm', 'Em'].sort());
  });

  it('wraps around the wheel at 12 and 1', () => {
    // Ab minor is 1A, Db minor is 12A.
    expect(compatibleKeys(parseKeyLabel('Abm')).map(camelotOfCode).sort()).toEqual(['12A', '1A', '1B', '2A']);
    expect(compatibleKeys(parseKeyLabel('Dbm')).map(camelotOfCode).sort()).toEqual([
      '11A',
      '12A',
      '12B',
      '1A',
    ]);
  });
});
