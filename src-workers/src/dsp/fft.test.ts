import { describe, expect, it } from 'vitest';
import { realFft } from './fft';

function naiveDft(x: number[], n: number) {
  const re: number[] = [];
  const im: number[] = [];
  for (let k = 0; k <= n / 2; k++) {
    let r = 0;
    let i = 0;
    for (let t = 0; t < n; t++) {
      const v = t < x.length ? x[t] : 0;
      r += v * Math.cos((2 * Math.PI * k * t) / n);
      i -= v * Math.sin((2 * Math.PI * k * t) / n);
    }
    re.push(r);
    im.push(i);
  }
  return { re, im };
}

describe('realFft', () => {
  for (const n of [4, 8, 64, 1024]) {
    it(`matches a naive DFT at n=${n}`, () => {
      let seed = n;
      const rand = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31 - 0.5;
      };
      const x = Array.from({ length: n - 1 }, rand); // shorter than n: zero padding path
      const re = new Float64Array(n / 2 + 1);
      const im = new Float64Array(n / 2 + 1);
      realFft(x, n, re, im);
      const ref = naiveDft(x, n);
      for (let k = 0; k <= n / 2; k++) {
        expect(re[k]).toBeCloseTo(ref.re[k], 6);
        expect(im[k]).toBeCloseTo(ref.im[k], 6);
      }
    });
  }
});
