// Tiny deterministic WAV generator for the app's e2e tests and benchmark (16-bit PCM, mono/stereo).

/** @param {Float32Array[]} channels @param {number} sampleRate @returns {Uint8Array} */
export function encodeWav(channels, sampleRate = 44100) {
  const frames = channels[0].length;
  const nch = channels.length;
  const dataBytes = frames * nch * 2;
  const out = new Uint8Array(44 + dataBytes);
  const v = new DataView(out.buffer);
  const ascii = (off, s) => {
    for (let i = 0; i < s.length; i++) out[off + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, nch, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * nch * 2, true);
  v.setUint16(32, nch * 2, true);
  v.setUint16(34, 16, true);
  ascii(36, 'data');
  v.setUint32(40, dataBytes, true);
  let p = 44;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < nch; c++) {
      const x = Math.max(-1, Math.min(1, channels[c][i]));
      v.setInt16(p, Math.round(x * 32767), true);
      p += 2;
    }
  }
  return out;
}

/** mulberry32 */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SR = 44100;

/** A kick: decaying sine sweep 150 -> 45 Hz. */
export function kick(seconds = 0.4, sr = SR) {
  const n = Math.round(seconds * sr);
  const x = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    const f = 45 + 105 * Math.exp(-t * 30);
    phase += (2 * Math.PI * f) / sr;
    x[i] = 0.9 * Math.sin(phase) * Math.exp(-t * 8);
  }
  return x;
}

/** A hi-hat: short decaying noise burst. */
export function hat(seconds = 0.15, seed = 1, sr = SR) {
  const r = rng(seed);
  const n = Math.round(seconds * sr);
  const x = new Float32Array(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const w = r() * 2 - 1;
    x[i] = 0.6 * (w - prev) * Math.exp((-i / sr) * 40); // first difference: bright
    prev = w;
  }
  return x;
}

/** A harmonic tone at a MIDI note with a plucked envelope. */
export function tone(midi = 57, seconds = 1, sr = SR) {
  const f = 440 * 2 ** ((midi - 69) / 12);
  const n = Math.round(seconds * sr);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    const env = Math.min(1, t / 0.005) * Math.exp(-t * 2.5);
    x[i] =
      0.4 *
      env *
      (Math.sin(2 * Math.PI * f * t) +
        0.5 * Math.sin(4 * Math.PI * f * t) +
        0.25 * Math.sin(6 * Math.PI * f * t));
  }
  return x;
}

/** A snare-like hit: a short tone body plus a noise burst. */
export function snare(seconds = 0.2, seed = 11, sr = SR) {
  const r = rng(seed);
  const n = Math.round(seconds * sr);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    x[i] =
      0.5 * Math.sin(2 * Math.PI * 190 * t) * Math.exp(-t * 30) + 0.5 * (r() * 2 - 1) * Math.exp(-t * 18);
  }
  return x;
}

/**
 * A drum loop of `bars` bars of 4/4 at `bpm`: kick on 1 and 3, snare on 2 and 4, a closed hat on
 * every beat, so the beat is the only regular pulse (no eighth-note grid to double the tempo).
 */
export function drumLoop(bpm = 120, bars = 2, sr = SR) {
  const beat = 60 / bpm;
  const n = Math.round(bars * 4 * beat * sr);
  const x = new Float32Array(n);
  const k = kick(0.35, sr);
  const s = snare(0.2, 11, sr);
  const h = hat(0.05, 3, sr);
  const add = (src, at, gain) => {
    const o = Math.round(at * sr);
    for (let i = 0; i < src.length && o + i < n; i++) x[o + i] += gain * src[i];
  };
  for (let b = 0; b < bars * 4; b++) {
    add(b % 2 === 0 ? k : s, b * beat, 0.8);
    add(h, b * beat, 0.3);
  }
  return x;
}

/**
 * One-shot number `i` of a generated set: kicks, hats and tones in turn. Every `i` gives different
 * bytes (gain and a faint seeded noise floor vary), so no two are duplicates.
 */
export function oneShot(i, sr = SR) {
  let x;
  switch (i % 3) {
    case 0:
      x = kick(0.25 + (i % 7) * 0.02, sr);
      break;
    case 1:
      x = hat(0.08 + (i % 5) * 0.02, i + 1, sr);
      break;
    default:
      x = tone(40 + (i % 36), 0.4 + (i % 4) * 0.1, sr);
  }
  const gain = 0.6 + 0.4 * ((i * 0.6180339887) % 1);
  const r = rng(i * 7919 + 17);
  for (let k = 0; k < x.length; k++) x[k] = x[k] * gain + (r() - 0.5) * 2e-4;
  return x;
}
