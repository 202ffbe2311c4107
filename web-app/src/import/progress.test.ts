import { describe, expect, it } from 'vitest';
import { RateMeter } from './progress';

describe('RateMeter', () => {
  it('measures files per second over the window, forgetting older completions', () => {
    const m = new RateMeter(2000);
    for (let t = 0; t < 1000; t += 100) m.tick(t);
    expect(m.rate(1000, 0)).toBeCloseTo(10, 5);
    m.tick(5000);
    expect(m.rate(5000, 0)).toBeCloseTo(0.5, 5);
  });
});
