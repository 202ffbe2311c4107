import { describe, expect, it } from 'vitest';
import { decodePeaks } from './waveform';

describe('decodePeaks', () => {
  it('reads signed bytes from base64', () => {
    const raw = new Int8Array([-127, 127, -1, 0, -64, 64]);
    const b64 = Buffer.from(raw.buffer).toString('base64');
    expect(Array.from(decodePeaks(b64))).toEqual([-127, 127, -1, 0, -64, 64]);
  });
});
