import { describe, expect, it } from 'vitest';
import { createContext } from '../context';
import { clickTrack, concat, type DrumPattern, drumLoop, gainDb, mix, note, progression } from '../testing';
import { onsetEnvelope, sharpenOnsets } from './onset-envelope';
import { rhythmAnalysis } from './rhythm-analysis';
import { patternEvidence } from './rhythm-pattern';
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

/** Drum-pattern evidence at `bpm` for a signal, as the octave decision reads it. */
function evidenceAt(signal: Float32Array, bpm: number) {
  const env = onsetEnvelope(createContext(signal, SR));
  const hats = sharpenOnsets(env.high, 0, env.frames, Math.round(env.rate * 0.25));
  return patternEvidence(
    { kick: env.kick, snare: env.snare, hats, first: 0, last: env.frames, rate: env.rate },
    bpm,
  );
}

/** A held bass note (sine and two harmonics) that dies away slowly, as a bass line's notes do. */
function bassNote(hz: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * SR));
  for (let i = 0; i < out.length; i++) {
    const t = i / SR;
    const env = Math.min(1, t / 0.005) * Math.exp(-t / 0.8);
    out[i] = 0.5 * env * (Math.sin(2 * Math.PI * hz * t) + 0.5 * Math.sin(4 * Math.PI * hz * t));
  }
  return out;
}

describe('drum onset functions', () => {
  // Kick on 1 and 3, snare on 2 and 4 at 100 BPM, and a bass note on every off-beat.
  const bpm = 100;
  const beat = 60 / bpm;
  const drums = loop({ kick: [0, 8], snare: [4, 12] }, bpm, 4);
  const bass = new Float32Array(drums.length);
  for (let b = 0; b < 16; b++) {
    const note = bassNote(55, beat * 0.9);
    const at = Math.round((b + 0.5) * beat * SR);
    for (let i = 0; i < note.length && at + i < bass.length; i++) bass[at + i] += note[i];
  }
  const env = onsetEnvelope(createContext(mix(drums, bass), SR));
  /** Mean of the largest value within ±30 ms of each of the given beat positions. */
  const at = (x: Float32Array, beats: number[]) => {
    let sum = 0;
    for (const b of beats) {
      const f = Math.round(b * beat * env.rate);
      let m = 0;
      for (let i = f - 3; i <= f + 3; i++) m = Math.max(m, x[i] ?? 0);
      sum += m;
    }
    return sum / beats.length;
  };
  const kicks = [0, 2, 4, 6, 8, 10, 12, 14];
  const snares = kicks.map((b) => b + 1);
  const bassNotes = kicks.map((b) => b + 0.5);

  it('tells the snare from the kick', () => {
    expect(at(env.snare, snares)).toBeGreaterThan(4 * at(env.snare, kicks));
    expect(at(env.kick, kicks)).toBeGreaterThan(4 * at(env.kick, snares));
  });

  it('does not read held bass notes as kicks', () => {
    expect(at(env.kick, kicks)).toBeGreaterThan(3 * at(env.kick, bassNotes));
  });

  it('hears a kit in a drum loop and none in a click track', () => {
    expect(env.kit).toBeGreaterThan(0.05);
    expect(onsetEnvelope(createContext(clickTrack(120, 8, SR), SR)).kit).toBeLessThan(0.01);
  });
});

describe('drum patterns', () => {
  it('finds a backbeat at the played tempo, half time at twice it and nothing at half', () => {
    const rock = loop({ kick: [0, 8], snare: [4, 12], hat: EIGHTHS }, 100, 4);
    expect(evidenceAt(rock, 100).backbeat).toBeGreaterThan(0.6);
    const doubled = evidenceAt(rock, 200);
    expect(doubled.backbeat).toBeLessThan(0.2);
    expect(doubled.halfTime).toBeGreaterThan(0.5);
    const halved = evidenceAt(rock, 50);
    expect(Math.max(halved.backbeat, halved.halfTime, halved.fourFloor)).toBeLessThan(0.2);
  });

  it('finds a kick on every beat at its tempo only', () => {
    // Reggaeton-style: the kick on every beat, the snare on syncopated sixteenths. At twice the
    // tempo kick and snare fall on alternate beats, but the snare only on every fourth one.
    const dembow = loop({ kick: [0, 4, 8, 12], snare: [3, 6, 11, 14], hat: EIGHTHS }, 95, 4);
    expect(evidenceAt(dembow, 95).fourFloor).toBeGreaterThan(0.5);
    const doubled = evidenceAt(dembow, 190);
    expect(Math.max(doubled.backbeat, doubled.halfTime, doubled.fourFloor)).toBeLessThan(0.3);
  });

  it('reads off-beat snares over four on the floor as the backbeat of twice the tempo', () => {
    const skank = loop({ kick: [0, 4, 8, 12], snare: [2, 6, 10, 14], hat: EIGHTHS }, 85, 4);
    const e = evidenceAt(skank, 85);
    expect(e.doubledBackbeat).toBeGreaterThan(0.5);
    // Support goes to the doubled backbeat; four on the floor keeps a little (the kick's body
    // leaves some snare evidence on the beats).
    expect(e.fourFloor).toBeLessThan(e.doubledBackbeat / 2);
    expect(evidenceAt(skank, 170).backbeat).toBeGreaterThan(0.5);
  });

  it('does not take a breakbeat kick that recurs every other beat for four on the floor', () => {
    // Kicks on 1, the "and" of 1 and the "and" of 3: at half the tempo two of them recur every
    // beat, but the others fall on the sixteenths between.
    const breakbeat = loop({ kick: [0, 2, 10], snare: [4, 12], hat: EIGHTHS }, 170, 8);
    expect(evidenceAt(breakbeat, 85).fourFloor).toBeLessThan(0.2);
  });

  it('hears the hats subdivide the beat, and not at twice the tempo', () => {
    const ballad = loop({ kick: [0, 8], snare: [4, 12], hat: EIGHTHS }, 70, 4);
    expect(evidenceAt(ballad, 70).subdivision).toBeGreaterThan(0.5);
    expect(evidenceAt(ballad, 140).subdivision).toBeLessThan(0.2);
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

  it('reads a half-time pattern at its written tempo, the felt one among the candidates', () => {
    // Written at 140 with the snare on 3 only: note for note a backbeat bar at 70. The drums
    // allow both; 140 is nearer the centre of the tempo prior, and it is how such loops (trap,
    // dubstep) are labelled.
    const halftime = loop({ kick: [0, 10], snare: [8], hat: EIGHTHS }, 140, 8);
    const t = tempoOf(halftime);
    expect(near(t.bpm, 140)).toBe(true);
    expect(t.candidates.some((c) => near(c.bpm, 70))).toBe(true);
  });

  it('reads four on the floor with a syncopated snare at the kick tempo', () => {
    const dembow = loop({ kick: [0, 4, 8, 12], snare: [3, 6, 11, 14], hat: EIGHTHS }, 92, 6);
    expect(near(tempoOf(dembow).bpm, 92)).toBe(true);
  });

  it('reads a ska pattern at its kick tempo when twice it is beyond any beat', () => {
    const skank = loop({ kick: [0, 4, 8, 12], snare: [2, 6, 10, 14], hat: EIGHTHS }, 170, 8);
    expect(near(tempoOf(skank).bpm, 170)).toBe(true);
  });

  it('keeps eighth-note hats over a backbeat at a slow tempo', () => {
    const ballad = loop({ kick: [0, 6, 10], snare: [4, 12], hat: EIGHTHS }, 65, 4);
    expect(near(tempoOf(ballad).bpm, 65)).toBe(true);
  });

  it('keeps a fast backbeat with hats on the beats fast', () => {
    // Punk: nothing between the beats, but kick and snare alternate on them; the hats alone
    // would rather have it at 90 with eighths.
    const punk = loop({ kick: [0, 8], snare: [4, 12], hat: [0, 4, 8, 12] }, 180, 8);
    expect(near(tempoOf(punk).bpm, 180)).toBe(true);
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
