import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff';
import { formatHlc, HLC_ZERO, nextHlc, observeHlc, parseHlc } from './hlc';

describe('HLC', () => {
  it('formats and parses the contract shape', () => {
    expect(formatHlc(1732700000000, 3)).toBe('1732700000000-0003');
    expect(parseHlc('1732700000000-0003')).toEqual({ ms: 1732700000000, counter: 3 });
    expect(() => parseHlc('17327-3')).toThrow(/not an HLC/);
  });

  it('follows the wall clock, counts within a millisecond, and never goes back', () => {
    const a = nextHlc(HLC_ZERO, 1000);
    const b = nextHlc(a, 1000);
    const c = nextHlc(b, 999); // the clock stepped back
    const d = nextHlc(c, 2000);
    expect([a, b, c, d]).toEqual([
      '0000000001000-0000',
      '0000000001000-0001',
      '0000000001000-0002',
      '0000000002000-0000',
    ]);
    const all = [a, b, c, d];
    expect([...all].sort()).toEqual(all);
  });

  it('borrows the next millisecond instead of overflowing the counter', () => {
    expect(nextHlc('0000000001000-9999', 1000)).toBe('0000000001001-0000');
  });

  it('moves past a time seen from the server, never down', () => {
    const seen = observeHlc('0000000001000-0005', 5000);
    expect(seen).toBe('0000000005000-9999');
    // A device whose clock runs ahead stamped 5000-0042; updatedAt says 5000. With this device's
    // wall clock still at 1200, its next stamp must outrank every stamp of that millisecond.
    const next = nextHlc(seen, 1200);
    expect(next).toBe('0000000005001-0000');
    expect(next > '0000000005000-0042').toBe(true);
    // Once the wall clock is ahead of what was seen, it leads again.
    expect(nextHlc(seen, 7000)).toBe('0000000007000-0000');
    expect(observeHlc('0000000009000-0001', 5000)).toBe('0000000009000-0001');
    expect(observeHlc('0000000009000-0001', Number.NaN)).toBe('0000000009000-0001');
  });
});

describe('Backoff', () => {
  it('doubles up to the cap with jitter in [half, full], and starts over after a reset', () => {
    let r = 0;
    const b = new Backoff(1000, 8000, () => r);
    r = 0;
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([500, 1000, 2000, 4000, 4000]);
    r = 1;
    expect(b.next()).toBe(8000);
    b.reset();
    expect(b.next()).toBe(1000);
  });
});
