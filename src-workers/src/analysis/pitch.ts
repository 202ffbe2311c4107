import type { Pitch } from '@samplemind/contract';
import type { AnalysisContext } from '../context';
import { YinAnalyser } from './tonal-f0';

/**
 * Root note of a one-shot: YIN on frames of the sustained part (after the attack transient, while
 * the sound is within 30 dB of its peak), the energy-weighted median over periodic frames, then the
 * nearest MIDI note with its deviation in cents.
 */
const FRAME = 2048; // 93 ms at 22050 Hz: the difference function spans two periods of a 22 Hz tone
/** Frame for notes found above SHORT_FRAME_MIN_HZ: half the cost, still two periods of 43 Hz. */
const SHORT_FRAME = 1024;
const SHORT_FRAME_MIN_HZ = 100;
/** Above this the period spans under ~40 samples: analyse at twice the rate. */
const OVERSAMPLE_MIN_HZ = 500;
const MIN_HZ = 27;
const MAX_HZ = 4200;
const ENV_HOP = 256;
/** Skip this long after the envelope peak: the attack's noise and pitch glide are not the note. */
const ATTACK_SKIP_SEC = 0.03;
const SUSTAIN_FLOOR_DB = -30;
const MAX_SPAN_SEC = 2;
const MAX_FRAMES = 8;
/** Frames noisier than this do not vote. */
const VOICED_APERIODICITY = 0.35;

const NO_PITCH: Pitch = { midiNote: null, cents: null, frequencyHz: null, confidence: 0 };

export function analysePitch(ctx: AnalysisContext): Pitch {
  const x = ctx.mono;
  const sr = ctx.sampleRate;
  const frames = selectFrames(x, sr);
  if (frames.length === 0) return NO_PITCH;
  const hz: number[] = [];
  const weight: number[] = [];
  let aperiodicitySum = 0;
  // The first frame picks the analyser: the long window's lag range is only needed for low notes,
  // and high notes need the oversampled one.
  const long = analyser(sr, FRAME, 1);
  let yin = long;
  const probe = long.analyse(x, frames[0].start);
  if (probe.aperiodicity < VOICED_APERIODICITY && probe.hz > SHORT_FRAME_MIN_HZ) {
    yin = analyser(sr, SHORT_FRAME, probe.hz > OVERSAMPLE_MIN_HZ ? 2 : 1);
  }
  for (let i = 0; i < frames.length; i++) {
    const { start, energy } = frames[i];
    const r = i === 0 && yin === long ? probe : yin.analyse(x, start);
    aperiodicitySum += r.aperiodicity;
    if (r.hz <= 0 || r.aperiodicity > VOICED_APERIODICITY) continue;
    hz.push(r.hz);
    weight.push(Math.sqrt(energy) * (1 - r.aperiodicity));
  }
  ctx.checkpoint();
  if (hz.length === 0) return NO_PITCH;
  const f0 = weightedMedian(hz, weight);
  const midiFloat = 69 + 12 * Math.log2(f0 / 440);
  const midiNote = Math.round(midiFloat);
  const cents = Math.max(-50, Math.min(50, Math.round((midiFloat - midiNote) * 100)));
  let agree = 0;
  let total = 0;
  for (let i = 0; i < hz.length; i++) {
    total += weight[i];
    if (Math.abs(12 * Math.log2(hz[i] / f0)) < 0.5) agree += weight[i];
  }
  const voiced = hz.length / frames.length;
  const periodicity = 1 - aperiodicitySum / frames.length;
  const confidence = Math.max(0, Math.min(1, voiced * (agree / total) * periodicity));
  return { midiNote, cents, frequencyHz: f0, confidence };
}

const analysers = new Map<string, YinAnalyser>();
function analyser(sr: number, size: number, oversample: 1 | 2): YinAnalyser {
  const key = `${sr}:${size}:${oversample}`;
  let a = analysers.get(key);
  if (!a) {
    a = new YinAnalyser(sr, size, MIN_HZ, MAX_HZ, oversample);
    analysers.set(key, a);
  }
  return a;
}

type FrameRef = { start: number; energy: number };

/** Frame starts spread over the sustained part, with each frame's energy. */
function selectFrames(x: Float32Array, sr: number): FrameRef[] {
  const n = Math.floor(x.length / ENV_HOP);
  if (n === 0) return [];
  const env = new Float32Array(n);
  let peak = 0;
  let peakAt = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * ENV_HOP;
    for (let j = 0; j < ENV_HOP; j++) s += x[o + j] * x[o + j];
    env[i] = s / ENV_HOP;
    if (env[i] > peak) {
      peak = env[i];
      peakAt = i;
    }
  }
  if (peak < 1e-10) return [];
  const floor = peak * 10 ** (SUSTAIN_FLOOR_DB / 10);
  // The sustained region: from just after the attack to where the sound falls below the floor.
  const span = Math.floor((MAX_SPAN_SEC * sr) / ENV_HOP);
  let last = peakAt;
  while (last + 1 < n && last + 1 - peakAt <= span && env[last + 1] >= floor) last++;
  let first = Math.min(last, peakAt + Math.ceil((ATTACK_SKIP_SEC * sr) / ENV_HOP));
  // A sound that swells to its end has no room after the peak: read the swell before it.
  const frameHops = FRAME / ENV_HOP;
  while (last + 1 - first < frameHops && first > 0 && env[first - 1] >= floor) first--;
  const startFirst = Math.max(0, Math.min(first * ENV_HOP, x.length - FRAME));
  const startLast = Math.max(startFirst, Math.min((last + 1) * ENV_HOP - FRAME, x.length - FRAME));
  const count = Math.max(1, Math.min(MAX_FRAMES, Math.floor((startLast - startFirst) / (FRAME / 4)) + 1));
  const out: FrameRef[] = [];
  for (let k = 0; k < count; k++) {
    const start =
      count === 1 ? startFirst : Math.round(startFirst + ((startLast - startFirst) * k) / (count - 1));
    let e = 0;
    const i0 = Math.floor(start / ENV_HOP);
    const i1 = Math.min(n, i0 + FRAME / ENV_HOP);
    for (let i = i0; i < i1; i++) e += env[i];
    out.push({ start, energy: e });
  }
  return out;
}

function weightedMedian(values: number[], weights: number[]): number {
  const idx = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  let total = 0;
  for (const w of weights) total += w;
  let acc = 0;
  for (const i of idx) {
    acc += weights[i];
    if (acc >= total / 2) return values[i];
  }
  return values[idx[idx.length - 1]];
}
