/**
 * True-peak meter of ITU-R BS.1770-4 Annex 2: the signal is oversampled with the Annex's 48-tap
 * polyphase interpolator (4 phases x 12 taps) and the largest absolute interpolated value is kept.
 * Streaming: each channel keeps the last 11 input samples, so chunk boundaries change nothing.
 *
 * Cost control: an interpolated value is a 12-tap dot product, so it can never exceed
 * (sum |h_phase|) * max|x| over its taps. Blocks whose local maximum times that bound cannot beat
 * the running peak are skipped without filtering; the result is identical, only cheaper (quiet
 * passages and decaying tails are skipped entirely).
 */

const TAPS = 12;
const HISTORY = TAPS - 1;
const BLOCK = 16; // >= HISTORY, so a block plus the previous one covers every tap

// Annex 2 table, phase p holds prototype taps p, p+4, … (index 0 multiplies the newest sample).
const PHASES: readonly (readonly number[])[] = [
  [
    0.001708984375, 0.010986328125, -0.0196533203125, 0.033203125, -0.0594482421875, 0.1373291015625,
    0.97216796875, -0.102294921875, 0.047607421875, -0.026611328125, 0.014892578125, -0.00830078125,
  ],
  [
    -0.0291748046875, 0.029296875, -0.0517578125, 0.0891113281250, -0.166503906250, 0.465087890625,
    0.77978515625, -0.2003173828125, 0.1015625, -0.0582275390625, 0.0330810546875, -0.0189208984375,
  ],
  [
    -0.0189208984375, 0.0330810546875, -0.0582275390625, 0.1015625, -0.2003173828125, 0.77978515625,
    0.465087890625, -0.166503906250, 0.0891113281250, -0.0517578125, 0.029296875, -0.0291748046875,
  ],
  [
    -0.00830078125, 0.014892578125, -0.026611328125, 0.047607421875, -0.102294921875, 0.97216796875,
    0.1373291015625, -0.0594482421875, 0.033203125, -0.0196533203125, 0.010986328125, 0.001708984375,
  ],
];

/** Largest sum of |taps| over the phases: bound on |output| / max|input|. */
const GAIN_BOUND = Math.max(...PHASES.map((p) => p.reduce((s, h) => s + Math.abs(h), 0)));

/** Interpolation factor used at a sample rate: 4x up to 96 kHz, 2x below 192 kHz, none above. */
export function oversamplingFactor(sampleRate: number): 1 | 2 | 4 {
  if (sampleRate < 96000) return 4;
  if (sampleRate < 192000) return 2;
  return 1;
}

export type TruePeakMeter = {
  /**
   * Feed one channel's next samples (values must be finite). `knownPeak`, when given, is a level
   * the result will be at least (the sample peak): it lets more blocks be skipped.
   */
  push(channel: number, samples: Float32Array, knownPeak?: number): void;
  /** max(known peaks, largest absolute interpolated value), flushing the filter tails. */
  finish(): number;
};

export function createTruePeakMeter(sampleRate: number, channels: number): TruePeakMeter {
  const factor = oversamplingFactor(sampleRate);
  // At 2x the interpolated points are the half-sample phase plus the (near-identity) phase 0.
  const phaseIds = factor === 4 ? [0, 1, 2, 3] : factor === 2 ? [0, 2] : [];
  const h = new Float64Array(4 * TAPS);
  PHASES.forEach((p, i) => h.set(p, i * TAPS));
  const usePhase = [0, 1, 2, 3].map((p) => phaseIds.includes(p));
  const buffers: Float32Array[] = [];
  const prevBlockMax = new Float64Array(channels);
  let peak = 0;

  const run = (buf: Float32Array, length: number, channel: number) => {
    // buf[0..HISTORY) is history; outputs are computed for every sample from HISTORY on.
    let prev = prevBlockMax[channel];
    for (let start = HISTORY; start < length; start += BLOCK) {
      const end = Math.min(length, start + BLOCK);
      let m = 0;
      for (let i = start; i < end; i++) {
        const v = buf[i];
        const a = v < 0 ? -v : v;
        if (a > m) m = a;
      }
      if ((m > prev ? m : prev) * GAIN_BOUND > peak) peak = filterBlock(buf, start, end, h, usePhase, peak);
      prev = m;
    }
    prevBlockMax[channel] = prev;
  };

  const push = (channel: number, samples: Float32Array, knownPeak = 0) => {
      if (knownPeak > peak) peak = knownPeak;
      if (factor === 1) {
        for (let i = 0; i < samples.length; i++) {
          const a = Math.abs(samples[i]);
          if (a > peak) peak = a;
        }
        return;
      }
      const needed = HISTORY + samples.length;
      let buf = buffers[channel];
      if (!buf || buf.length < needed) {
        const grown = new Float32Array(needed);
        if (buf) grown.set(buf.subarray(0, HISTORY));
        buf = grown;
        buffers[channel] = buf;
      }
      buf.set(samples, HISTORY);
      run(buf, needed, channel);
      // Keep the newest samples as history (copyWithin handles the overlap).
      buf.copyWithin(0, needed - HISTORY, needed);
  };
  return {
    push,
    finish() {
      if (factor !== 1) {
        // The interpolator lags by ~6 input samples: flush zeros so the last samples are reached.
        const zeros = new Float32Array(HISTORY);
        for (let c = 0; c < channels; c++) if (buffers[c]) push(c, zeros);
      }
      return peak;
    },
  };
}

function filterBlock(
  buf: Float32Array,
  start: number,
  end: number,
  h: Float64Array,
  usePhase: boolean[],
  current: number,
): number {
  let peak = current;
  for (let p = 0; p < 4; p++) {
    if (!usePhase[p]) continue;
    const o = p * TAPS;
    const h0 = h[o];
    const h1 = h[o + 1];
    const h2 = h[o + 2];
    const h3 = h[o + 3];
    const h4 = h[o + 4];
    const h5 = h[o + 5];
    const h6 = h[o + 6];
    const h7 = h[o + 7];
    const h8 = h[o + 8];
    const h9 = h[o + 9];
    const h10 = h[o + 10];
    const h11 = h[o + 11];
    for (let i = start; i < end; i++) {
      const y =
        h0 * buf[i] +
        h1 * buf[i - 1] +
        h2 * buf[i - 2] +
        h3 * buf[i - 3] +
        h4 * buf[i - 4] +
        h5 * buf[i - 5] +
        h6 * buf[i - 6] +
        h7 * buf[i - 7] +
        h8 * buf[i - 8] +
        h9 * buf[i - 9] +
        h10 * buf[i - 10] +
        h11 * buf[i - 11];
      const a = y < 0 ? -y : y;
      if (a > peak) peak = a;
    }
  }
  return peak;
}
