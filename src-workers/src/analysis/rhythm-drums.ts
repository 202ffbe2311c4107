/**
 * Kick and snare onset functions from a magnitude spectrogram.
 *
 * The log-compressed flux of the onset envelope makes every hit broadband and counts a soft
 * hi-hat about as much as a kick; to tell where the kick and the snare fall, these functions use
 * the level (not the log) of three bands, so that the loud hits dominate, and the way the two
 * drums differ acoustically:
 * - kick: energy below ~120 Hz rising more than the snare body (120-250 Hz) and the 1-4 kHz
 *   "crack" band (a heavy snare also has some sub-bass, but more body and crack);
 * - snare: a body at 120-250 Hz together with a noisy crack at 1-4 kHz (the geometric mean keeps
 *   only events that have both: a bass note has no crack, a hi-hat no body), and no sub-bass.
 * Bass notes and chord changes still leak in (a bass note is kick-like); the metrical tests that
 * use these functions compare positions, so a leak that is spread evenly does little harm.
 */

const KICK_TOP_HZ = 120;
const BODY_TOP_HZ = 250;
const CRACK_LOW_HZ = 1000;
const CRACK_TOP_HZ = 4000;

export type DrumBands = { kickTo: number; bodyTo: number; crackFrom: number; crackTo: number };

export function drumBands(bins: number, binHz: number): DrumBands {
  const at = (hz: number) => Math.min(bins, Math.max(2, Math.round(hz / binHz)));
  const kickTo = at(KICK_TOP_HZ);
  const bodyTo = Math.max(kickTo + 1, at(BODY_TOP_HZ));
  const crackFrom = Math.max(bodyTo, at(CRACK_LOW_HZ));
  return { kickTo, bodyTo, crackFrom, crackTo: Math.max(crackFrom + 1, at(CRACK_TOP_HZ)) };
}

/** Band levels (root of summed power) of one spectrogram frame into kick/body/crack[f]. */
export function drumBandLevels(
  m: Float32Array,
  base: number,
  b: DrumBands,
  f: number,
  out: { kick: Float32Array; body: Float32Array; crack: Float32Array },
): void {
  out.kick[f] = Math.sqrt(powerSum(m, base + 1, base + b.kickTo));
  out.body[f] = Math.sqrt(powerSum(m, base + b.kickTo, base + b.bodyTo));
  out.crack[f] = Math.sqrt(powerSum(m, base + b.crackFrom, base + b.crackTo));
}

function powerSum(m: Float32Array, from: number, to: number): number {
  let s = 0;
  for (let k = from; k < to; k++) s += m[k] * m[k];
  return s;
}

/**
 * Turns band levels into kick and snare onset functions (in place: `kick` and `body` become the
 * kick and snare functions). Each band's rise is scaled by that band's loudest level.
 */
export function drumOnsets(levels: { kick: Float32Array; body: Float32Array; crack: Float32Array }): {
  kick: Float32Array;
  snare: Float32Array;
} {
  const { kick, body, crack } = levels;
  const n = kick.length;
  const kMax = maxOf(kick);
  const bMax = maxOf(body);
  const cMax = maxOf(crack);
  let pk = kick[0];
  let pb = body[0];
  let pc = crack[0];
  kick[0] = 0;
  body[0] = 0;
  for (let f = 1; f < n; f++) {
    const dk = kMax > 0 ? Math.max(0, kick[f] - pk) / kMax : 0;
    const db = bMax > 0 ? Math.max(0, body[f] - pb) / bMax : 0;
    const dc = cMax > 0 ? Math.max(0, crack[f] - pc) / cMax : 0;
    pk = kick[f];
    pb = body[f];
    pc = crack[f];
    kick[f] = Math.max(0, dk - Math.max(db, dc));
    body[f] = Math.max(0, Math.sqrt(db * dc) - dk);
  }
  return { kick, snare: body };
}

function maxOf(x: Float32Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (x[i] > m) m = x[i];
  return m;
}
