import { describe, expect, it } from 'vitest';
import { hannWindow, magnitudeSpectrum } from '../dsp/fft';
import { decimateBy4 } from './chroma-decimate';

/** Level (dB re a full-scale sine) and frequency of the strongest bin after decimation. */
function strongest(hz: number): { hz: number; db: number } {
  const sr = 22050;
  const x = new Float32Array(sr);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin((2 * Math.PI * hz * i) / sr);
  const y = decimateBy4(x);
  const n = 2048;
  const w = hannWindow(n);
  const frame = new Float32Array(n);
  for (let i = 0; i < n; i++) frame[i] = y[1000 + i] * w[i];
  const mag = new Float32Array(n / 2 + 1);
  magnitudeSpectrum(frame, n, mag);
  let best = 0;
  for (let k = 1; k < mag.length; k++) if (mag[k] > mag[best]) best = k;
  return { hz: (best * sr) / 4 / n, db: 20 * Math.log10(mag[best] / (n / 4)) };
}

describe('decimateBy4', () => {
  it('keeps the tonal range at its level and frequency', () => {
    for (const hz of [41.2, 440, 1800]) {
      const s = strongest(hz);
      expect(Math.abs(s.hz - hz)).toBeLessThan(3);
      expect(s.db).toBeGreaterThan(-2);
    }
  });

  it('rejects what would fold back into the tonal range', () => {
    for (const hz of [3500, 6000, 9000]) expect(strongest(hz).db).toBeLessThan(-50);
  });

  it('returns a quarter of the samples', () => {
    expect(decimateBy4(new Float32Array(4000)).length).toBe(1000);
  });
});
