import { xxhash128 } from 'hash-wasm';
import { describe, expect, it } from 'vitest';
import { contentHash } from './hash';

describe('contentHash', () => {
  it('gives the same digest in chunks as in one go (so it matches the engine)', async () => {
    const big = new Uint8Array(9 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
    expect(await contentHash(big)).toBe(await xxhash128(big));
    const small = big.subarray(0, 1000);
    expect(await contentHash(small)).toBe(await xxhash128(small));
    expect(await contentHash(small)).not.toBe(await contentHash(big.subarray(1, 1001)));
  });
});
