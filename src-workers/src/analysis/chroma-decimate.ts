/**
 * Down-sampling by 4 for tonal analysis. Key finding only needs pitch content below ~2 kHz, so
 * the long-window spectrogram runs at a quarter of the analysis rate: a 2048-point FFT there has
 * the frequency resolution of an 8192-point FFT at the full rate for a sixteenth of the cost.
 *
 * Two half-band stages: the first may alias freely above its output's quarter band, the second is
 * sharper because its transition band sits just above the range the chroma reads.
 */

/** Highest frequency (as a fraction of the output rate) that the decimator keeps alias-free. */
export const DECIMATED_PASSBAND = 0.4;

const stage1 = halfBandTaps(23);
const stage2 = halfBandTaps(47);

/** Windowed-sinc half-band low-pass (cut-off at a quarter of the input rate). `n` must be odd. */
function halfBandTaps(n: number): Float64Array {
  const taps = new Float64Array(n);
  const mid = (n - 1) / 2;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = i - mid;
    const sinc = t === 0 ? 0.5 : Math.sin((Math.PI * t) / 2) / (Math.PI * t);
    // Blackman-Harris window: high stop-band rejection so bass harmonics do not fold back.
    const a = (2 * Math.PI * i) / (n - 1);
    const w = 0.35875 - 0.48829 * Math.cos(a) + 0.14128 * Math.cos(2 * a) - 0.01168 * Math.cos(3 * a);
    taps[i] = sinc * w;
    sum += taps[i];
  }
  for (let i = 0; i < n; i++) taps[i] /= sum;
  return taps;
}

/** Low-pass and keep every second sample. Odd taps of a half-band filter are zero, so they are skipped. */
export function decimateBy2(x: Float32Array, taps: Float64Array = stage1): Float32Array {
  const n = x.length;
  const out = new Float32Array(n >> 1);
  const mid = (taps.length - 1) >> 1;
  const centre = taps[mid];
  // Outputs whose window lies inside the signal: o in [inFrom, inTo).
  const inFrom = Math.min(out.length, (mid + 1) >> 1);
  const inTo = Math.max(inFrom, Math.min(out.length, ((n - mid - 1) >> 1) + 1));
  edges(x, taps, out, 0, inFrom);
  // Half-band taps vanish at even offsets from the centre; symmetric pairs share one tap. Two
  // outputs per pass share the tap loads; each output's sum keeps its order.
  let o = inFrom;
  for (; o + 1 < inTo; o += 2) {
    const c = 2 * o;
    let a0 = centre * x[c];
    let a1 = centre * x[c + 2];
    for (let k = 1; k <= mid; k += 2) {
      const t = taps[mid - k];
      a0 += t * (x[c - k] + x[c + k]);
      a1 += t * (x[c + 2 - k] + x[c + 2 + k]);
    }
    out[o] = a0;
    out[o + 1] = a1;
  }
  edges(x, taps, out, o, inTo);
  edges(x, taps, out, inTo, out.length);
  return out;
}

/** Outputs [from, to) with the signal taken as zero outside its bounds. */
function edges(x: Float32Array, taps: Float64Array, out: Float32Array, from: number, to: number): void {
  const n = x.length;
  const mid = (taps.length - 1) >> 1;
  const at = (i: number) => (i >= 0 && i < n ? x[i] : 0);
  for (let o = from; o < to; o++) {
    const c = 2 * o;
    let acc = taps[mid] * x[c];
    for (let k = 1; k <= mid; k += 2) acc += taps[mid - k] * (at(c - k) + at(c + k));
    out[o] = acc;
  }
}

/** Two half-band stages: sampleRate / 4. */
export function decimateBy4(x: Float32Array): Float32Array {
  return decimateBy2(decimateBy2(x, stage1), stage2);
}
