/**
 * Deterministic test signals: tones at MIDI notes, chords and progressions in a key, drum-like
 * patterns at a tempo, noise bursts, silence. Everything is a pure function of its arguments
 * (noise takes a seed), so tests can rebuild the same signal anywhere.
 */
import { PITCH_CLASSES, type PitchClass, type Scale } from '@samplemind/contract';

export const DEFAULT_RATE = 44100;

export const midiToHz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

/** Small, fast, seedable PRNG (mulberry32) returning floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type ToneOptions = {
  sampleRate?: number;
  /** Peak amplitude of the sum (default 0.5). */
  amplitude?: number;
  /** Relative amplitudes of partials 1, 2, 3, … (default: the fundamental alone). */
  harmonics?: number[];
  /** Linear fade-in and exponential-ish fade-out, seconds (defaults 5 ms / 20 ms; 0 = hard edges). */
  attack?: number;
  release?: number;
  /** Exponential decay time constant in seconds (a plucked or struck note); omitted = sustained. */
  decay?: number;
  /** Start phase of every partial, radians. */
  phase?: number;
};

export function silence(seconds: number, sampleRate = DEFAULT_RATE): Float32Array {
  return new Float32Array(Math.round(seconds * sampleRate));
}

export function sine(frequency: number, seconds: number, options: ToneOptions = {}): Float32Array {
  return tone(frequency, seconds, { attack: 0, release: 0, ...options }, true);
}

/** A note at a MIDI number (fractional values detune), with optional harmonics and envelope. */
export function note(midi: number, seconds: number, options: ToneOptions = {}): Float32Array {
  return tone(midiToHz(midi), seconds, options, false);
}

function tone(frequency: number, seconds: number, o: ToneOptions, bare: boolean): Float32Array {
  const sr = o.sampleRate ?? DEFAULT_RATE;
  const n = Math.round(seconds * sr);
  const out = new Float32Array(n);
  const partials = o.harmonics ?? [1];
  const phase = o.phase ?? 0;
  let norm = 0;
  for (const a of partials) norm += Math.abs(a);
  const amp = (o.amplitude ?? 0.5) / (norm || 1);
  for (let k = 0; k < partials.length; k++) {
    const f = frequency * (k + 1);
    if (f >= sr / 2 || partials[k] === 0) continue;
    const w = (2 * Math.PI * f) / sr;
    const a = amp * partials[k];
    for (let i = 0; i < n; i++) out[i] += a * Math.sin(w * i + phase);
  }
  applyEnvelope(out, sr, bare ? 0 : (o.attack ?? 0.005), bare ? 0 : (o.release ?? 0.02), o.decay);
  return out;
}

function applyEnvelope(x: Float32Array, sr: number, attack: number, release: number, decay?: number): void {
  const na = Math.min(x.length, Math.round(attack * sr));
  const nr = Math.min(x.length, Math.round(release * sr));
  for (let i = 0; i < na; i++) x[i] *= i / na;
  for (let i = 0; i < nr; i++) x[x.length - 1 - i] *= i / nr;
  if (decay !== undefined) for (let i = 0; i < x.length; i++) x[i] *= Math.exp(-i / (decay * sr));
}

/** Several notes sounding together, scaled so the chord peaks near `amplitude`. */
export function chord(midis: number[], seconds: number, options: ToneOptions = {}): Float32Array {
  const parts = midis.map((m) => note(m, seconds, { ...options, amplitude: 1 }));
  return normalise(mix(...parts), options.amplitude ?? 0.5);
}

const MAJOR_STEPS = [0, 2, 4, 5, 7, 9, 11];
const MINOR_STEPS = [0, 2, 3, 5, 7, 8, 10];

/** MIDI notes of the diatonic triad on scale degree `degree` (1-7) of a key, root in `octave`. */
export function triad(tonic: PitchClass, scale: Scale, degree: number, octave = 4): number[] {
  const steps = scale === 'major' ? MAJOR_STEPS : MINOR_STEPS;
  const base = 12 * (octave + 1) + PITCH_CLASSES.indexOf(tonic);
  const at = (i: number) => base + steps[i % 7] + 12 * Math.floor(i / 7);
  const d = degree - 1;
  return [at(d), at(d + 2), at(d + 4)];
}

export type ProgressionOptions = ToneOptions & {
  bpm?: number;
  beatsPerChord?: number;
  octave?: number;
  bass?: boolean;
};

/** Diatonic triads in a key, one per `beatsPerChord` beats (default I-vi-IV-V or i-VI-iv-v style degrees given). */
export function progression(
  tonic: PitchClass,
  scale: Scale,
  degrees: number[],
  options: ProgressionOptions = {},
): Float32Array {
  const sr = options.sampleRate ?? DEFAULT_RATE;
  const seconds = ((options.beatsPerChord ?? 4) * 60) / (options.bpm ?? 120);
  const parts: Float32Array[] = [];
  for (const d of degrees) {
    const notes = triad(tonic, scale, d, options.octave ?? 4);
    if (options.bass ?? true) notes.push(notes[0] - 24);
    parts.push(chord(notes, seconds, { harmonics: [1, 0.5, 0.25, 0.12], ...options, sampleRate: sr }));
  }
  return concat(...parts);
}

export type DrumPattern = {
  /** Steps (0-based, in sixteenths unless stepsPerBeat says otherwise) within one bar. */
  kick?: number[];
  snare?: number[];
  hat?: number[];
};

export const FOUR_ON_THE_FLOOR: DrumPattern = { kick: [0, 4, 8, 12], snare: [4, 12], hat: [2, 6, 10, 14] };
export const BACKBEAT: DrumPattern = { kick: [0, 8, 10], snare: [4, 12], hat: [0, 2, 4, 6, 8, 10, 12, 14] };

export type DrumOptions = {
  bpm: number;
  bars?: number;
  beatsPerBar?: number;
  stepsPerBeat?: number;
  sampleRate?: number;
  seed?: number;
  amplitude?: number;
};

/** A drum loop: synthetic kick (pitch-swept sine), snare (noise + body) and hat (bright noise tick). */
export function drumLoop(pattern: DrumPattern, o: DrumOptions): Float32Array {
  const sr = o.sampleRate ?? DEFAULT_RATE;
  const beatsPerBar = o.beatsPerBar ?? 4;
  const stepsPerBeat = o.stepsPerBeat ?? 4;
  const bars = o.bars ?? 2;
  const stepSec = 60 / o.bpm / stepsPerBeat;
  const total = Math.round(bars * beatsPerBar * stepsPerBeat * stepSec * sr);
  const out = new Float32Array(total);
  const random = rng(o.seed ?? 1);
  const hits = { kick: kick(sr), snare: snare(sr, random), hat: hat(sr, random) };
  for (let bar = 0; bar < bars; bar++) {
    for (const kind of ['kick', 'snare', 'hat'] as const) {
      for (const step of pattern[kind] ?? []) {
        const at = Math.round((bar * beatsPerBar * stepsPerBeat + step) * stepSec * sr);
        addAt(out, hits[kind], at);
      }
    }
  }
  return normalise(out, o.amplitude ?? 0.8);
}

/** Short clicks on every beat: the plainest possible tempo signal. */
export function clickTrack(
  bpm: number,
  seconds: number,
  sampleRate = DEFAULT_RATE,
  amplitude = 0.8,
): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  const click = sine(2000, 0.01, { sampleRate, amplitude });
  applyEnvelope(click, sampleRate, 0, 0, 0.002);
  for (let t = 0; t < seconds; t += 60 / bpm) addAt(out, click, Math.round(t * sampleRate));
  return out;
}

export function kick(sampleRate = DEFAULT_RATE): Float32Array {
  const n = Math.round(0.35 * sampleRate);
  const out = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const f = 45 + 110 * Math.exp(-t / 0.03);
    phase += (2 * Math.PI * f) / sampleRate;
    out[i] = Math.sin(phase) * Math.exp(-t / 0.12);
  }
  return out;
}

export function snare(sampleRate = DEFAULT_RATE, random = rng(2)): Float32Array {
  const n = Math.round(0.2 * sampleRate);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    out[i] =
      0.6 * (random() * 2 - 1) * Math.exp(-t / 0.05) +
      0.4 * Math.sin(2 * Math.PI * 190 * t) * Math.exp(-t / 0.04);
  }
  return out;
}

export function hat(sampleRate = DEFAULT_RATE, random = rng(3)): Float32Array {
  const n = Math.round(0.05 * sampleRate);
  const out = new Float32Array(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const white = random() * 2 - 1;
    out[i] = 0.5 * (white - prev) * Math.exp(-i / sampleRate / 0.012); // first difference: bright
    prev = white;
  }
  return out;
}

/** White noise with an exponential decay (a burst); `decay` omitted = steady noise. */
export function noiseBurst(
  seconds: number,
  o: { sampleRate?: number; seed?: number; amplitude?: number; decay?: number } = {},
): Float32Array {
  const sr = o.sampleRate ?? DEFAULT_RATE;
  const random = rng(o.seed ?? 7);
  const out = new Float32Array(Math.round(seconds * sr));
  const amp = o.amplitude ?? 0.5;
  for (let i = 0; i < out.length; i++) {
    out[i] = amp * (random() * 2 - 1) * (o.decay === undefined ? 1 : Math.exp(-i / sr / o.decay));
  }
  return out;
}

export function mix(...signals: Float32Array[]): Float32Array {
  const out = new Float32Array(Math.max(0, ...signals.map((s) => s.length)));
  for (const s of signals) for (let i = 0; i < s.length; i++) out[i] += s[i];
  return out;
}

export function concat(...signals: Float32Array[]): Float32Array {
  const out = new Float32Array(signals.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of signals) {
    out.set(s, at);
    at += s.length;
  }
  return out;
}

/** Repeats a signal `times` times end to end (a loop). */
export function repeat(signal: Float32Array, times: number): Float32Array {
  return concat(...Array.from({ length: times }, () => signal));
}

export function gainDb(signal: Float32Array, db: number): Float32Array {
  const g = 10 ** (db / 20);
  return signal.map((x) => x * g);
}

/** Scales so the absolute peak equals `peak` (silence stays silent). */
export function normalise(signal: Float32Array, peak: number): Float32Array {
  let max = 0;
  for (const x of signal) max = Math.max(max, Math.abs(x));
  if (max === 0) return signal;
  const g = peak / max;
  for (let i = 0; i < signal.length; i++) signal[i] *= g;
  return signal;
}

/** Copies a mono signal to `count` channels with per-channel gains (default: equal). */
export function channels(mono: Float32Array, count: number, gains?: number[]): Float32Array[] {
  return Array.from({ length: count }, (_, c) => mono.map((x) => x * (gains?.[c] ?? 1)));
}

function addAt(out: Float32Array, hit: Float32Array, at: number): void {
  for (let i = 0; i < hit.length && at + i < out.length; i++) out[at + i] += hit[i];
}
