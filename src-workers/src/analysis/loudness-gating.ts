/**
 * Gated loudness from a series of 100 ms energies. Each entry is sum over channels of
 * G_c * sum(y_c^2) for one 100 ms step of K-weighted samples; `stepFrames` is the frame count of a
 * step, so entry / stepFrames is the weighted mean square. Shared by the integrated loudness
 * (BS.1770-4) and the loudness range (EBU Tech 3342).
 */

const LUFS_OFFSET = -0.691;
const ABSOLUTE_GATE_LUFS = -70;

const toLufs = (meanSquare: number) => LUFS_OFFSET + 10 * Math.log10(meanSquare);
const fromLufs = (lufs: number) => 10 ** ((lufs - LUFS_OFFSET) / 10);

/** Mean-square energies of windows of `span` steps, advancing one step (100 ms) at a time. */
function windowEnergies(steps: Float64Array, count: number, stepFrames: number, span: number): Float64Array {
  const n = count - span + 1;
  if (n <= 0) return new Float64Array(0);
  const out = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < span; i++) sum += steps[i];
  const norm = 1 / (span * stepFrames);
  out[0] = sum * norm;
  for (let j = 1; j < n; j++) {
    sum += steps[j + span - 1] - steps[j - 1];
    // Running sums of non-negative terms can drift slightly below zero after cancellation.
    out[j] = Math.max(0, sum) * norm;
  }
  return out;
}

/**
 * Integrated loudness: 400 ms blocks with 75 % overlap, absolute gate at -70 LUFS, relative gate
 * 10 LU below the loudness of the blocks that passed the absolute gate. Null when there is no
 * complete block or every block is gated out.
 */
export function integratedLoudness(steps: Float64Array, count: number, stepFrames: number): number | null {
  const blocks = windowEnergies(steps, count, stepFrames, 4);
  const absGate = fromLufs(ABSOLUTE_GATE_LUFS);
  let sum = 0;
  let n = 0;
  for (const z of blocks) {
    if (z > absGate) {
      sum += z;
      n++;
    }
  }
  if (n === 0) return null;
  const relGate = Math.max(absGate, (sum / n) * 0.1); // -10 LU in the power domain
  sum = 0;
  n = 0;
  for (const z of blocks) {
    if (z > relGate) {
      sum += z;
      n++;
    }
  }
  return n === 0 ? null : toLufs(sum / n);
}

/**
 * Loudness range (EBU Tech 3342): short-term loudness over 3 s windows every 100 ms, absolute gate
 * -70 LUFS, relative gate 20 LU below their power mean, then the spread between the 10th and 95th
 * percentiles. Null when fewer than two windows survive (shorter than ~3.1 s or near silent).
 */
export function loudnessRange(steps: Float64Array, count: number, stepFrames: number): number | null {
  const windows = windowEnergies(steps, count, stepFrames, 30);
  const absGate = fromLufs(ABSOLUTE_GATE_LUFS);
  let sum = 0;
  let n = 0;
  for (const z of windows) {
    if (z > absGate) {
      sum += z;
      n++;
    }
  }
  if (n < 2) return null;
  const relGate = Math.max(absGate, (sum / n) * 0.01); // -20 LU
  const kept: number[] = [];
  for (const z of windows) if (z > relGate) kept.push(toLufs(z));
  if (kept.length < 2) return null;
  kept.sort((a, b) => a - b);
  // Nearest-rank percentiles, as in EBU's reference description and libebur128.
  const at = (p: number) => kept[Math.round((kept.length - 1) * p)];
  return Math.max(0, at(0.95) - at(0.1));
}
