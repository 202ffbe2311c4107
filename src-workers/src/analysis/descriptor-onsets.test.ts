import { describe, expect, it } from 'vitest';
import { createContext } from '../context';
import { onsets } from './descriptor-onsets';
import { concat, hat, kick, RATE, silence, tone } from './descriptor-test-signals';

const count = (x: Float32Array) => onsets(createContext(x, RATE)).frames.length;

describe('onsets', () => {
  it('counts hits in a sequence, including one at the very start', () => {
    const bar = concat(
      kick({ seconds: 0.25 }),
      hat({ seconds: 0.25 }),
      kick({ seconds: 0.25 }),
      hat({ seconds: 0.25 }),
    );
    expect(count(bar)).toBe(4);
    expect(count(concat(silence(0.3), bar))).toBe(4);
  });

  it('finds one onset in a single sustained note and none in silence', () => {
    expect(count(tone(330, { hold: 1 }))).toBe(1);
    expect(count(silence(1))).toBe(0);
  });
});
