/**
 * Level meter that runs at the file's own sample rate over the decoder's planar chunks, in one
 * streaming pass: sample peak, true peak (BS.1770-4 Annex 2), RMS, integrated loudness
 * (BS.1770-4 / EBU R128) and loudness range (EBU Tech 3342).
 *
 * Conventions: peaks are dBFS of the largest |sample| (so a full-scale sine reads 0 dBFS);
 * rmsDb is the plain mean square over every sample of every channel (a full-scale sine reads
 * -3.01 dB, not the AES "+3 dB" convention); loudness counts a mono file as one channel.
 */
import type { Levels } from '@samplemind/contract';
import { integratedLoudness, loudnessRange } from './loudness-gating';
import { channelWeights, kWeightingBiquads } from './loudness-kweight';
import { createTruePeakMeter } from './loudness-true-peak';

export type LevelMeter = { push(chunk: Float32Array[]): void; finish(): Levels };

/**
 * Below one 16-bit LSB the file holds nothing audible (zeros, or dither around zero): silent.
 * samplePeakDb stays a number for such files unless every sample is exactly zero.
 */
const SILENCE_PEAK = 1 / 32768;
// Feedback state this small is a denormal waiting to happen after a fade to digital silence.
const DENORMAL = 1e-25;

export function createLevelMeter(sampleRate: number, channels: number): LevelMeter {
  const { shelf, highPass } = kWeightingBiquads(sampleRate);
  const coeffs = Float64Array.of(shelf.b0, shelf.b1, shelf.b2, shelf.a1, shelf.a2, highPass.a1, highPass.a2);
  const weights = channelWeights(channels);
  const stepFrames = Math.max(1, Math.round(sampleRate / 10)); // 100 ms gating step
  const truePeak = createTruePeakMeter(sampleRate, channels);
  // Per channel: shelf (z1, z2), high-pass (w1, w2), transposed direct form II.
  const state = new Float64Array(channels * 4);

  let steps = new Float64Array(256);
  let stepCount = 0;
  let stepEnergy = 0; // weighted K-energy of the 100 ms step being filled
  let stepFill = 0; // frames already in that step
  let peak = 0;
  let sumSquares = 0;
  let samples = 0;
  let sanitised: Float32Array | null = null;

  const pushStep = () => {
    if (stepCount === steps.length) {
      const grown = new Float64Array(steps.length * 2);
      grown.set(steps);
      steps = grown;
    }
    steps[stepCount++] = stepEnergy;
    stepEnergy = 0;
    stepFill = 0;
  };

  /** Peak and sum of squares of a channel, replacing NaN/±Inf (never valid audio) by 0. */
  const scan = (data: Float32Array): Float32Array => {
    peakAndSquares(data, stats);
    if (Number.isFinite(stats[1])) {
      if (stats[0] > peak) peak = stats[0];
      sumSquares += stats[1];
      return data;
    }
    if (!sanitised || sanitised.length < data.length) sanitised = new Float32Array(data.length);
    const clean = sanitised.subarray(0, data.length);
    for (let i = 0; i < data.length; i++) clean[i] = Number.isFinite(data[i]) ? data[i] : 0;
    return scan(clean);
  };
  const stats = new Float64Array(2);
  const pair = new Float64Array(2);

  return {
    push(chunk) {
      const frames = chunk[0]?.length ?? 0;
      if (frames === 0) return;
      const data = chunk.slice(0, channels);
      for (let c = 0; c < data.length; c++) {
        // A channel is scanned first so that filters never see NaN (it would stick in their state).
        const clean = scan(data[c]);
        data[c] = clean === data[c] ? data[c] : clean.slice();
        truePeak.push(c, data[c], peak);
      }
      samples += frames * data.length;
      // Split at 100 ms boundaries so every step sums exactly its own frames across channels.
      let from = 0;
      while (from < frames) {
        const to = Math.min(frames, from + (stepFrames - stepFill));
        let c = 0;
        // Channels in pairs: two independent filter chains in one loop keep the CPU busy while
        // each waits on its own feedback (same arithmetic per channel as one at a time).
        for (; c + 1 < data.length; c += 2) {
          kFilterPair(data[c], data[c + 1], from, to, coeffs, state, c * 4, pair);
          if (weights[c] !== 0) stepEnergy += weights[c] * pair[0];
          if (weights[c + 1] !== 0) stepEnergy += weights[c + 1] * pair[1];
        }
        if (c < data.length) {
          const e = kFilter(data[c], from, to, coeffs, state, c * 4);
          if (weights[c] !== 0) stepEnergy += weights[c] * e;
        }
        stepFill += to - from;
        from = to;
        if (stepFill === stepFrames) pushStep();
      }
    },
    finish() {
      const tp = truePeak.finish();
      const isSilent = peak < SILENCE_PEAK;
      const db = (v: number) => (v > 0 ? 20 * Math.log10(v) : null);
      return {
        samplePeakDb: db(peak),
        truePeakDb: db(Math.max(tp, peak)),
        rmsDb: samples > 0 && sumSquares > 0 ? 10 * Math.log10(sumSquares / samples) : null,
        lufs: isSilent ? null : integratedLoudness(steps, stepCount, stepFrames),
        loudnessRangeLu: isSilent ? null : loudnessRange(steps, stepCount, stepFrames),
        isSilent,
      };
    },
  };
}

// Hot loops live at module level: V8 keeps type feedback per closure, so loops inside
// createLevelMeter's closures would start cold (interpreted) again for every file.

/** stats[0] = max |x|, stats[1] = sum of x^2. */
function peakAndSquares(data: Float32Array, stats: Float64Array): void {
  let pk = 0;
  let sq = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    const a = Math.abs(v);
    if (a > pk) pk = a;
    sq += v * v;
  }
  stats[0] = pk;
  stats[1] = sq;
}

/**
 * kFilter on two channels at once (state at state[o..o+8)): their sums of squared outputs go to
 * sums[0] and sums[1].
 */
function kFilterPair(
  a: Float32Array,
  b: Float32Array,
  from: number,
  to: number,
  c: Float64Array,
  state: Float64Array,
  o: number,
  sums: Float64Array,
): void {
  const b0 = c[0];
  const b1 = c[1];
  const b2 = c[2];
  const a1 = c[3];
  const a2 = c[4];
  const ha1 = c[5];
  const ha2 = c[6];
  let z1 = state[o];
  let z2 = state[o + 1];
  let w1 = state[o + 2];
  let w2 = state[o + 3];
  let u1 = state[o + 4];
  let u2 = state[o + 5];
  let v1 = state[o + 6];
  let v2 = state[o + 7];
  let sumA = 0;
  let sumB = 0;
  for (let i = from; i < to; i++) {
    const x = a[i];
    const y = b0 * x + z1;
    z1 = b1 * x - a1 * y + z2;
    z2 = b2 * x - a2 * y;
    const k = y + w1;
    w1 = -2 * y - ha1 * k + w2;
    w2 = y - ha2 * k;
    sumA += k * k;
    const xb = b[i];
    const yb = b0 * xb + u1;
    u1 = b1 * xb - a1 * yb + u2;
    u2 = b2 * xb - a2 * yb;
    const kb = yb + v1;
    v1 = -2 * yb - ha1 * kb + v2;
    v2 = yb - ha2 * kb;
    sumB += kb * kb;
  }
  state[o] = Math.abs(z1) < DENORMAL ? 0 : z1;
  state[o + 1] = Math.abs(z2) < DENORMAL ? 0 : z2;
  state[o + 2] = Math.abs(w1) < DENORMAL ? 0 : w1;
  state[o + 3] = Math.abs(w2) < DENORMAL ? 0 : w2;
  state[o + 4] = Math.abs(u1) < DENORMAL ? 0 : u1;
  state[o + 5] = Math.abs(u2) < DENORMAL ? 0 : u2;
  state[o + 6] = Math.abs(v1) < DENORMAL ? 0 : v1;
  state[o + 7] = Math.abs(v2) < DENORMAL ? 0 : v2;
  sums[0] = sumA;
  sums[1] = sumB;
}

/**
 * K-filter frames [from, to) of one channel (shelf then RLB high-pass, transposed direct form II,
 * state at state[o..o+4)), returning the sum of squared outputs.
 */
function kFilter(
  data: Float32Array,
  from: number,
  to: number,
  c: Float64Array,
  state: Float64Array,
  o: number,
): number {
  const b0 = c[0];
  const b1 = c[1];
  const b2 = c[2];
  const a1 = c[3];
  const a2 = c[4];
  const ha1 = c[5];
  const ha2 = c[6];
  let z1 = state[o];
  let z2 = state[o + 1];
  let w1 = state[o + 2];
  let w2 = state[o + 3];
  let sum = 0;
  for (let i = from; i < to; i++) {
    const x = data[i];
    const y = b0 * x + z1;
    z1 = b1 * x - a1 * y + z2;
    z2 = b2 * x - a2 * y;
    const k = y + w1;
    w1 = -2 * y - ha1 * k + w2;
    w2 = y - ha2 * k;
    sum += k * k;
  }
  state[o] = Math.abs(z1) < DENORMAL ? 0 : z1;
  state[o + 1] = Math.abs(z2) < DENORMAL ? 0 : z2;
  state[o + 2] = Math.abs(w1) < DENORMAL ? 0 : w1;
  state[o + 3] = Math.abs(w2) < DENORMAL ? 0 : w2;
  return sum;
}
