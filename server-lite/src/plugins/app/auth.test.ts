import { afterEach, describe, expect, it, vi } from 'vitest';
import { VerifiedTokens } from './auth';

const claims = (expSec: number) => ({ sub: 'u1', sid: 's1', typ: 'access' as const, exp: expSec });

describe('VerifiedTokens', () => {
  afterEach(() => vi.useRealTimers());

  it('answers a remembered token until its expiry, then forgets it', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const tokens = new VerifiedTokens(10);
    tokens.set('t1', claims(1_000 + 60));
    expect(tokens.get('t1')?.sub).toBe('u1');
    vi.setSystemTime(1_060_000);
    expect(tokens.get('t1')).toBeUndefined();
    // Forgotten, not just hidden: time going back does not revive it.
    vi.setSystemTime(1_000_000);
    expect(tokens.get('t1')).toBeUndefined();
  });

  it('never remembers a token without an expiry', () => {
    const tokens = new VerifiedTokens(10);
    tokens.set('forever', { sub: 'u1', sid: 's1', typ: 'access' });
    expect(tokens.get('forever')).toBeUndefined();
  });

  it('keeps at most max tokens, dropping the oldest first', () => {
    const tokens = new VerifiedTokens(2);
    const exp = Math.floor(Date.now() / 1000) + 600;
    tokens.set('a', claims(exp));
    tokens.set('b', claims(exp));
    tokens.set('c', claims(exp));
    expect(tokens.get('a')).toBeUndefined();
    expect(tokens.get('b')).toBeDefined();
    expect(tokens.get('c')).toBeDefined();
  });
});
