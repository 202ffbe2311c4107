/** Measurements for tests: decode a whole source, find a tone's frequency, compare levels. */
import type { AudioSource } from '../decode/types';
import { magnitudeSpectrum } from '../dsp/fft';

/** Drains a source into whole channels (tests only: real callers stream). */
export async function decodeAll(
  source: AudioSource,
): Promise<{ channels: Float32Array[]; frames: number; chunkSizes: number[] }> {
  const parts: Float32Array[][] = [];
  const chunkSizes: number[] = [];
  for await (const chunk of source.chunks()) {
    parts.push(chunk.map((c) => c.slice()));
    chunkSizes.push(chunk[0]?.length ?? 0);
  }
  const frames = chunkSizes.reduce((a, b) => a + b, 0);
  const count = parts[0]?.length ?? source.info.channels;
  const channels = Array.from({ length: count }, (_, c) => {
    const out = new Float32Array(frames);
    let at = 0;
    for (const p of parts) {
      out.set(p[c], at);
      at += p[c].length;
    }
    return out;
  });
  return { channels, frames, chunkSizes };
}

/** Frequency of the strongest spectral peak (Hann window, parabolic interpolation on log magnitude). */
export function peakFrequency(signal: Float32Array, sampleRate: number, minHz = 20): number {
  const n = Math.min(1 << 16, 2 ** Math.floor(Math.log2(signal.length)));
  const offset = Math.floor((signal.length - n) / 2);
  const frame = new Float32Array(n);
  for (let i = 0; i < n; i++) frame[i] = signal[offset + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
  const mag = new Float32Array(n / 2 + 1);
  magnitudeSpectrum(frame, n, mag);
  const lo = Math.max(1, Math.ceil((minHz * n) / sampleRate));
  let k = lo;
  for (let i = lo; i < n / 2; i++) if (mag[i] > mag[k]) k = i;
  const [a, b, c] = [mag[k - 1], mag[k], mag[k + 1]].map((x) => Math.log(x + 1e-20));
  const delta = (0.5 * (a - c)) / (a - 2 * b + c || 1);
  return ((k + delta) * sampleRate) / n;
}

export function rms(signal: Float32Array, from = 0, to = signal.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += signal[i] * signal[i];
  return Math.sqrt(s / Math.max(1, to - from));
}

/** Amplitude of the component at `hz` (least-squares fit of a sine and a cosine). */
export function toneAmplitude(
  signal: Float32Array,
  hz: number,
  sampleRate: number,
  from = 0,
  to = signal.length,
): number {
  let sc = 0;
  let ss = 0;
  let cc = 0;
  let sn = 0;
  let cs = 0;
  const w = (2 * Math.PI * hz) / sampleRate;
  for (let i = from; i < to; i++) {
    const s = Math.sin(w * i);
    const c = Math.cos(w * i);
    sc += signal[i] * c;
    ss += signal[i] * s;
    cc += c * c;
    sn += s * s;
    cs += s * c;
  }
  // Solve the 2x2 normal equations [sn cs; cs cc]·[a b] = [ss sc].
  const det = sn * cc - cs * cs;
  const a = (ss * cc - sc * cs) / det;
  const b = (sc * sn - ss * cs) / det;
  return Math.hypot(a, b);
}

export const db = (ratio: number) => 20 * Math.log10(ratio);
