import { describe, expect, it } from 'vitest';
import { createContext } from '../context';
import { concat, type DrumPattern, drumLoop, gainDb, mix, note, progression } from '../testing';
import { onsetEnvelope } from './onset-envelope';
import { rhythmAnalysis } from './rhythm-analysis';
import { backbeat } from './rhythm-backbeat';
import { analyseTempo } from './tempo';

/**
 * The metrical cues behind the octave decision, on synthesised drum patterns (steps are
 * sixteenths unless stated): which beat the drums imply, independent of any corpus.
 */

const SR = 22050;
const EIGHTHS = [0, 2, 4, 6, 8, 10, 12, 14];
const SIXTEENTHS = Array.from({ length: 16 }, (_, i) => i);

function loop(
  pattern: DrumPattern,
  bpm: number,
  bars: number,
  extra: { beatsPerBar?: number; stepsPerBeat?: number } = {},
) {
  return drumLoop(pattern, { bpm, bars, sampleRate: SR, ...extra });
}

function tempoOf(signal: Float32Array) {
  return analyseTempo(createContext(signal, SR));
}

const near = (bpm: number | null, target: number) => bpm !== null && Math.abs(bpm / target - 1) < 0.02;

describe('backbeat test', () => {
  const rock = loop({ kick: [0, 8], snare: [4, 12], hat: EIGHTHS }, 100, 4);
  const env = onsetEnvelope(createContext(rock, SR));
  const at = (bpm: number) => backbeat(env.kick, env.snare, 0, env.frames, env.rate, bpm);

  it('finds kick and snare on opposite beat parities at the played tempo', () => {
    const b = at(100);
    expect(b.alternation).toBeGreaterThan(0.6);
    expect(Math.sign(b.kickParity)).toBe(-Math.sign(b.snareParity));
  });

  it('finds no alternation at twice or half the tempo', () => {
    // At 200 both drums land on the same parity; at 50 the snare falls between the beats.
    expect(at(200).alternation).toBeLessThan(0.2);
    expect(at(50).alternation).toBeLessThan(0.2);
  });
});

describe('drum presence', () => {
  it('reads noise in the top band as drums and pitched partials as not', () => {
    const drums = onsetEnvelope(
      createContext(loop({ kick: [0, 8], snare: [4, 12], hat: EIGHTHS }, 110, 4), SR),
    );
    // A bright pitched loop: notes with many partials reaching past 5 kHz, no noise.
    const partials = Array.from({ length: 24 }, (_, k) => 1 / (k + 1));
    const notes: Float32Array[] = [];
    for (let i = 0; i < 16; i++)
      notes.push(note(57 + ((i * 5) % 12), 0.5, { sampleRate: SR, harmonics: partials, decay: 0.3 }));
    const pitched = concat(...notes);
    const tonal = onsetEnvelope(createContext(pitched, SR));
    expect(drums.noiseFlatness).toBeGreaterThan(0.3);
    expect(tonal.noiseFlatness).toBeLessThan(0.1);
  });

  it('does not mistake an empty top band (low sample rate, pure tones) for noise', () => {
    const chords = progression('C', 'major', [1, 6, 4, 5], { bpm: 100, sampleRate: SR });
    expect(onsetEnvelope(createContext(chords, SR)).noiseFlatness).toBe(0);
  });
});

describe('octave decision', () => {
  it('reads sixteenth hats over a backbeat at 90 as 90, not as eighths at 180', () => {
    // Funk and hip-hop: the snare on 2 and 4 at 90 BPM; at 180 it would fall on every other bar's 3.
    const funk = loop({ kick: [0, 3, 10], snare: [4, 12], hat: SIXTEENTHS }, 90, 4);
    expect(near(tempoOf(funk).bpm, 90)).toBe(true);
  });

  it('reads a half-time pattern at its felt tempo', () => {
    // Written at 140 with the snare on 3 only. Note for note this is a backbeat bar at 70 (kick on
    // 1, snare on 2 of every half bar), and 70 is the tempo a listener taps; the written 140 is a
    // genre convention the drums cannot show. The engine reports the felt tempo, with 140 among
    // the candidates.
    const halftime = loop({ kick: [0, 10], snare: [8], hat: EIGHTHS }, 140, 8);
    const t = tempoOf(halftime);
    expect(near(t.bpm, 70)).toBe(true);
    expect(t.candidates.some((c) => near(c.bpm, 140))).toBe(true);
  });

  it('keeps eighth-note hats over a backbeat at a slow tempo', () => {
    const ballad = loop({ kick: [0, 6, 10], snare: [4, 12], hat: EIGHTHS }, 65, 4);
    expect(near(tempoOf(ballad).bpm, 65)).toBe(true);
  });

  it('keeps a fast backbeat fast', () => {
    const rock = loop({ kick: [0, 8, 10], snare: [4, 12], hat: EIGHTHS }, 168, 8);
    expect(near(tempoOf(rock).bpm, 168)).toBe(true);
  });

  it('reads a drum loop under chords at the drums tempo', () => {
    const drums = loop({ kick: [0, 8, 10], snare: [4, 12], hat: EIGHTHS }, 96, 4);
    const chords = gainDb(progression('A', 'minor', [1, 6, 7, 5], { bpm: 96, sampleRate: SR }), -6);
    expect(near(tempoOf(mix(drums, chords)).bpm, 96)).toBe(true);
  });
});

describe('metrical grid', () => {
  it('reads a triplet shuffle at its beat, not at 3/2 of it', () => {
    // Three steps per beat: hats on the beat and the third triplet, snare on 2 and 4. At 3/2 of the
    // tempo the triplet eighths pair into straight "beats" of a 3/4 bar.
    const shuffle = loop({ kick: [0, 6], snare: [3, 9], hat: [0, 2, 3, 5, 6, 8, 9, 11] }, 70, 4, {
      stepsPerBeat: 3,
    });
    const t = tempoOf(shuffle);
    expect(near(t.bpm, 70)).toBe(true);
    expect(t.beatsPerBar).toBe(4);
  });

  it('reads a 3/4 waltz as three beats to the bar', () => {
    const waltz = loop({ kick: [0], snare: [4, 8], hat: [0, 2, 4, 6, 8, 10] }, 150, 8, { beatsPerBar: 3 });
    const t = tempoOf(waltz);
    expect(near(t.bpm, 150)).toBe(true);
    expect(t.beatsPerBar).toBe(3);
  });

  it('does not read four-on-the-floor with off-beat snares as a shuffle at two thirds of the tempo', () => {
    // At 2/3 of the tempo kick and snare alternate on the beats as in a shuffle; the backbeat test
    // only chooses octaves within the grid that the pulse salience found.
    const skank = loop({ kick: [0, 4, 8, 12], snare: [2, 6, 10, 14], hat: EIGHTHS }, 150, 8);
    const r = rhythmAnalysis(createContext(skank, SR));
    const best = r.hypotheses[0]?.bpm ?? 0;
    expect(near(best, 100)).toBe(false);
  });
});
