/**
 * Kick and snare onset functions from a magnitude spectrogram.
 *
 * The log-compressed flux of the onset envelope makes every hit broadband and counts a soft
 * hi-hat about as much as a kick; to tell where the kick and the snare fall, these functions use
 * the level rises (not the log) of three bands, compared in absolute terms, and the way the two
 * drums differ acoustically (measured on real kit samples: a kick's 120-250 Hz body is 15-20 dB
 * and its 1-4 kHz crack 20-40 dB below its thump; a snare's body is level with or above the kick
 * band, its crack some 10 dB below its body):
 * - kick: the band below ~120 Hz rising more than body and crack, and dying away within ~70 ms
 *   (a held bass note rises in the same band but holds);
 * - snare: body and crack rising together (the smaller of the two: a bass note has no crack, a
 *   hi-hat no body), more than a third of what the kick band does then or a frame later.
 * Chord changes and plucked bass notes still leak in a little; the metrical tests that use these
 * functions compare positions on a beat grid, so a leak spread evenly does little harm.
 */

const KICK_TOP_HZ = 120;
const BODY_TOP_HZ = 250;
const CRACK_LOW_HZ = 1000;
const CRACK_TOP_HZ = 4000;
/** Time after a kick's attack by which its low end has died away (while a bass note holds). */
const KICK_DECAY_SEC = 0.07;
/** A snare's crack sits about 10 dB below its body: this brings the two to the same scale. */
const CRACK_GAIN = 3;
/**
 * How much of the kick band's rise a snare onset must exceed (amplitude ratio, -10 dB). At the
 * attack of a kick, the smaller of body and crack lies 17-60 dB below the kick band; at a snare's
 * it lies 6 dB below to 30 dB above it. -10 dB sits between the two, so a kick never reads as a
 * snare, while a snare hit together with a bass note or the tail of a kick still does (requiring
 * the snare to beat the whole kick-band rise erased snares that share a beat with the bass).
 */
const KICK_ALLOWANCE = 1 / 3;

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
 * kick and snare functions, each scaled to a largest value of 1), and says how clearly both
 * drums are heard (`kit`, 0..1).
 */
export function drumOnsets(
  levels: { kick: Float32Array; body: Float32Array; crack: Float32Array },
  rate: number,
): {
  kick: Float32Array;
  snare: Float32Array;
  kit: number;
} {
  const { kick, body, crack } = levels;
  const n = kick.length;
  const decay = kickDecay(kick, Math.max(2, Math.round(KICK_DECAY_SEC * rate)));
  // Rises in absolute level, so that the bands can be compared with each other (see the top).
  toRises(kick);
  toRises(body);
  toRises(crack);
  const kickRise = maxOf(kick);
  const bodyRise = maxOf(body);
  // The snare is weighed against the kick band's rise in the same and the next frame: a kick's
  // click leads its thump by a frame (read before the loop overwrites it).
  for (let f = 0; f < n; f++) {
    const k = kick[f];
    const b = body[f];
    const c = crack[f];
    const kNext = f + 1 < n ? kick[f + 1] : 0;
    kick[f] = Math.max(0, k - Math.max(b, c)) * decay[f];
    body[f] = Math.max(0, Math.min(b, CRACK_GAIN * c) - KICK_ALLOWANCE * Math.max(k, kNext));
  }
  // Both drums heard: the strongest kick (snare) onset is a fair part of the strongest rise in
  // its band. A click or a shaker rises in every band at once and leaves neither.
  const kit = Math.min(kickRise > 0 ? maxOf(kick) / kickRise : 0, bodyRise > 0 ? maxOf(body) / bodyRise : 0);
  scaleToUnit(kick);
  scaleToUnit(body);
  return { kick, snare: body, kit };
}

/**
 * How much the kick band has died away KICK_DECAY_SEC after each frame's level, 0..1: a drum
 * is a transient (a kick loses 10-20 dB within ~70 ms), a bass note is held. Without this a
 * bass line on the off-beats reads as a kick drum there.
 */
function kickDecay(level: Float32Array, lag: number): Float32Array {
  const out = new Float32Array(level.length);
  for (let f = 0; f < level.length; f++) {
    const peak = Math.max(level[f], level[Math.min(level.length - 1, f + 1)]);
    const later = level[Math.min(level.length - 1, f + lag)];
    // Full weight once the level has fallen by half (-6 dB); none when it holds.
    out[f] = peak > 0 ? clamp01((1 - later / peak) * 2) : 0;
  }
  return out;
}

const clamp01 = (v: number) => (v < 0 ? 0 : Math.min(v, 1));

/** Divides by the largest value, so that the onset functions read 0..1 whatever the level. */
function scaleToUnit(x: Float32Array): void {
  const m = maxOf(x);
  if (m > 0) for (let i = 0; i < x.length; i++) x[i] /= m;
}

/** In place: x[f] becomes max(0, x[f] - x[f-1]), x[0] = 0. */
function toRises(x: Float32Array): void {
  for (let f = x.length - 1; f > 0; f--) x[f] = Math.max(0, x[f] - x[f - 1]);
  if (x.length > 0) x[0] = 0;
}

function maxOf(x: Float32Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (x[i] > m) m = x[i];
  return m;
}
