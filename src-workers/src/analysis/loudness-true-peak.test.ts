import { describe, expect, it } from 'vitest';
import { createTruePeakMeter, oversamplingFactor } from './loudness-true-peak';

/** A decaying sum of sines below 0.4 fs, sampled; its continuous peak is found by dense evaluation. */
function multiSine(rate: number, seed: number) {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const parts = Array.from({ length: 5 }, () => ({
    f: rnd() * 0.4 * rate,
    a: 0.1 + rnd() * 0.3,
    ph: rnd() * 6.28,
  }));
  const decay = 3 / 0.2; // fades over ~0.2 s, so the peak sits near the start
  const value = (t: number) => {
    let v = 0;
    for (const p of parts) v += p.a * Math.sin(2 * Math.PI * p.f * t + p.ph);
    return v * Math.exp(-decay * t) * Math.min(1, t / 0.002); // 2 ms fade-in: no step at t = 0
  };
  const n = Math.round(0.25 * rate);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = value(i / rate);
  let continuous = 0;
  for (let i = 0; i < n * 64; i++) continuous = Math.max(continuous, Math.abs(value(i / (rate * 64))));
  return { x, continuous };
}

const db = (v: number) => 20 * Math.log10(v);

describe('true-peak meter', () => {
  it('oversamples 4x below 96 kHz, 2x below 192 kHz, not at all above', () => {
    expect([44100, 48000, 88200, 96000, 176400, 192000].map(oversamplingFactor)).toEqual([4, 4, 4, 2, 2, 1]);
  });

  it('finds the continuous peak of band-limited signals within the 4x grid error', () => {
    for (let seed = 1; seed <= 12; seed++) {
      for (const rate of [44100, 48000]) {
        const { x, continuous } = multiSine(rate, seed);
        const meter = createTruePeakMeter(rate, 1);
        meter.push(0, x);
        const tp = meter.finish();
        const err = db(tp) - db(continuous);
        expect(err, `seed ${seed} at ${rate} Hz`).toBeGreaterThan(-0.4);
        expect(err, `seed ${seed} at ${rate} Hz`).toBeLessThan(0.05);
      }
    }
  });

  it('skipping quiet blocks never changes the result', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const { x } = multiSine(44100, seed);
      let samplePeak = 0;
      for (const v of x) samplePeak = Math.max(samplePeak, Math.abs(v));
      const plain = createTruePeakMeter(44100, 1);
      plain.push(0, x);
      // Seeded with the sample peak, far more blocks are skipped; the maximum must be the same.
      const seeded = createTruePeakMeter(44100, 1);
      for (let s = 0; s < x.length; s += 1000) seeded.push(0, x.subarray(s, s + 1000), samplePeak);
      expect(seeded.finish()).toBeCloseTo(Math.max(samplePeak, plain.finish()), 12);
    }
  });

  it('reads a click at the very end of the stream like one in the middle (tail is flushed)', () => {
    const read = (at: number) => {
      const x = new Float32Array(1000);
      x[at] = 1;
      const meter = createTruePeakMeter(48000, 1);
      meter.push(0, x);
      return meter.finish();
    };
    expect(read(500)).toBeGreaterThan(0.95);
    expect(read(999)).toBeCloseTo(read(500), 12);
  });
});
