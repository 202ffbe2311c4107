/**
 * The backbeat test: at the felt beat of most popular music the kick and the snare alternate,
 * kick on beats 1 and 3, snare on 2 and 4 (rock, pop, funk, hip-hop, shuffle, two-step, jungle).
 * At twice that tempo both drums land on the same beat parity (kick on 1, snare on 3: the reading
 * of a half-time feel), at half of it the snare falls between the beats. So the tempo at which kick
 * and snare sit on opposite parities of the beat grid is the one a listener taps.
 *
 * Musical consequence, deliberate: a pattern written in half time (snare only on beat 3, as in
 * trap or half-step drum and bass) reads at its felt tempo, half the written one. The two cannot
 * be told apart from the drums: a half-time bar at 150 BPM is note for note a backbeat bar at 75.
 */

export type Backbeat = {
  /** Kick parity on the beat grid: +1 all on even beats, -1 all on odd beats, 0 even spread. */
  kickParity: number;
  snareParity: number;
  /** Strength of the alternation, 0..1: kick and snare on opposite parities, each decisively. */
  alternation: number;
};

/** Beat-phase candidates tried per beat. */
const PHASES = 16;
/** Half-width of the window read around each beat: a loosely played hit still counts as on it. */
const WINDOW_SEC = 0.035;

/**
 * Kick/snare alternation at `bpm` over frames [first, last) of onset functions at `rate` frames/s.
 * The beat grid's phase is the one that puts the most kick + snare energy on the beats.
 */
export function backbeat(
  kick: Float32Array,
  snare: Float32Array,
  first: number,
  last: number,
  rate: number,
  bpm: number,
): Backbeat {
  const beat = (60 / bpm) * rate;
  const w = Math.max(1, Math.round(Math.min(beat / 8, WINDOW_SEC * rate)));
  let best = -1;
  let result: Backbeat = { kickParity: 0, snareParity: 0, alternation: 0 };
  for (let p = 0; p < PHASES; p++) {
    let fit = 0;
    const kSum = [0, 0];
    const sSum = [0, 0];
    let parity = 0;
    for (let c = first + (p / PHASES) * beat; c < last; c += beat, parity ^= 1) {
      const k = windowMax(kick, c, w, first, last);
      const s = windowMax(snare, c, w, first, last);
      fit += k + s;
      kSum[parity] += k;
      sSum[parity] += s;
    }
    if (fit > best) {
      best = fit;
      const kickParity = contrast(kSum[0], kSum[1]);
      const snareParity = contrast(sSum[0], sSum[1]);
      result = { kickParity, snareParity, alternation: Math.max(0, -kickParity * snareParity) };
    }
  }
  return result;
}

function windowMax(x: Float32Array, centre: number, w: number, first: number, last: number): number {
  const c = Math.round(centre);
  let m = 0;
  for (let i = Math.max(first, c - w); i <= Math.min(last - 1, c + w); i++) if (x[i] > m) m = x[i];
  return m;
}

const contrast = (a: number, b: number) => (a + b > 0 ? (a - b) / (a + b) : 0);
