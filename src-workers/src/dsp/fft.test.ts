import { describe, expect, it } from 'vitest';
import { hannWindow, realFft, useFftSimd, windowedMagnitudes } from './fft';

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

  // Every stage layout: radix-4 pass only (n = 8), one radix-2 stage (n = 16, 64, 256, 1024),
  // fused stage pairs only (n = 32, 128, 512, 2048), with full-length and zero-padded input.
  for (const n of [8, 16, 32, 64, 128, 256, 512, 1024, 2048]) {
    it(`full-length and padded input at n=${n} match a naive DFT`, () => {
      for (const length of [n, Math.max(1, n - 3)]) {
        const x = Array.from({ length }, (_, t) => Math.sin(t * 0.37 + n) + ((t * 7919) % 13) / 13 - 0.5);
        const re = new Float64Array(n / 2 + 1);
        const im = new Float64Array(n / 2 + 1);
        realFft(Float64Array.from(x), n, re, im);
        const ref = naiveDft(x, n);
        for (let k = 0; k <= n / 2; k++) {
          expect(re[k]).toBeCloseTo(ref.re[k], 8);
          expect(im[k]).toBeCloseTo(ref.im[k], 8);
        }
      }
    });
  }
});

describe('windowedMagnitudes', () => {
  for (const n of [8, 32, 1024]) {
    it(`gives |DFT| of the windowed frame, zeros past the signal's end (n=${n})`, () => {
      const signal = Float32Array.from({ length: 3 * n }, (_, t) => Math.cos(t * 0.2) * (1 + (t % 5) / 5));
      const w = hannWindow(n);
      const out = new Float32Array(2 * (n / 2 + 1));
      for (const start of [n, 2 * n + n / 4]) {
        windowedMagnitudes(signal, start, w, n, out, n / 2 + 1);
        const frame = Array.from({ length: n }, (_, i) =>
          start + i < signal.length ? Math.fround(signal[start + i] * w[i]) : 0,
        );
        const ref = naiveDft(frame, n);
        for (let k = 0; k <= n / 2; k++) {
          const want = Math.hypot(ref.re[k], ref.im[k]);
          expect(Math.abs(out[n / 2 + 1 + k] - want)).toBeLessThan(1e-5 * (1 + want));
        }
        expect(out[0]).toBe(0); // nothing written before `at`
      }
    });
  }
});

describe('FFT SIMD stages', () => {
  it('are available here, and give exactly the JS stages results', () => {
    expect(useFftSimd(true)).toBe(true);
    for (const n of [16, 32, 64, 256, 1024, 2048, 4096, 16384]) {
      const x = Float64Array.from(
        { length: n },
        (_, t) => Math.sin(t * 0.61) * Math.cos(t * 0.017) + ((t * 31) % 7) / 7,
      );
      const run = (simd: boolean) => {
        useFftSimd(simd);
        const re = new Float64Array(n / 2 + 1);
        const im = new Float64Array(n / 2 + 1);
        realFft(x, n, re, im);
        return [re, im];
      };
      const [sr, si] = run(true);
      const [jr, ji] = run(false);
      useFftSimd(true);
      let differing = 0;
      for (let k = 0; k <= n / 2; k++) if (!Object.is(sr[k], jr[k]) || !Object.is(si[k], ji[k])) differing++;
      expect(differing, `n=${n}`).toBe(0);
    }
  });
});
