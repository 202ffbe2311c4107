import { describe, expect, it } from 'vitest';
import { computeWaveform, decodeBase64, decodeWaveformPeaks, encodeBase64 } from './waveform';

describe('base64 codec', () => {
  it('matches Node for every length and byte value', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
      const ours = encodeBase64(bytes);
      expect(ours).toBe(Buffer.from(bytes).toString('base64'));
      expect(Array.from(decodeBase64(ours))).toEqual(Array.from(bytes));
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(encodeBase64(all)).toBe(Buffer.from(all).toString('base64'));
  });

  it('decodes unpadded and URL-safe text and rejects garbage', () => {
    const bytes = Uint8Array.from([251, 255, 190, 0, 1]);
    const std = Buffer.from(bytes).toString('base64');
    expect(Array.from(decodeBase64(std.replace(/=+$/, '')))).toEqual(Array.from(bytes));
    expect(Array.from(decodeBase64(Buffer.from(bytes).toString('base64url')))).toEqual(Array.from(bytes));
    expect(() => decodeBase64('ab$d')).toThrow();
  });
});

describe('computeWaveform', () => {
  it('brackets every span with its min and max at +-127 full scale', () => {
    const x = Float32Array.from({ length: 10_000 }, (_, i) => Math.sin(i / 50) * (i < 5000 ? 1 : 0.25));
    const w = computeWaveform(x, 100);
    expect(w.length).toBe(100);
    const peaks = decodeWaveformPeaks(w.peaks);
    expect(peaks.length).toBe(200);
    for (let p = 0; p < 100; p++) {
      const span = x.subarray(p * 100, (p + 1) * 100);
      const lo = Math.min(...span);
      const hi = Math.max(...span);
      expect(peaks[2 * p]).toBeLessThanOrEqual(lo * 127 + 1e-3);
      expect(peaks[2 * p]).toBeGreaterThan(lo * 127 - 1);
      expect(peaks[2 * p + 1]).toBeGreaterThanOrEqual(hi * 127 - 1e-3);
      expect(peaks[2 * p + 1]).toBeLessThan(hi * 127 + 1);
    }
    expect(Math.max(...peaks)).toBe(127);
    expect(Math.min(...peaks)).toBe(-127);
  });

  it('clips overs, keeps silence at zero and shows any non-zero sample', () => {
    const x = Float32Array.from([2, -3, 0, 0, 1e-6, -1e-6]);
    const peaks = decodeWaveformPeaks(computeWaveform(x, 3).peaks);
    expect(Array.from(peaks)).toEqual([-127, 127, 0, 0, -1, 1]);
  });

  it('returns fewer pairs than asked for signals shorter than that, none for no samples', () => {
    expect(computeWaveform(new Float32Array(10), 1000).length).toBe(10);
    expect(computeWaveform(new Float32Array(0), 1000)).toEqual({ length: 0, peaks: '' });
  });
});
