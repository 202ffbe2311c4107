/**
 * Real-input FFT: an N/2-point complex radix-2 FFT on the packed even/odd samples, then one
 * split pass. Tables are cached per size, so repeated frames cost only the butterflies.
 */
type Plan = {
  n: number;
  half: number;
  rev: Uint32Array; // bit reversal for the half-size complex FFT
  /** Twiddles of every stage from size 8 on, laid out contiguously per stage (cos, sin interleaved). */
  stageTwiddles: Float64Array;
  splitCos: Float64Array; // e^{-2πik/N}, k = 0..half
  splitSin: Float64Array;
  re: Float64Array;
  im: Float64Array;
};

const plans = new Map<number, Plan>();

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
  // Stages of size 8, 16, … each need halfSize twiddles; contiguous so the inner loop streams them.
  const stageTwiddles = new Float64Array(Math.max(2, 2 * half));
  let offset = 0;
  for (let size = 8; size <= half; size <<= 1) {
    for (let k = 0; k < size >> 1; k++) {
      stageTwiddles[offset++] = Math.cos((2 * Math.PI * k) / size);
      stageTwiddles[offset++] = -Math.sin((2 * Math.PI * k) / size);
    }
  }
  const splitCos = new Float64Array(half + 1);
  const splitSin = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    splitCos[k] = Math.cos((2 * Math.PI * k) / n);
    splitSin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  return {
    n,
    half,
    rev,
    stageTwiddles,
    splitCos,
    splitSin,
    re: new Float64Array(half),
    im: new Float64Array(half),
  };
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
 * Forward FFT of a real frame of length n (power of two). Writes n/2+1 bins into outRe/outIm
 * (or, when only outMag is given, the magnitudes). `input` may be shorter than n: zero padded.
 */
export function realFft(input: ArrayLike<number>, n: number, outRe: Float64Array, outIm: Float64Array): void {
  const p = planFor(n);
  const { half, rev, re, im } = p;
  const len = input.length;
  for (let i = 0; i < half; i++) {
    const j = rev[i];
    const a = 2 * i;
    re[j] = a < len ? input[a] : 0;
    im[j] = a + 1 < len ? input[a + 1] : 0;
  }
  butterflies(p);
  for (let k = 0; k <= half; k++) {
    const zk = k === half ? 0 : k;
    const mk = k === 0 ? 0 : half - k;
    const zrK = re[zk];
    const ziK = im[zk];
    const zrM = re[mk];
    const ziM = im[mk];
    const feR = 0.5 * (zrK + zrM);
    const feI = 0.5 * (ziK - ziM);
    const foR = 0.5 * (ziK + ziM);
    const foI = -0.5 * (zrK - zrM);
    const c = p.splitCos[k];
    const s = p.splitSin[k];
    outRe[k] = feR + c * foR + s * foI;
    outIm[k] = feI + c * foI - s * foR;
  }
}

/**
 * In-place complex FFT of the bit-reversed half-size sequence. The first two stages (sizes 2 and
 * 4) need no multiplications and run as one radix-4 pass; later stages stream their twiddles.
 */
function butterflies(p: Plan): void {
  const { half, re, im, stageTwiddles: tw } = p;
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
  let offset = 0;
  for (let size = 8; size <= half; size <<= 1) {
    const halfSize = size >> 1;
    for (let start = 0; start < half; start += size) {
      for (let k = 0; k < halfSize; k++) {
        const c = tw[offset + 2 * k];
        const s = tw[offset + 2 * k + 1];
        const i1 = start + k;
        const i2 = i1 + halfSize;
        const xr = re[i2] * c - im[i2] * s;
        const xi = re[i2] * s + im[i2] * c;
        re[i2] = re[i1] - xr;
        im[i2] = im[i1] - xi;
        re[i1] += xr;
        im[i1] += xi;
      }
    }
    offset += size;
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
