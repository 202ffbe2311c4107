/**
 * The JS passes of the FFT in fft.ts: the bit-reversed load fused with the multiplication-free
 * radix-4 first pass, and the later radix-2 / radix-2² stages (fft-simd.ts has SIMD twins of the
 * stages).
 */

/** What the passes read from an FFT plan: size, bit reversal and the work arrays. */
export type Work = { half: number; rev: Uint32Array; re: Float64Array; im: Float64Array };

/**
 * Bit-reversed load of the windowed frame fused with the radix-4 first pass: output group
 * i..i+3 reads complex samples rev[i] + {0, half/2, half/4, 3·half/4}.
 */
export function windowedFirstPass(p: Work, signal: Float32Array, start: number, window: Float32Array): void {
  const { half, rev, re, im } = p;
  const q1 = half; // offsets in real samples: complex index × 2
  const q2 = half >> 1;
  const q3 = q1 + q2;
  for (let i = 0; i < half; i += 4) {
    const a = 2 * rev[i];
    const s = start + a;
    const x0r = Math.fround(signal[s] * window[a]);
    const x0i = Math.fround(signal[s + 1] * window[a + 1]);
    const x1r = Math.fround(signal[s + q1] * window[a + q1]);
    const x1i = Math.fround(signal[s + q1 + 1] * window[a + q1 + 1]);
    const x2r = Math.fround(signal[s + q2] * window[a + q2]);
    const x2i = Math.fround(signal[s + q2 + 1] * window[a + q2 + 1]);
    const x3r = Math.fround(signal[s + q3] * window[a + q3]);
    const x3i = Math.fround(signal[s + q3 + 1] * window[a + q3 + 1]);
    const r0 = x0r + x1r;
    const i0 = x0i + x1i;
    const r1 = x0r - x1r;
    const i1 = x0i - x1i;
    const r2 = x2r + x3r;
    const i2 = x2i + x3i;
    const r3 = x2r - x3r;
    const i3 = x2i - x3i;
    re[i] = r0 + r2;
    im[i] = i0 + i2;
    re[i + 2] = r0 - r2;
    im[i + 2] = i0 - i2;
    re[i + 1] = r1 + i3;
    im[i + 1] = i1 - r3;
    re[i + 3] = r1 - i3;
    im[i + 3] = i1 + r3;
  }
}

/** windowedFirstPass for a whole unwindowed frame. */
export function plainFirstPass(p: Work, x: ArrayLike<number>): void {
  const { half, rev, re, im } = p;
  const q1 = half;
  const q2 = half >> 1;
  const q3 = q1 + q2;
  for (let i = 0; i < half; i += 4) {
    const s = 2 * rev[i];
    const x0r = x[s];
    const x0i = x[s + 1];
    const x1r = x[s + q1];
    const x1i = x[s + q1 + 1];
    const x2r = x[s + q2];
    const x2i = x[s + q2 + 1];
    const x3r = x[s + q3];
    const x3i = x[s + q3 + 1];
    const r0 = x0r + x1r;
    const i0 = x0i + x1i;
    const r1 = x0r - x1r;
    const i1 = x0i - x1i;
    const r2 = x2r + x3r;
    const i2 = x2i + x3i;
    const r3 = x2r - x3r;
    const i3 = x2i - x3i;
    re[i] = r0 + r2;
    im[i] = i0 + i2;
    re[i + 2] = r0 - r2;
    im[i + 2] = i0 - i2;
    re[i + 1] = r1 + i3;
    im[i + 1] = i1 - r3;
    re[i + 3] = r1 - i3;
    im[i + 3] = i1 + r3;
  }
}

export function radix2Stage(
  re: Float64Array,
  im: Float64Array,
  tw: Float64Array,
  half: number,
  size: number,
): void {
  const h = size >> 1;
  for (let start = 0; start < half; start += size) {
    for (let k = 0; k < h; k++) {
      const c = tw[2 * k];
      const s = tw[2 * k + 1];
      const i1 = start + k;
      const i2 = i1 + h;
      const xr = re[i2] * c - im[i2] * s;
      const xi = re[i2] * s + im[i2] * c;
      re[i2] = re[i1] - xr;
      im[i2] = im[i1] - xi;
      re[i1] += xr;
      im[i1] += xi;
    }
  }
}

/**
 * Stages s and 2s in one sweep. Per k < s/2 and block of 2s: a = k, b = k + s/2, c = k + s,
 * d = k + 3s/2. Stage s pairs (a, b) and (c, d) with w_s^k; stage 2s pairs (a, c) with w_2s^k and
 * (b, d) with w_2s^(k + s/2) = -i·w_2s^k.
 */
export function radix22Stage(
  re: Float64Array,
  im: Float64Array,
  tw: Float64Array,
  offset: number,
  half: number,
  s: number,
): void {
  const h = s >> 1;
  for (let start = 0; start < half; start += 2 * s) {
    for (let k = 0, t = offset; k < h; k++, t += 4) {
      const c1 = tw[t];
      const s1 = tw[t + 1];
      const c2 = tw[t + 2];
      const s2 = tw[t + 3];
      const a = start + k;
      const b = a + h;
      const c = a + s;
      const d = c + h;
      // Stage s.
      const br = re[b] * c1 - im[b] * s1;
      const bi = re[b] * s1 + im[b] * c1;
      const dr = re[d] * c1 - im[d] * s1;
      const di = re[d] * s1 + im[d] * c1;
      const ar = re[a];
      const ai = im[a];
      const cr = re[c];
      const ci = im[c];
      const a1r = ar + br;
      const a1i = ai + bi;
      const b1r = ar - br;
      const b1i = ai - bi;
      const c1r = cr + dr;
      const c1i = ci + di;
      const d1r = cr - dr;
      const d1i = ci - di;
      // Stage 2s: (c1)·w2 and (d1)·w2·(-i).
      const xr = c1r * c2 - c1i * s2;
      const xi = c1r * s2 + c1i * c2;
      const yr0 = d1r * c2 - d1i * s2;
      const yi0 = d1r * s2 + d1i * c2;
      // ·(-i): (yr0 + i·yi0)·(-i) = yi0 - i·yr0
      const yr = yi0;
      const yi = -yr0;
      re[a] = a1r + xr;
      im[a] = a1i + xi;
      re[c] = a1r - xr;
      im[c] = a1i - xi;
      re[b] = b1r + yr;
      im[b] = b1i + yi;
      re[d] = b1r - yr;
      im[d] = b1i - yi;
    }
  }
}
