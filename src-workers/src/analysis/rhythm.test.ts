import { describe, expect, it } from 'vitest';
import { createContext } from '../context';
import { detectLoop } from './loop';
import { analyseTempo } from './tempo';

const RATE = 22050;

/** Deterministic noise so that tests do not flake. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

type Hit = 'kick' | 'snare' | 'hat' | 'click';

function addHit(out: Float32Array, at: number, kind: Hit, gain: number, rnd: () => number): void {
  const len = Math.floor(
    RATE * (kind === 'kick' ? 0.25 : kind === 'snare' ? 0.18 : kind === 'hat' ? 0.05 : 0.01),
  );
  const start = Math.round(at * RATE);
  let prev = 0;
  for (let i = 0; i < len && start + i < out.length; i++) {
    const t = i / RATE;
    let v: number;
    if (kind === 'kick') v = Math.sin(2 * Math.PI * (50 + 80 * Math.exp(-t * 30)) * t) * Math.exp(-t * 14);
    else if (kind === 'snare') v = (0.6 * rnd() + 0.4 * Math.sin(2 * Math.PI * 190 * t)) * Math.exp(-t * 22);
    else if (kind === 'hat') {
      // First difference of noise: a crude high-pass, like a hi-hat.
      const n = rnd();
      v = (n - prev) * 0.5 * Math.exp(-t * 70);
      prev = n;
    } else v = i < 20 ? 1 - i / 20 : 0;
    out[start + i] += gain * v;
  }
}

/** A drum pattern: `steps` per beat, lanes as strings over one bar ('x' hit, '.' rest). */
function pattern(
  bpm: number,
  bars: number,
  lanes: Partial<Record<Hit, string>>,
  opts: { lead?: number; tail?: number } = {},
) {
  const rnd = noise(7);
  const steps = Object.values(lanes)[0]?.length ?? 16;
  const barSec = (4 * 60) / bpm;
  const beatsPerBar = steps === 12 ? 3 : 4;
  const barLen = (beatsPerBar * 60) / bpm;
  const lead = opts.lead ?? 0;
  const total = lead + bars * (beatsPerBar === 4 ? barSec : barLen) + (opts.tail ?? 0);
  const out = new Float32Array(Math.round(total * RATE));
  for (let b = 0; b < bars; b++) {
    for (const [kind, lane] of Object.entries(lanes) as [Hit, string][]) {
      for (let i = 0; i < lane.length; i++) {
        if (lane[i] === '.') continue;
        addHit(out, lead + b * barLen + (i * barLen) / lane.length, kind, lane[i] === 'X' ? 0.8 : 0.5, rnd);
      }
    }
  }
  return out;
}

function run(signal: Float32Array) {
  const ctx = createContext(signal, RATE);
  const tempo = analyseTempo(ctx);
  return { tempo, loop: detectLoop(ctx, tempo) };
}

const ROCK = { kick: 'X.......X.......', snare: '....X.......X...', hat: 'x.x.x.x.x.x.x.x.' };

describe('analyseTempo', () => {
  it('finds the tempo of a click track', () => {
    const { tempo } = run(pattern(120, 6, { click: 'x...x...x...x...' }));
    expect(tempo.bpm).not.toBeNull();
    expect(Math.abs((tempo.bpm ?? 0) / 120 - 1)).toBeLessThan(0.01);
  });

  it('finds a rock pattern at a non-integer tempo, free cut', () => {
    const { tempo } = run(pattern(97.3, 6, ROCK, { lead: 0.31, tail: 1.2 }));
    expect(Math.abs((tempo.bpm ?? 0) / 97.3 - 1)).toBeLessThan(0.01);
  });

  it('finds a fast pattern without halving it', () => {
    const { tempo } = run(pattern(172, 8, ROCK));
    expect(Math.abs((tempo.bpm ?? 0) / 172 - 1)).toBeLessThan(0.01);
  });

  it('reads a waltz as three beats to the bar', () => {
    const { tempo } = run(
      pattern(150, 8, { kick: 'X...........', snare: '....x...x...', hat: 'x.x.x.x.x.x.' }),
    );
    expect(Math.abs((tempo.bpm ?? 0) / 150 - 1)).toBeLessThan(0.01);
    expect(tempo.beatsPerBar).toBe(3);
  });

  it('counts beats and bars of an exact four-bar loop', () => {
    const { tempo } = run(pattern(120, 4, ROCK));
    expect(tempo.bpm).toBeCloseTo(120, 1);
    expect(tempo.beats).toBe(16);
    expect(tempo.bars).toBe(4);
    expect(tempo.beatsPerBar).toBe(4);
  });

  it('gives no tempo for silence', () => {
    const { tempo, loop } = run(new Float32Array(RATE * 6));
    expect(tempo.bpm).toBeNull();
    expect(tempo.confidence).toBe(0);
    expect(loop.isLoop).toBe(false);
  });

  it('gives no tempo for a steady tone', () => {
    const tone = new Float32Array(RATE * 5);
    for (let i = 0; i < tone.length; i++) tone[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / RATE);
    expect(run(tone).tempo.bpm).toBeNull();
  });

  it('ranks candidates best first with a confident reading for a clean loop', () => {
    const { tempo } = run(pattern(126, 8, ROCK));
    const scores = tempo.candidates.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(tempo.confidence).toBeGreaterThan(0.5);
  });
});

describe('detectLoop', () => {
  it('calls a single decaying hit a one-shot', () => {
    const out = new Float32Array(RATE * 2);
    addHit(out, 0.01, 'kick', 0.9, noise(3));
    const decay = new Float32Array(RATE * 3);
    const rnd = noise(5);
    // A long cymbal-like noise decay: long, but still one event.
    for (let i = 0; i < decay.length; i++) decay[i] = 0.5 * rnd() * Math.exp((-3 * i) / RATE);
    expect(run(out).loop.isLoop).toBe(false);
    expect(run(decay).loop.isLoop).toBe(false);
  });

  it('calls a repeated drum pattern a loop', () => {
    const { loop } = run(pattern(110, 4, ROCK));
    expect(loop.isLoop).toBe(true);
    expect(loop.confidence).toBeGreaterThan(0.5);
  });

  it('finds the loop after a long silence', () => {
    const body = pattern(100, 4, ROCK);
    const withLead = new Float32Array(body.length + RATE * 8);
    withLead.set(body, RATE * 8);
    const { tempo, loop } = run(withLead);
    expect(loop.isLoop).toBe(true);
    expect(Math.abs((tempo.bpm ?? 0) / 100 - 1)).toBeLessThan(0.01);
  });
});
