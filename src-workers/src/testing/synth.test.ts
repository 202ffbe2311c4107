import { describe, expect, it } from 'vitest';
import { peakFrequency, rms, toneAmplitude } from './measure';
import {
  BACKBEAT,
  chord,
  clickTrack,
  drumLoop,
  midiToHz,
  noiseBurst,
  note,
  progression,
  rng,
  silence,
  triad,
} from './synth';

describe('synthesis kit', () => {
  it('is deterministic: same arguments, same samples', () => {
    expect(Array.from(noiseBurst(0.01, { seed: 5 }))).toEqual(Array.from(noiseBurst(0.01, { seed: 5 })));
    expect(Array.from(noiseBurst(0.01, { seed: 5 }))).not.toEqual(Array.from(noiseBurst(0.01, { seed: 6 })));
    const a = rng(1);
    const b = rng(1);
    for (let i = 0; i < 10; i++) expect(a()).toBe(b());
  });

  it('puts a note at its MIDI pitch', () => {
    expect(midiToHz(69)).toBe(440);
    expect(midiToHz(60)).toBeCloseTo(261.626, 3);
    for (const midi of [33, 57, 69, 84]) {
      const x = note(midi, 1, { harmonics: [1, 0.5, 0.25] });
      expect(Math.abs(peakFrequency(x, 44100) - midiToHz(midi))).toBeLessThan(0.5);
    }
  });

  it('builds diatonic triads and chords that contain their notes', () => {
    expect(triad('A', 'minor', 1, 3)).toEqual([57, 60, 64]); // A C E
    expect(triad('C', 'major', 5, 4)).toEqual([67, 71, 74]); // G B D
    expect(triad('F#', 'minor', 6, 4)).toEqual([74, 78, 81]); // D F# A
    const x = chord([60, 64, 67], 1);
    for (const m of [60, 64, 67])
      expect(toneAmplitude(x, midiToHz(m), 44100, 4410, 40000)).toBeGreaterThan(0.1);
    expect(toneAmplitude(x, midiToHz(62), 44100, 4410, 40000)).toBeLessThan(0.01);
  });

  it('makes loops whose length follows the tempo', () => {
    expect(drumLoop(BACKBEAT, { bpm: 120, bars: 2 }).length).toBe(4 * 44100);
    expect(drumLoop(BACKBEAT, { bpm: 90, bars: 1, beatsPerBar: 3, sampleRate: 48000 }).length).toBe(
      2 * 48000,
    );
    expect(progression('A', 'minor', [1, 6, 4, 5], { bpm: 100, beatsPerChord: 4 }).length).toBe(
      4 * 2.4 * 44100,
    );
  });

  it('places clicks on the beat and leaves silence silent', () => {
    const x = clickTrack(120, 2);
    expect(rms(x, 0, 400)).toBeGreaterThan(0.1); // beat 1
    expect(rms(x, 22050, 22450)).toBeGreaterThan(0.1); // beat 2, 0.5 s later
    expect(rms(x, 11000, 21000)).toBe(0);
    expect(rms(silence(0.5))).toBe(0);
  });
});
