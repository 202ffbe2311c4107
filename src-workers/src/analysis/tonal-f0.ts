import { realFft } from '../dsp/fft';

/**
 * Frame-wise fundamental frequency by the YIN method (de Cheveigné & Kawahara 2002): the
 * cumulative-mean-normalised difference function of a frame, its first dip below a threshold
 * (so a period's multiples, the sub-octaves, lose to the period itself), refined by parabolic
 * interpolation. The difference function comes from the frame's autocorrelation by FFT.
 */
export type F0Frame = {
  /** Hz, or 0 when no lag in range has any periodicity. */
  hz: number;
  /** Normalised difference at the chosen lag: 0 for a perfectly periodic frame, ~1 for noise. */
  aperiodicity: number;
};

/** Absolute YIN threshold: dips below it are taken as the period. */
const THRESHOLD = 0.15;
/** How much deeper a dip at twice or three times the lag must be to replace it. */
const OCTAVE_MARGIN = 0.05;

export class YinAnalyser {
  readonly size: number;
  readonly maxLag: number;
  readonly minLag: number;
  private readonly fftSize: number;
  private readonly buf: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly power: Float64Array;
  private readonly acf: Float64Array;
  private readonly diff: Float64Array;
  private readonly sampleRate: number;
  private readonly oversample: 1 | 2;
  /** Frame length before oversampling. */
  private readonly inputSize: number;

  /**
   * `size`: frame length in input samples; lags from sampleRate/maxHz to sampleRate/minHz (at most
   * half the frame). `oversample` 2 interpolates the frame to twice the rate first: for high notes,
   * whose period spans few samples, the dips of the difference function are otherwise too coarse to
   * compare or to place to a few cents.
   */
  constructor(sampleRate: number, size: number, minHz: number, maxHz: number, oversample: 1 | 2 = 1) {
    this.oversample = oversample;
    this.inputSize = size;
    sampleRate *= oversample;
    size *= oversample;
    this.sampleRate = sampleRate;
    this.size = size;
    this.maxLag = Math.min(Math.floor(size / 2), Math.ceil(sampleRate / minHz));
    this.minLag = Math.max(2, Math.floor(sampleRate / maxHz));
    let n = 1;
    while (n < 2 * size) n <<= 1;
    this.fftSize = n;
    this.buf = new Float64Array(n);
    this.re = new Float64Array(n / 2 + 1);
    this.im = new Float64Array(n / 2 + 1);
    this.power = new Float64Array(n);
    this.acf = new Float64Array(n / 2 + 1);
    this.diff = new Float64Array(this.maxLag + 2);
  }

  /** Analyse x[start, start + size). */
  analyse(x: Float32Array, start: number): F0Frame {
    const { size, fftSize, buf, re, im, power, acf, diff, maxLag, minLag } = this;
    buf.fill(0);
    if (this.oversample === 1) {
      for (let i = 0; i < size; i++) {
        const j = start + i;
        buf[i] = j >= 0 && j < x.length ? x[j] : 0;
      }
    } else {
      upsample2(x, start, this.inputSize, buf);
    }
    realFft(buf, fftSize, re, im);
    // Autocorrelation = inverse FFT of the power spectrum; the power spectrum is real and even, so
    // a forward FFT of it gives the same result (scaled by fftSize).
    const half = fftSize / 2;
    for (let k = 0; k <= half; k++) {
      const p = re[k] * re[k] + im[k] * im[k];
      power[k] = p;
      if (k > 0 && k < half) power[fftSize - k] = p;
    }
    realFft(power, fftSize, acf, im);
    // Energy terms of d(τ) = Σ_{j<size-τ} (x_j - x_{j+τ})² over the overlapping part.
    const scale = 1 / fftSize;
    let head = 0; // Σ x_j² for j < size - τ
    for (let i = 0; i < size; i++) head += buf[i] * buf[i];
    let tail = head; // Σ x_j² for τ <= j < size
    diff[0] = 1;
    let running = 0;
    let chosen = -1;
    for (let tau = 1; tau <= maxLag + 1; tau++) {
      head -= buf[size - tau] * buf[size - tau];
      tail -= buf[tau - 1] * buf[tau - 1];
      const d = Math.max(0, head + tail - 2 * acf[tau] * scale);
      running += d;
      diff[tau] = running > 0 ? (d * tau) / running : 1;
    }
    // First dip below the threshold, followed to its local minimum. Dips are compared at their
    // interpolated depth: at high pitches the period falls between lags and the integer lags
    // on either side of it can both sit above the threshold.
    for (let tau = minLag; tau <= maxLag; tau++) {
      if (diff[tau] < diff[tau - 1] && diff[tau] <= diff[tau + 1] && this.depth(tau) < THRESHOLD) {
        chosen = tau;
        break;
      }
    }
    if (chosen < 0) {
      // No clear period: the deepest dip, reported with its (high) aperiodicity.
      let best = minLag;
      for (let tau = minLag + 1; tau <= maxLag; tau++) if (diff[tau] < diff[best]) best = tau;
      chosen = best;
    }
    // Octave-up guard: when the waveform repeats clearly better at a multiple of the chosen lag,
    // the chosen lag was a partial period (strong even harmonics over a weak fundamental).
    for (let guard = 0; guard < 3; guard++) {
      let better = -1;
      let betterDepth = this.depth(chosen) - OCTAVE_MARGIN;
      for (let m = 2; m <= 3; m++) {
        const t = this.localMin(Math.round((chosen + this.offset(chosen)) * m));
        if (t < 0) continue;
        const dm = this.depth(t);
        if (dm < betterDepth) {
          better = t;
          betterDepth = dm;
        }
      }
      if (better < 0) break;
      chosen = better;
    }
    const lag = chosen + this.offset(chosen);
    const b = this.depth(chosen);
    return { hz: lag > 0 ? this.sampleRate / lag : 0, aperiodicity: Math.max(0, Math.min(1, b)) };
  }

  /** Sub-lag offset of the parabola through the normalised difference around `tau`. */
  private offset(tau: number): number {
    const a = this.diff[tau - 1];
    const b = this.diff[tau];
    const c = this.diff[tau + 1];
    const denom = a - 2 * b + c;
    return denom > 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / denom)) : 0;
  }

  /** Interpolated minimum value of the parabola around `tau`. */
  private depth(tau: number): number {
    const a = this.diff[tau - 1];
    const b = this.diff[tau];
    const c = this.diff[tau + 1];
    const denom = a - 2 * b + c;
    if (denom <= 0) return b;
    return Math.max(0, b - ((a - c) * (a - c)) / (8 * denom));
  }

  /** The local minimum within one lag of `tau`, or -1 outside the range. */
  private localMin(tau: number): number {
    if (tau - 1 < this.minLag || tau + 1 > this.maxLag) return -1;
    let t = tau;
    if (this.diff[t - 1] < this.diff[t]) t--;
    else if (this.diff[t + 1] < this.diff[t]) t++;
    if (t <= this.minLag || t >= this.maxLag) return -1;
    return this.diff[t] <= this.diff[t - 1] && this.diff[t] <= this.diff[t + 1] ? t : -1;
  }
}

/** Half of a windowed-sinc interpolator: taps for the samples midway between input samples. */
const HALF_TAPS = 12;
const midTaps = (() => {
  const h = new Float64Array(HALF_TAPS);
  for (let k = 0; k < HALF_TAPS; k++) {
    const t = k + 0.5;
    const w = 0.5 + 0.5 * Math.cos((Math.PI * t) / (HALF_TAPS + 0.5));
    h[k] = (Math.sin(Math.PI * t) / (Math.PI * t)) * w;
  }
  let sum = 0;
  for (let k = 0; k < HALF_TAPS; k++) sum += 2 * h[k];
  for (let k = 0; k < HALF_TAPS; k++) h[k] /= sum;
  return h;
})();

/** x[start, start + n) at twice the rate into out[0, 2n). */
function upsample2(x: Float32Array, start: number, n: number, out: Float64Array): void {
  const at = (j: number) => (j >= 0 && j < x.length ? x[j] : 0);
  for (let i = 0; i < n; i++) {
    const j = start + i;
    out[2 * i] = at(j);
    let v = 0;
    for (let k = 0; k < HALF_TAPS; k++) v += midTaps[k] * (at(j - k) + at(j + 1 + k));
    out[2 * i + 1] = v;
  }
}
