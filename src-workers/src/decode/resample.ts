/**
 * Streaming sample-rate converter for one channel: a Kaiser-windowed sinc evaluated as a
 * polyphase FIR. Rational ratios with at most MAX_EXACT_PHASES output phases (every common
 * rate pair: 44.1k→22.05k has 1, 48k→22.05k has 147, 8k→22.05k has 441) use exact phases;
 * anything else interpolates linearly between INTERP_PHASES tabulated phases.
 *
 * Output sample n sits at input position n·inRate/outRate, so the output is aligned with the
 * input (no delay) and its length is ceil(inputLength·outRate/inRate). State is carried between
 * push() calls: the output does not depend on how the input was cut into pieces.
 *
 * Design: stop band starts at the lower Nyquist (so nothing above the new Nyquist aliases back
 * by more than about -STOP_DB), pass band ends at PASS_FRACTION of it (flat to 8.8 kHz at
 * 22.05 kHz out). At 44.1k→22.05k that is 60 taps; the 2:1, 4:1 and 8:1 ratios (one phase, a
 * symmetric filter) fold the window and need only 30 multiplies per output.
 *
 * The exact paths run as WebAssembly SIMD kernels where the engine has them (resample-simd.ts,
 * same results bit for bit); long pushes are filtered in slices so the buffer keeps its size.
 */
import { type ResampleKernels, resampleKernels } from './resample-simd';

const STOP_DB = 50;
const PASS_FRACTION = 0.8;
const MAX_EXACT_PHASES = 1024;
const INTERP_PHASES = 256;
/** Input samples appended per filtering pass (the buffer holds this plus the filter's history). */
const SLICE = 8192;

export class StreamResampler {
  readonly inRate: number;
  readonly outRate: number;
  private readonly identity: boolean;
  /** Taps per output sample (2·half). */
  private readonly taps: number = 0;
  private readonly half: number = 0;
  /** Exact path: phases L, input step M per output in units of 1/L. */
  private readonly phases: number = 0;
  private readonly stepWhole: number = 0;
  private readonly stepFrac: number = 0;
  private readonly exact: boolean = true;
  private readonly coef: Float64Array = new Float64Array(0);

  private buf: Float64Array;
  private bufLen = 0;
  /** Absolute input index of buf[0]; starts negative: the signal is zero before sample 0. */
  private bufStart = 0;
  private ipos = 0;
  private phase = 0;
  private produced = 0;
  private consumed = 0;

  /** The WebAssembly SIMD kernels when available (and not turned off: tests compare both paths). */
  private readonly simd: ResampleKernels | null;

  constructor(inRate: number, outRate: number, options: { simd?: boolean } = {}) {
    this.simd = options.simd === false ? null : resampleKernels();
    this.inRate = Math.round(inRate);
    this.outRate = Math.round(outRate);
    if (!(this.inRate > 0 && this.outRate > 0))
      throw new RangeError(`invalid resampling ${inRate} → ${outRate} Hz`);
    this.identity = this.inRate === this.outRate;
    this.buf = new Float64Array(0);
    if (this.identity) return;

    // Everything in cycles per input sample.
    const nyquist = 0.5 * Math.min(1, this.outRate / this.inRate);
    const transition = (1 - PASS_FRACTION) * nyquist;
    const cutoff = nyquist - transition / 2;
    const beta = 0.1102 * (STOP_DB - 8.7);
    this.half = Math.max(2, Math.ceil(((STOP_DB - 7.95) / (14.36 * transition) + 1) / 2));
    this.taps = 2 * this.half;

    const g = gcd(this.inRate, this.outRate);
    const L = this.outRate / g;
    const M = this.inRate / g;
    this.exact = L <= MAX_EXACT_PHASES;
    this.phases = this.exact ? L : INTERP_PHASES;
    this.stepWhole = Math.floor(M / L);
    this.stepFrac = M % L;
    // The interpolating path reads phase p+1, so it tabulates one extra phase.
    const rows = this.exact ? this.phases : this.phases + 1;
    this.coef = new Float64Array(rows * this.taps);
    const i0beta = besselI0(beta);
    for (let p = 0; p < rows; p++) {
      const frac = p / this.phases;
      let sum = 0;
      for (let j = 0; j < this.taps; j++) {
        const t = frac + this.half - 1 - j; // distance from the output position to input tap j
        const r = t / this.half;
        const w = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0beta;
        const x = 2 * cutoff * t;
        const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        const h = 2 * cutoff * sinc * w;
        this.coef[p * this.taps + j] = h;
        sum += h;
      }
      // Unity gain at DC for every phase: no ripple pattern on steady signals.
      for (let j = 0; j < this.taps; j++) this.coef[p * this.taps + j] /= sum;
    }
    this.buf = new Float64Array(2 * this.taps + SLICE);
    this.bufLen = this.half - 1;
    this.bufStart = -(this.half - 1);
  }

  push(input: Float32Array): Float32Array {
    if (this.identity) {
      this.consumed += input.length;
      return input;
    }
    if (input.length <= SLICE) {
      this.append(input, input.length);
      this.consumed += input.length;
      return this.run(Number.POSITIVE_INFINITY);
    }
    // A long input goes through in slices, so the buffer keeps its first size instead of growing
    // to the decoder's chunk size for every file (less memory churn, same output).
    const parts: Float32Array[] = [];
    let total = 0;
    for (let at = 0; at < input.length; at += SLICE) {
      const piece = input.subarray(at, at + SLICE);
      this.append(piece, piece.length);
      this.consumed += piece.length;
      const part = this.run(Number.POSITIVE_INFINITY);
      parts.push(part);
      total += part.length;
    }
    const out = new Float32Array(total);
    let n = 0;
    for (const part of parts) {
      out.set(part, n);
      n += part.length;
    }
    return out;
  }

  flush(): Float32Array {
    if (this.identity) return new Float32Array(0);
    // Zeros after the end let the last outputs see a full window.
    this.append(null, this.half + 1);
    const total = Math.ceil((this.consumed * this.outRate) / this.inRate);
    return this.run(total);
  }

  private append(input: Float32Array | null, n: number): void {
    if (this.bufLen + n > this.buf.length) {
      const grown = new Float64Array(Math.max(this.buf.length * 2, this.bufLen + n));
      grown.set(this.buf.subarray(0, this.bufLen));
      this.buf = grown;
    }
    if (input) this.buf.set(input, this.bufLen);
    else this.buf.fill(0, this.bufLen, this.bufLen + n);
    this.bufLen += n;
  }

  /** Produces every output whose window is in the buffer (and, when flushing, up to `limit` in all). */
  private run(limit: number): Float32Array {
    const { half, taps, coef, buf } = this;
    const lastIndex = this.bufStart + this.bufLen - 1 - half; // largest ipos whose window is complete
    const ratio = this.outRate / this.inRate;
    const bound = Math.max(
      0,
      Math.min(limit - this.produced, Math.floor((lastIndex - this.ipos + 1) * ratio) + 2),
    );
    const out = new Float32Array(bound);
    let n = 0;
    let ipos = this.ipos;
    let phase = this.phase;
    const base0 = 1 - half - this.bufStart;
    if (this.exact && this.phases === 1) {
      // One phase at offset 0: taps j and 2·half-2-j carry the same coefficient (the last is 0).
      const step = this.stepWhole;
      const centre = half - 1;
      const cc = coef[centre];
      const { simd } = this;
      if (simd && ipos <= lastIndex && bound > 0) {
        const count = Math.min(bound, Math.floor((lastIndex - ipos) / step) + 1);
        simd.symmetric(buf, ipos + base0, step, centre, coef, count, out, 0);
        n = count;
        ipos += count * step;
      }
      // Two outputs per pass share the coefficient loads (~30 % faster); same sums per output.
      while (ipos + step <= lastIndex && n + 1 < bound) {
        const b = ipos + base0;
        const b2 = b + step;
        let a0 = buf[b + centre] * cc;
        let a1 = 0;
        let c0 = buf[b2 + centre] * cc;
        let c1 = 0;
        let lo = b;
        let hi = b + 2 * half - 2;
        let j = 0;
        for (; j + 1 < centre; j += 2, lo += 2, hi -= 2) {
          const k0 = coef[j];
          const k1 = coef[j + 1];
          a0 += (buf[lo] + buf[hi]) * k0;
          a1 += (buf[lo + 1] + buf[hi - 1]) * k1;
          c0 += (buf[lo + step] + buf[hi + step]) * k0;
          c1 += (buf[lo + step + 1] + buf[hi + step - 1]) * k1;
        }
        if (j < centre) {
          a0 += (buf[lo] + buf[hi]) * coef[j];
          c0 += (buf[lo + step] + buf[hi + step]) * coef[j];
        }
        out[n++] = a0 + a1;
        out[n++] = c0 + c1;
        ipos += 2 * step;
      }
      while (ipos <= lastIndex && n < bound) {
        const b = ipos + base0;
        let a0 = buf[b + centre] * cc;
        let a1 = 0;
        let lo = b;
        let hi = b + 2 * half - 2;
        let j = 0;
        for (; j + 1 < centre; j += 2, lo += 2, hi -= 2) {
          a0 += (buf[lo] + buf[hi]) * coef[j];
          a1 += (buf[lo + 1] + buf[hi - 1]) * coef[j + 1];
        }
        if (j < centre) a0 += (buf[lo] + buf[hi]) * coef[j];
        out[n++] = a0 + a1;
        ipos += step;
      }
    } else if (this.exact) {
      const L = this.phases;
      const { stepWhole, stepFrac } = this;
      const { simd } = this;
      if (simd && ipos <= lastIndex && bound > 0) {
        const b0 = ipos + base0;
        n = simd.polyphase(
          buf,
          b0,
          this.bufLen,
          lastIndex - ipos,
          phase,
          stepWhole,
          stepFrac,
          L,
          taps,
          coef,
          bound,
          out,
          0,
        );
        const total = phase + n * stepFrac;
        ipos += n * stepWhole + Math.floor(total / L);
        phase = total % L;
      }
      while (ipos <= lastIndex && n < bound) {
        out[n++] = dot(buf, ipos + base0, coef, phase * taps, taps);
        ipos += stepWhole;
        phase += stepFrac;
        if (phase >= L) {
          phase -= L;
          ipos++;
        }
      }
    } else {
      const P = this.phases;
      const step = this.inRate / this.outRate;
      let k = this.produced;
      while (n < bound) {
        const x = k * step;
        ipos = Math.floor(x);
        if (ipos > lastIndex) break;
        const fp = (x - ipos) * P;
        const p = Math.floor(fp);
        const a = fp - p;
        const b = ipos + base0;
        const acc0 = dot(buf, b, coef, p * taps, taps);
        const acc1 = dot(buf, b, coef, (p + 1) * taps, taps);
        out[n++] = acc0 + a * (acc1 - acc0);
        k++;
      }
      ipos = Math.floor(k * step);
    }
    this.ipos = ipos;
    this.phase = phase;
    this.produced += n;
    // Keep only what the next output's window needs.
    const keepFrom = ipos - half + 1 - this.bufStart;
    if (keepFrom > 0) {
      const from = Math.min(keepFrom, this.bufLen);
      buf.copyWithin(0, from, this.bufLen);
      this.bufLen -= from;
      this.bufStart += from;
    }
    return n === out.length ? out : out.subarray(0, n);
  }
}

/** Σ buf[b+j]·coef[c+j] for j < taps, four accumulators (lets the CPU overlap the adds). */
function dot(buf: Float64Array, b: number, coef: Float64Array, c: number, taps: number): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let j = 0;
  for (; j + 3 < taps; j += 4) {
    a0 += buf[b + j] * coef[c + j];
    a1 += buf[b + j + 1] * coef[c + j + 1];
    a2 += buf[b + j + 2] * coef[c + j + 2];
    a3 += buf[b + j + 3] * coef[c + j + 3];
  }
  for (; j < taps; j++) a0 += buf[b + j] * coef[c + j];
  return a0 + a1 + a2 + a3;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for β < 20). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

/**
 * Mean of the channels. 5.1 and other surround layouts get equal weights too: the analysis wants
 * the musical content, and weighting C/LFE/surrounds differently would favour one mix convention.
 */
export function downmix(channels: Float32Array[]): Float32Array {
  const count = channels.length;
  if (count === 1) return channels[0];
  const n = channels[0].length;
  const out = new Float32Array(n);
  if (count === 2) {
    const [l, r] = channels;
    for (let i = 0; i < n; i++) out[i] = (l[i] + r[i]) * 0.5;
    return out;
  }
  for (const ch of channels) for (let i = 0; i < n; i++) out[i] += ch[i];
  const scale = 1 / count;
  for (let i = 0; i < n; i++) out[i] *= scale;
  return out;
}
