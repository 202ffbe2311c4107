/**
 * Deterministic synthetic sounds for the timbre/levels tests (not used by the engine itself).
 * All at the analysis rate unless a rate is given.
 */
export const RATE = 22050;

/** Small deterministic PRNG in [-1, 1). */
export function noiseSource(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 31 - 1;
  };
}

export function silence(seconds: number, rate = RATE): Float32Array {
  return new Float32Array(Math.round(seconds * rate));
}

export function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function scaled(x: Float32Array, gain: number): Float32Array {
  return x.map((v) => v * gain);
}

export function sine(freq: number, seconds: number, amp = 0.5, rate = RATE): Float32Array {
  const n = Math.round(seconds * rate);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return x;
}

export function whiteNoise(seconds: number, amp = 0.3, seed = 1, rate = RATE): Float32Array {
  const rnd = noiseSource(seed);
  return Float32Array.from({ length: Math.round(seconds * rate) }, () => amp * rnd());
}

/** Kick-like: a pitch sweep from `startHz` to `endHz` with an exponential decay of `tau` s. */
export function kick(
  opts: { startHz?: number; endHz?: number; tau?: number; amp?: number; seconds?: number } = {},
) {
  const { startHz = 150, endHz = 50, tau = 0.12, amp = 0.9, seconds = 0.6 } = opts;
  const n = Math.round(seconds * RATE);
  const x = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const f = endHz + (startHz - endHz) * Math.exp(-t / 0.03);
    phase += (2 * Math.PI * f) / RATE;
    x[i] = amp * Math.exp(-t / tau) * Math.sin(phase) * Math.min(1, t / 0.001);
  }
  return x;
}

/** Hat-like: first-difference (high-passed) noise with a short exponential decay. */
export function hat(opts: { tau?: number; amp?: number; seconds?: number; seed?: number } = {}) {
  const { tau = 0.04, amp = 0.6, seconds = 0.3, seed = 7 } = opts;
  const rnd = noiseSource(seed);
  const n = Math.round(seconds * RATE);
  const x = new Float32Array(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const w = rnd();
    x[i] = amp * 0.5 * (w - prev) * Math.exp(-i / RATE / tau);
    prev = w;
  }
  return x;
}

/** Harmonic tone (1/h partials) with linear attack and exponential release after `holdSec`. */
export function tone(
  freq: number,
  opts: { attack?: number; hold?: number; tau?: number; amp?: number } = {},
) {
  const { attack = 0.01, hold = 0.5, tau = 0.2, amp = 0.5 } = opts;
  const seconds = attack + hold + tau * 6;
  const n = Math.round(seconds * RATE);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const env = t < attack ? t / attack : t < attack + hold ? 1 : Math.exp(-(t - attack - hold) / tau);
    let v = 0;
    for (let h = 1; h <= 8 && h * freq < RATE / 2; h++) v += Math.sin(2 * Math.PI * h * freq * t) / h;
    x[i] = amp * 0.6 * env * v;
  }
  return x;
}
