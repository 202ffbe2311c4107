import { describe, expect, it } from 'vitest';
import { createLevelMeter } from './levels';
import { channelWeights, kWeightingBiquads } from './loudness-kweight';

type Segment = { seconds: number; dbfs: number[] | number; freq?: number };

/** Planar sine signal (peak amplitude in dBFS per channel), fed in chunks like the decoder does. */
function measure(rate: number, channels: number, segments: Segment[], chunk = 65536) {
  const meter = createLevelMeter(rate, channels);
  const total = segments.reduce((s, g) => s + Math.round(g.seconds * rate), 0);
  const planar = Array.from({ length: channels }, () => new Float32Array(total));
  let at = 0;
  for (const g of segments) {
    const n = Math.round(g.seconds * rate);
    const levels = Array.isArray(g.dbfs) ? g.dbfs : new Array(channels).fill(g.dbfs);
    const w = (2 * Math.PI * (g.freq ?? 1000)) / rate;
    for (let c = 0; c < channels; c++) {
      const amp = Number.isFinite(levels[c]) ? 10 ** (levels[c] / 20) : 0;
      for (let i = 0; i < n; i++) planar[c][at + i] = amp * Math.sin(w * (at + i));
    }
    at += n;
  }
  for (let s = 0; s < total; s += chunk)
    meter.push(planar.map((ch) => ch.subarray(s, Math.min(total, s + chunk))));
  return meter.finish();
}

describe('K-weighting', () => {
  it('reproduces the published 48 kHz coefficients of BS.1770-4', () => {
    const { shelf, highPass } = kWeightingBiquads(48000);
    expect(shelf.b0).toBeCloseTo(1.53512485958697, 9);
    expect(shelf.b1).toBeCloseTo(-2.69169618940638, 9);
    expect(shelf.b2).toBeCloseTo(1.19839281085285, 9);
    expect(shelf.a1).toBeCloseTo(-1.69065929318241, 9);
    expect(shelf.a2).toBeCloseTo(0.73248077421585, 9);
    expect(highPass.a1).toBeCloseTo(-1.99004745483398, 9);
    expect(highPass.a2).toBeCloseTo(0.99007225036621, 9);
  });

  it('weights 5.1 surrounds by 1.41 and drops the LFE', () => {
    expect(channelWeights(6)).toEqual([1, 1, 1, 0, 1.41, 1.41]);
    expect(channelWeights(2)).toEqual([1, 1]);
  });
});

describe('integrated loudness', () => {
  it('reads a 0 dBFS 997 Hz sine on one channel as -3.01 LUFS and on two as 0 LUFS', () => {
    expect(measure(48000, 1, [{ seconds: 5, dbfs: 0, freq: 997 }]).lufs).toBeCloseTo(-3.01, 1);
    expect(measure(48000, 2, [{ seconds: 5, dbfs: 0, freq: 997 }]).lufs).toBeCloseTo(0, 1);
  });

  it('reads a sine 20 dB below a full-scale sine as -23.01 LUFS mono, -20 LUFS stereo', () => {
    expect(measure(44100, 1, [{ seconds: 3, dbfs: -20 }]).lufs).toBeCloseTo(-23.01, 1);
    expect(measure(44100, 2, [{ seconds: 3, dbfs: -20 }]).lufs).toBeCloseTo(-20, 1);
  });

  it('agrees across sample rates (filters derived by the bilinear transform)', () => {
    for (const rate of [8000, 11025, 22050, 32000, 44100, 88200, 96000, 192000]) {
      const { lufs } = measure(rate, 2, [{ seconds: 2, dbfs: -23 }]);
      expect(Math.abs((lufs ?? 0) + 23), `${rate} Hz`).toBeLessThan(0.1);
    }
  });

  // EBU Tech 3341 minimum requirements, cases 1-6 (stereo 1 kHz sines unless noted).
  it('passes EBU Tech 3341 cases 1 and 2', () => {
    expect(measure(48000, 2, [{ seconds: 20, dbfs: -23 }]).lufs).toBeCloseTo(-23, 1);
    expect(measure(48000, 2, [{ seconds: 20, dbfs: -33 }]).lufs).toBeCloseTo(-33, 1);
  });

  it('passes EBU Tech 3341 case 3 (relative gate)', () => {
    const r = measure(48000, 2, [
      { seconds: 10, dbfs: -36 },
      { seconds: 60, dbfs: -23 },
      { seconds: 10, dbfs: -36 },
    ]);
    expect(Math.abs((r.lufs ?? 0) + 23)).toBeLessThan(0.1);
  });

  it('passes EBU Tech 3341 case 4 (absolute and relative gates)', () => {
    const r = measure(48000, 2, [
      { seconds: 10, dbfs: -72 },
      { seconds: 10, dbfs: -36 },
      { seconds: 60, dbfs: -23 },
      { seconds: 10, dbfs: -36 },
      { seconds: 10, dbfs: -72 },
    ]);
    expect(Math.abs((r.lufs ?? 0) + 23)).toBeLessThan(0.1);
  });

  it('passes EBU Tech 3341 case 5 (level steps inside the gate)', () => {
    const r = measure(48000, 2, [
      { seconds: 20, dbfs: -26 },
      { seconds: 20.1, dbfs: -20 },
      { seconds: 20, dbfs: -26 },
    ]);
    expect(Math.abs((r.lufs ?? 0) + 23)).toBeLessThan(0.1);
  });

  it('passes EBU Tech 3341 case 6 (5 channels, surrounds weighted)', () => {
    const r = measure(48000, 5, [{ seconds: 20, dbfs: [-28, -28, -24, -30, -30] }]);
    expect(Math.abs((r.lufs ?? 0) + 23)).toBeLessThan(0.1);
  });

  it('ignores the LFE channel of a 5.1 file', () => {
    const without = measure(48000, 6, [{ seconds: 3, dbfs: [-28, -28, -24, -Infinity, -30, -30] }]);
    const withLfe = measure(48000, 6, [{ seconds: 3, dbfs: [-28, -28, -24, 0, -30, -30] }]);
    expect(withLfe.lufs).toBeCloseTo(without.lufs ?? Number.NaN, 6);
    expect(Math.abs((without.lufs ?? 0) + 23)).toBeLessThan(0.1);
  });

  it('is null under 400 ms and when everything is below the absolute gate', () => {
    expect(measure(48000, 2, [{ seconds: 0.39, dbfs: -10 }]).lufs).toBeNull();
    expect(measure(48000, 2, [{ seconds: 0.41, dbfs: -10 }]).lufs).not.toBeNull();
    const quiet = measure(48000, 2, [{ seconds: 3, dbfs: -80 }]);
    expect(quiet.lufs).toBeNull();
    expect(quiet.isSilent).toBe(false);
  });

  it('does not depend on how the stream is chunked', () => {
    const segs = [
      { seconds: 1.3, dbfs: -30 },
      { seconds: 2.2, dbfs: -12, freq: 3000 },
    ];
    const a = measure(44100, 2, segs, 65536);
    for (const size of [1, 777, 4410]) {
      const b = measure(44100, 2, segs, size);
      expect(b.lufs).toBeCloseTo(a.lufs ?? Number.NaN, 9);
      expect(b.truePeakDb).toBeCloseTo(a.truePeakDb ?? Number.NaN, 9);
      expect(b.rmsDb).toBeCloseTo(a.rmsDb ?? Number.NaN, 9);
    }
  });
});

describe('loudness range', () => {
  // EBU Tech 3342 cases 1-4: stereo 1 kHz sines stepping between levels, 20 s each.
  const cases: [number[], number][] = [
    [[-20, -30], 10],
    [[-20, -15], 5],
    [[-40, -20], 20],
    [[-50, -35, -20, -35, -50], 15],
  ];
  for (const [levels, expected] of cases) {
    it(`reads ${expected} LU for steps ${levels.join(' / ')} dBFS (EBU Tech 3342)`, () => {
      const r = measure(
        48000,
        2,
        levels.map((dbfs) => ({ seconds: 20, dbfs })),
      );
      expect(Math.abs((r.loudnessRangeLu ?? 0) - expected)).toBeLessThan(1);
    });
  }

  it('is about zero for a steady signal and null when too short', () => {
    expect(measure(48000, 1, [{ seconds: 8, dbfs: -20 }]).loudnessRangeLu).toBeCloseTo(0, 1);
    expect(measure(48000, 1, [{ seconds: 2.5, dbfs: -20 }]).loudnessRangeLu).toBeNull();
  });
});

describe('peaks and RMS', () => {
  it('reads sample peak and RMS of a sine', () => {
    const r = measure(44100, 2, [{ seconds: 1, dbfs: -6, freq: 441 }]);
    expect(r.samplePeakDb).toBeCloseTo(-6, 2);
    expect(r.rmsDb).toBeCloseTo(-9.01, 1);
    expect(r.isSilent).toBe(false);
  });

  it('finds the inter-sample peak of a quarter-rate sine sampled at 45 degrees', () => {
    const rate = 44100;
    const n = rate;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = 0.5 * Math.sin((Math.PI / 2) * i + Math.PI / 4);
    const meter = createLevelMeter(rate, 1);
    meter.push([x]);
    const r = meter.finish();
    expect(r.samplePeakDb).toBeCloseTo(20 * Math.log10(0.5) - 3.01, 1);
    // 4x oversampling can miss the crest by cos(pi/16) at most: -0.17 dB, plus filter ripple.
    expect(r.truePeakDb).toBeGreaterThan(20 * Math.log10(0.5) - 0.4);
    expect(r.truePeakDb).toBeLessThan(20 * Math.log10(0.5) + 0.2);
  });

  it('keeps true peak within [-0.4, +0.2] dB of a sine crest across rates and frequencies', () => {
    for (const rate of [44100, 48000, 96000]) {
      for (const freq of [997, 4000, 9000, 0.3 * rate]) {
        for (const phase of [0, 0.3, 1.1]) {
          // Faded in and out: an abrupt start is a step, whose true overshoot is not the sine's.
          const x = new Float32Array(4096);
          for (let i = 0; i < x.length; i++) {
            const fade = Math.min(1, i / 512, (x.length - 1 - i) / 512);
            x[i] = 0.7 * fade * Math.sin((2 * Math.PI * freq * i) / rate + phase);
          }
          const meter = createLevelMeter(rate, 1);
          meter.push([x]);
          const tp = meter.finish().truePeakDb ?? -Infinity;
          const err = tp - 20 * Math.log10(0.7);
          expect(err, `${rate} Hz, ${freq} Hz, phase ${phase}`).toBeGreaterThan(-0.4);
          expect(err, `${rate} Hz, ${freq} Hz, phase ${phase}`).toBeLessThan(0.2);
        }
      }
    }
  });

  it('reports digital silence as silent with null levels', () => {
    const meter = createLevelMeter(44100, 2);
    meter.push([new Float32Array(44100), new Float32Array(44100)]);
    expect(meter.finish()).toEqual({
      samplePeakDb: null,
      truePeakDb: null,
      rmsDb: null,
      lufs: null,
      loudnessRangeLu: null,
      isSilent: true,
    });
  });

  it('treats dither-level noise as silent', () => {
    const x = new Float32Array(44100).map((_, i) => (i % 3 === 0 ? 1 / 65536 : -1 / 65536));
    const meter = createLevelMeter(44100, 1);
    meter.push([x]);
    expect(meter.finish().isSilent).toBe(true);
  });

  it('ignores non-finite samples instead of poisoning every figure', () => {
    const x = new Float32Array(44100).map((_, i) => 0.25 * Math.sin(i / 5));
    x[100] = Number.NaN;
    x[200] = Number.POSITIVE_INFINITY;
    const meter = createLevelMeter(44100, 1);
    meter.push([x]);
    const r = meter.finish();
    for (const v of [r.samplePeakDb, r.truePeakDb, r.rmsDb, r.lufs]) expect(Number.isFinite(v)).toBe(true);
    expect(r.samplePeakDb).toBeCloseTo(20 * Math.log10(0.25), 1);
  });
});
