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
  const at = (i: number) => (i >= 0 && i < n ? x[i] : 0);
  for (let o = 0; o < out.length; o++) {
    const c = 2 * o;
    let acc = centre * x[c];
    // Half-band taps vanish at even offsets from the centre; symmetric pairs share one tap.
    if (c - mid >= 0 && c + mid < n) {
      for (let k = 1; k <= mid; k += 2) acc += taps[mid - k] * (x[c - k] + x[c + k]);
    } else {
      for (let k = 1; k <= mid; k += 2) acc += taps[mid - k] * (at(c - k) + at(c + k));
    }
    out[o] = acc;
  }
  return out;
}

/** Two half-band stages: sampleRate / 4. */
export function decimateBy4(x: Float32Array): Float32Array {
  return decimateBy2(decimateBy2(x, stage1), stage2);
}
