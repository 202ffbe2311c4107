/**
 * Periodicity of an onset-strength envelope: detrending, autocorrelation and fractional-lag
 * reads. Lags are in envelope frames.
 */

/** Removes the slow level (moving average over `window` frames) so that the autocorrelation sees onsets, not loudness. */
export function detrend(x: Float32Array, window: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const half = Math.max(1, Math.floor(window / 2));
  // Running sum over [i - half, i + half], clamped at the edges.
  let sum = 0;
  let lo = 0;
  let hi = -1;
  for (let i = 0; i < n; i++) {
    const wantHi = Math.min(n - 1, i + half);
    while (hi < wantHi) sum += x[++hi];
    const wantLo = Math.max(0, i - half);
    while (lo < wantLo) sum -= x[lo++];
    out[i] = x[i] - sum / (hi - lo + 1);
  }
  return out;
}

/**
 * Unbiased autocorrelation normalised to 1 at lag 0, lags 0..maxLag. Each lag is averaged over
 * its overlap, so long lags are not penalised for the shorter overlap.
 */
export function autocorrelation(x: Float64Array, maxLag: number): Float64Array {
  const n = x.length;
  const lags = Math.max(0, Math.min(maxLag, n - 1));
  const out = new Float64Array(lags + 1);
  let e0 = 0;
  for (let i = 0; i < n; i++) e0 += x[i] * x[i];
  if (e0 <= 0) return out;
  const norm0 = e0 / n;
  for (let l = 0; l <= lags; l++) {
    let s = 0;
    const m = n - l;
    for (let i = 0; i < m; i++) s += x[i] * x[i + l];
    out[l] = s / m / norm0;
  }
  return out;
}

/** Cubic (Catmull-Rom) read of `a` at a fractional index; 0 outside. */
export function readAt(a: Float64Array, pos: number): number {
  if (pos < 0 || pos > a.length - 1) return 0;
  const i = Math.floor(pos);
  const t = pos - i;
  const p1 = a[i];
  if (t === 0) return p1;
  const p0 = i > 0 ? a[i - 1] : p1;
  const p2 = i + 1 < a.length ? a[i + 1] : p1;
  const p3 = i + 2 < a.length ? a[i + 2] : p2;
  return p1 + 0.5 * t * (p2 - p0 + t * (2 * p0 - 5 * p1 + 4 * p2 - p3 + t * (3 * (p1 - p2) + p3 - p0)));
}

/** Highest value of `a` within ±radius of `pos` (fractional), read on a fine sub-grid. */
export function peakNear(a: Float64Array, pos: number, radius: number): { pos: number; value: number } {
  let best = Number.NEGATIVE_INFINITY;
  let bestPos = pos;
  const step = Math.max(0.02, radius / 25);
  for (let p = pos - radius; p <= pos + radius + 1e-9; p += step) {
    const v = readAt(a, p);
    if (v > best) {
      best = v;
      bestPos = p;
    }
  }
  return { pos: bestPos, value: best };
}
