import { describe, expect, it } from 'vitest';
import { noiseBurst, rng } from '../testing/synth';
import { StreamResampler } from './resample';
import { resampleKernels } from './resample-simd';

function resample(x: Float32Array, rate: number, simd: boolean, seed: number): Float32Array {
  const r = new StreamResampler(rate, 22050, { simd });
  const random = rng(seed);
  const parts: Float32Array[] = [];
  for (let at = 0; at < x.length; ) {
    const n = Math.floor(random() * random() * 20_000); // pieces from empty to longer than a slice
    parts.push(r.push(x.subarray(at, at + n)).slice());
    at += n;
  }
  parts.push(r.flush());
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('resampler SIMD kernels', () => {
  it('are available in this engine (Node and current browsers have WebAssembly SIMD)', () => {
    expect(resampleKernels()).not.toBeNull();
  });

  // One-phase ratios (44.1k, 88.2k, 176.4k), exact polyphase (48k, 96k, 32k, upsampling 8k/16k)
  // and the interpolated path (44056, no SIMD) all agree with the JS loops bit for bit.
  for (const rate of [8000, 16000, 32000, 44100, 48000, 88200, 96000, 176400, 44056]) {
    it(`${rate} → 22050 gives exactly the JS loops' output`, () => {
      const x = noiseBurst(1.3, { sampleRate: rate, seed: rate, amplitude: 0.9 });
      const simd = resample(x, rate, true, rate + 1);
      const js = resample(x, rate, false, rate + 1);
      expect(simd.length).toBe(js.length);
      let differing = 0;
      for (let i = 0; i < js.length; i++) if (!Object.is(simd[i], js[i])) differing++;
      expect(differing).toBe(0);
    });
  }
});
