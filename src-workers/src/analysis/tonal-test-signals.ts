/**
 * Synthetic signals for the tonal tests: harmonic tones, chord progressions over a bass line,
 * noise. Deterministic (seeded), so a failing test fails the same way every time.
 */
export const TEST_RATE = 22050;

export const midiToHz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

export type ToneOptions = {
  /** Amplitude of harmonics 1..n relative to the fundamental (default: 1/h for 8 harmonics). */
  harmonics?: number[];
  durationSec?: number;
  /** Exponential decay rate, 1/s (0 = sustained). */
  decay?: number;
  amplitude?: number;
  sampleRate?: number;
};

/** One harmonic tone with a 5 ms attack. */
export function harmonicTone(hz: number, options: ToneOptions = {}): Float32Array {
  const sr = options.sampleRate ?? TEST_RATE;
  const out = new Float32Array(Math.round(sr * (options.durationSec ?? 1.5)));
  addTone(
    out,
    sr,
    0,
    out.length,
    hz,
    options.harmonics ?? defaultHarmonics(8),
    options.amplitude ?? 0.3,
    options.decay ?? 1,
  );
  return out;
}

function defaultHarmonics(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 1 / (i + 1));
}

function addTone(
  out: Float32Array,
  sr: number,
  from: number,
  length: number,
  hz: number,
  harmonics: number[],
  amplitude: number,
  decay: number,
): void {
  const attack = 0.005 * sr;
  const fall = Math.exp(-decay / sr);
  for (let h = 1; h <= harmonics.length; h++) {
    const f = h * hz;
    if (f >= sr / 2 || harmonics[h - 1] === 0) continue;
    // Rotating phasor: one multiply-add per sample instead of a sine.
    const cw = Math.cos((2 * Math.PI * f) / sr);
    const sw = Math.sin((2 * Math.PI * f) / sr);
    let re = Math.cos(h * 0.7);
    let im = Math.sin(h * 0.7);
    let env = amplitude * harmonics[h - 1];
    for (let i = 0; i < length && from + i < out.length; i++) {
      out[from + i] += env * Math.min(1, i / attack) * im;
      const r = re * cw - im * sw;
      im = re * sw + im * cw;
      re = r;
      env *= fall;
    }
  }
}

export type Chord = { root: number; quality: 'major' | 'minor' | 'diminished' };

/**
 * A chord progression: each chord a block of three harmonic tones around middle C plus its root
 * two octaves lower as the bass, `beatsPerChord` beats at `bpm`, the whole repeated `repeats` times.
 * `tuningCents` shifts everything off A = 440 Hz.
 */
export function progression(
  tonic: number,
  chords: Chord[],
  options: {
    bpm?: number;
    beatsPerChord?: number;
    repeats?: number;
    tuningCents?: number;
    drums?: boolean;
  } = {},
): Float32Array {
  const sr = TEST_RATE;
  const beat = 60 / (options.bpm ?? 100);
  const chordSamples = Math.round(beat * (options.beatsPerChord ?? 4) * sr);
  const repeats = options.repeats ?? 1;
  const out = new Float32Array(chordSamples * chords.length * repeats + sr);
  const shift = (options.tuningCents ?? 0) / 100;
  let at = 0;
  for (let r = 0; r < repeats; r++) {
    for (const chord of chords) {
      const third = chord.quality === 'major' ? 4 : 3;
      const fifth = chord.quality === 'diminished' ? 6 : 7;
      // Close voicing between F3 and E5: the chord's tones folded into one octave above F3.
      const root = 53 + ((((tonic + chord.root - 53) % 12) + 12) % 12);
      for (const interval of [0, third, fifth]) {
        addTone(out, sr, at, chordSamples, midiToHz(root + interval + shift), defaultHarmonics(6), 0.08, 0.3);
      }
      const bass = 36 + ((((tonic + chord.root) % 12) + 12) % 12); // C2..B2
      addTone(out, sr, at, chordSamples, midiToHz(bass + shift), defaultHarmonics(6), 0.12, 0.8);
      if (options.drums) addDrums(out, sr, at, chordSamples, beat);
      at += chordSamples;
    }
  }
  return out;
}

/** A kick (falling sine) on every beat and a noise snare on the off-beats. */
function addDrums(out: Float32Array, sr: number, from: number, length: number, beat: number): void {
  const noise = seededNoise(from + 1);
  const beatSamples = Math.round(beat * sr);
  for (let b = 0; b * beatSamples < length; b++) {
    const start = from + b * beatSamples;
    const kickLength = Math.round(0.25 * sr);
    let phase = 0;
    for (let i = 0; i < kickLength && start + i < out.length; i++) {
      const t = i / sr;
      phase += (2 * Math.PI * (50 + 100 * Math.exp(-t * 30))) / sr;
      out[start + i] += 0.5 * Math.exp(-t * 12) * Math.sin(phase);
    }
    const snareStart = start + (beatSamples >> 1);
    const snareLength = Math.round(0.12 * sr);
    for (let i = 0; i < snareLength && snareStart + i < out.length; i++) {
      out[snareStart + i] += 0.3 * Math.exp((-i / sr) * 30) * noise();
    }
  }
}

/** Uniform noise in [-1, 1) from a linear congruential generator. */
export function seededNoise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 4294967296) * 2 - 1;
  };
}

export function whiteNoise(durationSec: number, amplitude = 0.3, seed = 1): Float32Array {
  const next = seededNoise(seed);
  const out = new Float32Array(Math.round(TEST_RATE * durationSec));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * next();
  return out;
}

/** A chord on a scale degree given in semitones above the tonic. */
export const chord = (root: number, quality: Chord['quality']): Chord => ({ root, quality });
