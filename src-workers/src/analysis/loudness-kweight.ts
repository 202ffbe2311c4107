/**
 * K-weighting pre-filter of ITU-R BS.1770-4: a high shelf (the head's acoustic effect) followed by
 * the RLB high-pass. The standard publishes biquads for 48 kHz only; for other rates the same
 * analog prototypes are mapped with the bilinear transform (as libebur128 does), which reproduces
 * the published 48 kHz coefficients to ~1e-9.
 */
export type Biquad = { b0: number; b1: number; b2: number; a1: number; a2: number };

export function kWeightingBiquads(sampleRate: number): { shelf: Biquad; highPass: Biquad } {
  // High shelf: +4 dB above ~1.7 kHz.
  let f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  let q = 0.7071752369554196;
  let k = Math.tan((Math.PI * f0) / sampleRate);
  const vh = 10 ** (gainDb / 20);
  const vb = vh ** 0.4996667741545416;
  let a0 = 1 + k / q + k * k;
  const shelf: Biquad = {
    b0: (vh + (vb * k) / q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  };
  // RLB high-pass at ~38 Hz. The numerator is left as (1, -2, 1): BS.1770 normalises it so.
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = Math.tan((Math.PI * f0) / sampleRate);
  a0 = 1 + k / q + k * k;
  const highPass: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / q + k * k) / a0 };
  return { shelf, highPass };
}

/**
 * BS.1770 channel weights by WAV/WAVE_FORMAT_EXTENSIBLE default order. Surrounds weigh 1.41
 * (+1.5 dB); LFE is excluded (weight 0). Layouts we cannot name count every channel as 1.0.
 */
export function channelWeights(channels: number): number[] {
  const S = 1.41;
  switch (channels) {
    case 4: // quad: L R Ls Rs
      return [1, 1, S, S];
    case 5: // L R C Ls Rs
      return [1, 1, 1, S, S];
    case 6: // 5.1: L R C LFE Ls Rs
      return [1, 1, 1, 0, S, S];
    case 7: // 6.1: L R C LFE Cs Ls Rs
      return [1, 1, 1, 0, S, S, S];
    case 8: // 7.1: L R C LFE Ls Rs Lss Rss
      return [1, 1, 1, 0, S, S, S, S];
    default:
      return new Array(Math.max(0, channels)).fill(1);
  }
}
