/** Level-envelope helpers of the classifier's descriptors (1 ms blocks of mean square). */

/**
 * Mean square per block of the signal and of its first difference (a gentle high-pass). A DC
 * blocker (pole at `dcPole`, about 15 Hz) goes first: analogue drum machines and some recordings
 * carry a slow infrasonic drift that would otherwise read as a long, loud low-frequency tail.
 */
export function blockPowers(
  x: Float32Array,
  block: number,
  dcPole: number,
): { pow: Float64Array; hp: Float64Array } {
  const n = Math.ceil(x.length / block);
  const pow = new Float64Array(n);
  const hp = new Float64Array(n);
  let prev = 0;
  let prevIn = 0;
  for (let b = 0; b < n; b++) {
    const end = Math.min(x.length, (b + 1) * block);
    let p = 0;
    let h = 0;
    for (let i = b * block; i < end; i++) {
      const v = x[i] - prevIn + dcPole * prev;
      prevIn = x[i];
      const d = v - prev;
      p += v * v;
      h += d * d;
      prev = v;
    }
    const count = end - b * block;
    pow[b] = p / count;
    hp[b] = h / count;
  }
  return { pow, hp };
}

/** Centred moving average over `width` blocks. */
export function movingAverage(v: Float64Array, width: number): Float64Array {
  const out = new Float64Array(v.length);
  const half = width >> 1;
  let sum = 0;
  let lo = 0;
  let hi = -1;
  for (let i = 0; i < v.length; i++) {
    const a = Math.max(0, i - half);
    const b = Math.min(v.length - 1, i - half + width - 1);
    while (hi < b) sum += v[++hi];
    while (lo < a) sum -= v[lo++];
    out[i] = sum / (hi - lo + 1);
  }
  return out;
}

/**
 * Counts level peaks in [from, to) (sampled every `step` blocks) separated by dips of at least
 * `dipDb` below both neighbours, counting only peaks within `floorDb` of the loudest.
 */
export function countPeaks(
  env: Float64Array,
  from: number,
  to: number,
  step: number,
  dipDb: number,
  floorDb: number,
): number {
  let max = 0;
  for (let b = from; b < to; b++) max = Math.max(max, env[b]);
  if (max <= 0) return 0;
  const floor = max * 10 ** (-floorDb / 10);
  const dip = 10 ** (-dipDb / 10);
  let count = 0;
  let peak = 0;
  let trough = Number.POSITIVE_INFINITY;
  let falling = false;
  for (let b = from; b < to; b += step) {
    const v = env[b];
    if (!falling) {
      if (v > peak) peak = v;
      else if (v < peak * dip) {
        if (peak >= floor) count++;
        falling = true;
        trough = v;
      }
    } else if (v < trough) trough = v;
    else if (v > trough / dip) {
      falling = false;
      peak = v;
    }
  }
  if (!falling && peak >= floor) count++;
  return count;
}

/** Mean absolute deviation of 20 ms level steps around their median (dB): wobble, not decay. */
export function roughness(env: Float64Array, block: number, sr: number, from: number, to: number): number {
  const step = Math.max(1, Math.round((0.02 * sr) / block));
  const start = from + Math.round((0.03 * sr) / block);
  const steps: number[] = [];
  let prev = Number.NaN;
  for (let b = start; b + step <= to + 1; b += step) {
    let s = 0;
    for (let i = b; i < b + step; i++) s += env[i];
    const db = 10 * Math.log10(s / step + 1e-20);
    if (!Number.isNaN(prev)) steps.push(db - prev);
    prev = db;
  }
  if (steps.length < 3) return 0;
  const mid = median(steps);
  let dev = 0;
  for (const s of steps) dev += Math.abs(s - mid);
  return dev / steps.length;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}
