/**
 * Real-input FFT: an N/2-point complex FFT on the packed even/odd samples, then one split pass.
 * The complex FFT is decimation in time on bit-reversed input: the first two radix-2 stages run
 * as one multiplication-free radix-4 pass, and the later stages are fused in pairs (radix 2²), so
 * the data is swept half as often. Tables are cached per size, so repeated frames cost only the
 * butterflies.
 */
import { plainFirstPass, radix2Stage, radix22Stage, windowedFirstPass } from './fft-passes';
import { type FftKernels, fftKernels } from './fft-simd';

type Plan = {
  n: number;
  half: number;
  rev: Uint32Array; // bit reversal for the half-size complex FFT
  /**
   * Twiddles of the stages from size 8 on. A single radix-2 stage (when their count is odd, the
   * first one) stores (cos, sin) of w_size^k; a fused pair of stages (s, 2s) stores
   * (cos, sin) of w_s^k and of w_2s^k for k < s/2. w_m = e^{-2πi/m}.
   */
  stageTwiddles: Float64Array;
  splitCos: Float64Array; // e^{-2πik/N}, k = 0..half
  splitSin: Float64Array;
  re: Float64Array;
  im: Float64Array;
  /** With the SIMD kernels: byte addresses of re/im and each later stage's twiddles in their memory. */
  simd: { reAt: number; imAt: number; stages: { fused: boolean; size: number; tw: number }[] } | null;
};

const plans = new Map<number, Plan>();

/**
 * The SIMD kernels for the later stages, when WebAssembly SIMD is there. Plans then keep re/im
 * and their twiddles (rearranged per pair of k, see fft-simd.ts) in the kernels' memory.
 */
const kernels = fftKernels();
let heapTop = 0;
let simdOn = true;

/** Turns the SIMD stages off and on: tests compare both paths. Returns whether SIMD is available. */
export function useFftSimd(on: boolean): boolean {
  simdOn = on;
  return kernels !== null;
}

/** Reserves `doubles` (16-byte aligned) in the kernels' memory; returns the byte address. */
function heapAlloc(doubles: number): number {
  const memory = (kernels as FftKernels).memory;
  const at = (heapTop + 15) & ~15;
  heapTop = at + doubles * 8;
  if (heapTop > memory.buffer.byteLength) {
    memory.grow(Math.ceil((heapTop - memory.buffer.byteLength) / 65536));
    // Growing detaches the old buffer: every plan's views are made again.
    for (const p of plans.values()) attach(p);
  }
  return at;
}

function attach(p: Plan): void {
  if (!p.simd) return;
  const buffer = (kernels as FftKernels).memory.buffer;
  p.re = new Float64Array(buffer, p.simd.reAt, p.half);
  p.im = new Float64Array(buffer, p.simd.imAt, p.half);
}

/** Copies the later stages' twiddles into the kernels' memory, two values of k side by side. */
function simdStages(half: number, tw: Float64Array): NonNullable<Plan['simd']>['stages'] {
  const stages: NonNullable<Plan['simd']>['stages'] = [];
  const staged: { at: number; values: number[] }[] = [];
  let size = 8;
  let offset = 0;
  const layout = (count: number, per: number) => {
    // For k, k + 1: value v of k, then of k + 1, for each of the `per` values.
    const values: number[] = [];
    for (let k = 0; k < count; k += 2)
      for (let v = 0; v < per; v++) values.push(tw[offset + k * per + v], tw[offset + (k + 1) * per + v]);
    return values;
  };
  if ((Math.log2(half) - 2) % 2 === 1) {
    const values = layout(size >> 1, 2);
    const at = heapAlloc(values.length);
    staged.push({ at, values });
    stages.push({ fused: false, size, tw: at });
    offset = size;
    size <<= 1;
  }
  for (; 2 * size <= half; size <<= 2) {
    const values = layout(size >> 1, 4);
    const at = heapAlloc(values.length);
    staged.push({ at, values });
    stages.push({ fused: true, size, tw: at });
    offset += 2 * size;
  }
  const buffer = (kernels as FftKernels).memory.buffer;
  for (const { at, values } of staged) new Float64Array(buffer, at, values.length).set(values);
  return stages;
}

function makePlan(n: number): Plan {
  if (n < 4 || (n & (n - 1)) !== 0) throw new Error(`FFT size must be a power of two >= 4, got ${n}`);
  const half = n >> 1;
  const bits = Math.log2(half);
  const rev = new Uint32Array(half);
  for (let i = 0; i < half; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  const tw: number[] = [];
  let size = 8;
  if (half >= 8 && (bits - 2) % 2 === 1) {
    for (let k = 0; k < size >> 1; k++)
      tw.push(Math.cos((2 * Math.PI * k) / size), -Math.sin((2 * Math.PI * k) / size));
    size <<= 1;
  }
  for (; 2 * size <= half; size <<= 2) {
    for (let k = 0; k < size >> 1; k++) {
      tw.push(Math.cos((2 * Math.PI * k) / size), -Math.sin((2 * Math.PI * k) / size));
      tw.push(Math.cos((2 * Math.PI * k) / (2 * size)), -Math.sin((2 * Math.PI * k) / (2 * size)));
    }
  }
  const splitCos = new Float64Array(half + 1);
  const splitSin = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    splitCos[k] = Math.cos((2 * Math.PI * k) / n);
    splitSin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  const stageTwiddles = Float64Array.from(tw);
  const p: Plan = {
    n,
    half,
    rev,
    stageTwiddles,
    splitCos,
    splitSin,
    re: new Float64Array(half),
    im: new Float64Array(half),
    simd: null,
  };
  if (kernels && half >= 8) {
    const reAt = heapAlloc(half);
    const imAt = heapAlloc(half);
    p.simd = { reAt, imAt, stages: simdStages(half, stageTwiddles) };
    attach(p);
  }
  return p;
}

function planFor(n: number): Plan {
  let p = plans.get(n);
  if (!p) {
    p = makePlan(n);
    plans.set(n, p);
  }
  return p;
}

/**
 * Forward FFT of a real frame of length n (power of two). Writes n/2+1 bins into outRe/outIm.
 * `input` may be shorter than n: zero padded.
 */
export function realFft(input: ArrayLike<number>, n: number, outRe: Float64Array, outIm: Float64Array): void {
  const p = planFor(n);
  const { half, rev, re, im } = p;
  const len = input.length;
  if (len >= n && half >= 8) {
    plainFirstPass(p, input);
    laterStages(p);
  } else {
    for (let i = 0; i < half; i++) {
      const j = rev[i];
      const a = 2 * i;
      re[j] = a < len ? input[a] : 0;
      im[j] = a + 1 < len ? input[a + 1] : 0;
    }
    butterflies(p);
  }
  const { splitCos: cs, splitSin: sn } = p;
  // k = 0 and k = half pair z[0] with itself.
  outRe[0] = re[0] + im[0];
  outIm[0] = 0;
  outRe[half] = re[0] - im[0];
  outIm[half] = 0;
  for (let k = 1; k < half; k++) {
    const m = half - k;
    const zrK = re[k];
    const ziK = im[k];
    const zrM = re[m];
    const ziM = im[m];
    const feR = 0.5 * (zrK + zrM);
    const feI = 0.5 * (ziK - ziM);
    const foR = 0.5 * (ziK + ziM);
    const foI = -0.5 * (zrK - zrM);
    const c = cs[k];
    const s = sn[k];
    outRe[k] = feR + c * foR + s * foI;
    outIm[k] = feI + c * foI - s * foR;
  }
}

/**
 * Magnitudes (n/2+1 bins) of the windowed frame signal[start .. start+n) into out[at ..]; samples
 * before the start or past the end of `signal` count as zeros. The spectrogram's inner loop: no
 * intermediate frame.
 */
export function windowedMagnitudes(
  signal: Float32Array,
  start: number,
  window: Float32Array,
  n: number,
  out: Float32Array,
  at: number,
): void {
  const p = planFor(n);
  const { half, rev, re, im } = p;
  // The windowed sample is rounded to float32, as a Float32Array frame buffer would hold it.
  if (start >= 0 && start + n <= signal.length && half >= 8) {
    windowedFirstPass(p, signal, start, window);
    laterStages(p);
    splitMagnitudes(p, out, at);
    return;
  }
  const len = signal.length - start;
  const skip = -start; // leading positions before the signal
  for (let i = 0; i < half; i++) {
    const j = rev[i];
    const a = 2 * i;
    re[j] = a >= skip && a < len ? Math.fround(signal[start + a] * window[a]) : 0;
    im[j] = a + 1 >= skip && a + 1 < len ? Math.fround(signal[start + a + 1] * window[a + 1]) : 0;
  }
  butterflies(p);
  splitMagnitudes(p, out, at);
}

/** The split pass of realFft, keeping only |X[k]| (as float32). */
function splitMagnitudes(p: Plan, out: Float32Array, at: number): void {
  const { half, re, im, splitCos: cs, splitSin: sn } = p;
  out[at] = Math.abs(re[0] + im[0]);
  out[at + half] = Math.abs(re[0] - im[0]);
  for (let k = 1; k < half; k++) {
    const m = half - k;
    const zrK = re[k];
    const ziK = im[k];
    const zrM = re[m];
    const ziM = im[m];
    const feR = 0.5 * (zrK + zrM);
    const feI = 0.5 * (ziK - ziM);
    const foR = 0.5 * (ziK + ziM);
    const foI = -0.5 * (zrK - zrM);
    const c = cs[k];
    const s = sn[k];
    const r = feR + c * foR + s * foI;
    const i = feI + c * foI - s * foR;
    out[at + k] = Math.sqrt(r * r + i * i);
  }
}

/**
 * In-place complex FFT of the bit-reversed half-size sequence. The first two stages (sizes 2 and
 * 4) need no multiplications and run as one radix-4 pass; later stages stream their twiddles, in
 * fused pairs where possible.
 */
function butterflies(p: Plan): void {
  const { half, re, im } = p;
  if (half >= 4) {
    for (let i = 0; i < half; i += 4) {
      const r0 = re[i] + re[i + 1];
      const i0 = im[i] + im[i + 1];
      const r1 = re[i] - re[i + 1];
      const i1 = im[i] - im[i + 1];
      const r2 = re[i + 2] + re[i + 3];
      const i2 = im[i + 2] + im[i + 3];
      const r3 = re[i + 2] - re[i + 3];
      const i3 = im[i + 2] - im[i + 3];
      re[i] = r0 + r2;
      im[i] = i0 + i2;
      re[i + 2] = r0 - r2;
      im[i + 2] = i0 - i2;
      // Twiddle -i for the odd half: (r3 + i·i3)·(-i) = i3 - i·r3.
      re[i + 1] = r1 + i3;
      im[i + 1] = i1 - r3;
      re[i + 3] = r1 - i3;
      im[i + 3] = i1 + r3;
    }
  } else if (half === 2) {
    const r = re[0] - re[1];
    const i = im[0] - im[1];
    re[0] += re[1];
    im[0] += im[1];
    re[1] = r;
    im[1] = i;
  }
  laterStages(p);
}

/** Stages of size 8 and up. */
function laterStages(p: Plan): void {
  const { half, re, im, stageTwiddles: tw, simd } = p;
  if (half < 8) return;
  if (simd && kernels && simdOn) {
    for (const stage of simd.stages) {
      if (stage.fused) kernels.radix22(simd.reAt, simd.imAt, stage.tw, half, stage.size);
      else kernels.radix2(simd.reAt, simd.imAt, stage.tw, half, stage.size);
    }
    return;
  }
  let size = 8;
  let offset = 0;
  if ((Math.log2(half) - 2) % 2 === 1) {
    radix2Stage(re, im, tw, half, size);
    offset = size;
    size <<= 1;
  }
  for (; 2 * size <= half; size <<= 2) {
    radix22Stage(re, im, tw, offset, half, size);
    offset += 2 * size;
  }
}

/** Magnitude spectrum (n/2+1 bins) of a real frame. */
export function magnitudeSpectrum(input: ArrayLike<number>, n: number, out: Float32Array): void {
  const re = scratch(n, 0);
  const im = scratch(n, 1);
  realFft(input, n, re, im);
  for (let k = 0; k <= n >> 1; k++) out[k] = Math.sqrt(re[k] * re[k] + im[k] * im[k]);
}

const scratchBuffers = new Map<string, Float64Array>();
function scratch(n: number, which: number): Float64Array {
  const key = `${n}:${which}`;
  let b = scratchBuffers.get(key);
  if (!b) {
    b = new Float64Array((n >> 1) + 1);
    scratchBuffers.set(key, b);
  }
  return b;
}

export function hannWindow(n: number): Float32Array {
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}
