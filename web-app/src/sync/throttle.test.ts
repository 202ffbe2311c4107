import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Throttle } from './throttle';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Throttle', () => {
  it('fires at once after a quiet spell, then once per interval for everything asked meanwhile', () => {
    let fired = 0;
    const t = new Throttle(
      1000,
      () => fired++,
      () => Date.now(),
    );
    t.request();
    expect(fired).toBe(1);
    t.request();
    t.request();
    vi.advanceTimersByTime(999);
    expect(fired).toBe(1);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(2);
    // Nothing asked since: nothing more.
    vi.advanceTimersByTime(5000);
    expect(fired).toBe(2);
    t.request();
    expect(fired).toBe(3);
  });

  it('flush fires a waiting request now; cancel drops it', () => {
    let fired = 0;
    const t = new Throttle(
      1000,
      () => fired++,
      () => Date.now(),
    );
    t.request();
    t.request();
    t.flush();
    expect(fired).toBe(2);
    t.flush();
    expect(fired).toBe(2);
    t.request();
    t.cancel();
    vi.advanceTimersByTime(5000);
    expect(fired).toBe(2);
  });
});
