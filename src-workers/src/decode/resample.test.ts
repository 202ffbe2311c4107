import { describe, expect, it } from 'vitest';
import { db, peakFrequency, rms, toneAmplitude } from '../testing/measure';
import { noiseBurst, rng, sine } from '../testing/synth';
import { downmix, StreamResampler } from './resample';

const OUT = 22050;

function resampleWhole(x: Float32Array, inRate: number, outRate = OUT): Float32Array {
  const r = new StreamResampler(inRate, outRate);
  return join([r.push(x), r.flush()]);
}

function join(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const RATES = [8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 192000, 44056, 47999];

describe('StreamResampler', () => {
  for (const rate of RATES) {
    it(`${rate} → 22050: random chunking gives the same output as one piece`, () => {
      const x = noiseBurst(0.7, { sampleRate: rate, seed: rate });
      const whole = resampleWhole(x, rate);
      expect(whole.length).toBe(Math.ceil((x.length * OUT) / rate));
      const random = rng(rate + 1);
      const r = new StreamResampler(rate, OUT);
      const parts: Float32Array[] = [];
      for (let at = 0; at < x.length; ) {
        const n = Math.floor(random() * random() * 9000); // many small pieces, some empty, some large
        parts.push(r.push(x.subarray(at, at + n)).slice());
        at += n;
      }
      parts.push(r.flush());
      const pieces = join(parts);
      expect(pieces.length).toBe(whole.length);
      let max = 0;
      for (let i = 0; i < whole.length; i++) max = Math.max(max, Math.abs(whole[i] - pieces[i]));
      expect(max).toBeLessThan(1e-5);
    });
  }

  for (const rate of RATES.filter((r) => r !== OUT)) {
    it(`${rate} → 22050: a 440 Hz tone stays 440 Hz at the same level and phase`, () => {
      const seconds = 1.5;
      const y = resampleWhole(sine(440, seconds, { sampleRate: rate, amplitude: 0.5 }), rate);
      const [from, to] = [Math.round(OUT * 0.25), Math.round(OUT * 1.25)];
      expect(Math.abs(peakFrequency(y.subarray(from, to), OUT) - 440)).toBeLessThan(0.2);
      expect(Math.abs(db(toneAmplitude(y, 440, OUT, from, to) / 0.5))).toBeLessThan(0.05);
      // No delay: output sample n sits at input time n / 22050.
      let err = 0;
      for (let n = from; n < to; n++)
        err = Math.max(err, Math.abs(y[n] - 0.5 * Math.sin((2 * Math.PI * 440 * n) / OUT)));
      expect(err).toBeLessThan(2e-3);
    });
  }

  for (const rate of [32000, 44100, 48000, 96000, 44056]) {
    it(`${rate} → 22050: content above 11025 Hz is attenuated by at least 40 dB`, () => {
      const probes = [11100, 11500, 12500, 15000, 20000, 0.45 * rate].filter((f) => f < rate / 2);
      for (const f of probes) {
        const y = resampleWhole(sine(f, 0.5, { sampleRate: rate, amplitude: 0.5 }), rate);
        const level = rms(y, 2000, y.length - 2000) * Math.SQRT2;
        expect(db(level / 0.5), `${f} Hz`).toBeLessThan(-40);
      }
    });
  }

  for (const rate of [8000, 11025, 16000]) {
    it(`${rate} → 22050 (upsampling): no images of a 1 kHz tone above the old Nyquist`, () => {
      const y = resampleWhole(sine(1000, 1, { sampleRate: rate, amplitude: 0.5 }), rate);
      const from = 2000;
      const to = y.length - 2000;
      expect(Math.abs(db(toneAmplitude(y, 1000, OUT, from, to) / 0.5))).toBeLessThan(0.05);
      for (const image of [rate - 1000, rate + 1000].filter((f) => f < OUT / 2)) {
        expect(db(toneAmplitude(y, image, OUT, from, to) / 0.5), `${image} Hz`).toBeLessThan(-40);
      }
    });
  }

  it('keeps the pass band flat up to 8 kHz (within 0.5 dB)', () => {
    for (const rate of [44100, 48000]) {
      for (const f of [100, 1000, 4000, 8000]) {
        const y = resampleWhole(sine(f, 0.5, { sampleRate: rate, amplitude: 0.5 }), rate);
        expect(
          Math.abs(db(toneAmplitude(y, f, OUT, 2000, y.length - 2000) / 0.5)),
          `${rate}: ${f} Hz`,
        ).toBeLessThan(0.5);
      }
    }
  });

  it('passes DC through at unity gain', () => {
    const y = resampleWhole(new Float32Array(48000).fill(0.25), 48000);
    for (let i = 1000; i < y.length - 1000; i += 97) expect(y[i]).toBeCloseTo(0.25, 5);
  });

  it('22050 → 22050 is the identity, and flush adds nothing', () => {
    const x = noiseBurst(0.1, { sampleRate: OUT });
    const r = new StreamResampler(OUT, OUT);
    expect(Array.from(r.push(x))).toEqual(Array.from(x));
    expect(r.flush().length).toBe(0);
  });

  it('an empty stream gives an empty output', () => {
    const r = new StreamResampler(44100, OUT);
    expect(r.push(new Float32Array(0)).length).toBe(0);
    expect(r.flush().length).toBe(0);
  });
});

describe('downmix', () => {
  it('returns mono as is and averages any number of channels with equal weights', () => {
    const a = Float32Array.from([1, 0, -1]);
    const b = Float32Array.from([0, 1, 1]);
    expect(downmix([a])).toBe(a);
    expect(Array.from(downmix([a, b]))).toEqual([0.5, 0.5, 0]);
    const six = [a, b, a, b, a, b];
    expect(Array.from(downmix(six))).toEqual([0.5, 0.5, 0].map((v) => Math.fround(v)));
  });
});
