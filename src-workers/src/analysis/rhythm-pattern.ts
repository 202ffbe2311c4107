/**
 * Drum-pattern conventions that tell which metrical level is the beat, read on a beat grid laid
 * over the kick, snare and hi-hat onset functions at a candidate tempo.
 *
 * Three conventions cover most popular music; each is scored 0..1 at a tempo:
 * - backbeat: the snare on beats 2 and 4 (both), not on 1 and 3 nor between the beats, the kick
 *   on 1 more than next to the snare (rock, pop, funk, hip-hop, shuffle, jungle);
 * - half time: the snare on beat 3 alone, the kick on 1 and not beside the snare (trap, dubstep,
 *   half-step);
 * - four on the floor: the kick on every beat and not between them (house, disco, reggaeton, ska).
 * A half-time bar at T is note for note a backbeat bar at T/2: the two readings get the same
 * support and the tempo prior decides between them. What the conventions do rule out are the
 * other octaves: at T/2 the snare falls between the beats, at 2T it lands on one beat in four
 * with the kick beside it, and a four-on-the-floor kick at T sits on every other beat at 2T.
 *
 * The hi-hats say whether the beat is subdivided: at the beat, something plays between the beats
 * (straight eighths at the half beat, or the swung eighth on the last third). At twice the tempo
 * the eighths of a ballad become the beats and nothing plays between them any more.
 */

export type PatternInput = {
  kick: Float32Array;
  snare: Float32Array;
  /** Sharpened high-band onsets for frames [first, last), index 0 = frame `first`. */
  hats: Float64Array;
  first: number;
  last: number;
  rate: number;
};

type Conventions = {
  backbeat: number;
  halfTime: number;
  /** Kick on every beat and nowhere between, snare (if any) not on the off-beats. */
  fourFloor: number;
  /** Kick on every beat, snare on every off-beat: the pattern of a backbeat at twice the tempo. */
  doubledBackbeat: number;
};

export type PatternEvidence = Conventions & {
  /** Hi-hat level between the beats over the level on them (0..1); 1 when strongly subdivided. */
  subdivision: number;
};

/** Beat-phase candidates tried per beat. */
const PHASES = 16;
/** Half-width of the window read around each grid point: a loosely played hit still counts. */
const WINDOW_SEC = 0.03;

export function patternEvidence(input: PatternInput, bpm: number): PatternEvidence {
  const { rate } = input;
  const beat = (60 / bpm) * rate;
  const w = Math.max(1, Math.round(Math.min(beat / 12, WINDOW_SEC * rate)));
  const phase = beatPhase(input, beat, w);
  // The loudest drum may be the off-beat one (a ska snare): read the conventions on both halves.
  const onGrid = readGrid(input, beat, phase, w);
  const offGrid = readGrid(input, beat, phase + beat / 2, w);
  const a = conventions(onGrid);
  const b = conventions(offGrid);
  return {
    backbeat: Math.max(a.backbeat, b.backbeat),
    halfTime: Math.max(a.halfTime, b.halfTime),
    fourFloor: Math.max(a.fourFloor, b.fourFloor),
    doubledBackbeat: Math.max(a.doubledBackbeat, b.doubledBackbeat),
    subdivision: subdivisionOf(onGrid),
  };
}

/** The grid phase (frames) that puts the most kick and snare energy on the beats. */
function beatPhase(input: PatternInput, beat: number, w: number): number {
  const { kick, snare, first, last } = input;
  let best = -1;
  let phase = 0;
  for (let p = 0; p < PHASES; p++) {
    const offset = (p / PHASES) * beat;
    let fit = 0;
    for (let c = first + offset; c < last; c += beat)
      fit += windowMax(kick, c, w, first, last) + windowMax(snare, c, w, first, last);
    if (fit > best) {
      best = fit;
      phase = offset;
    }
  }
  return phase;
}

type Grid = {
  /** Mean kick and snare level on the beats, by position in a four-beat cycle. */
  kick: number[];
  snare: number[];
  /** Mean kick and snare level halfway between the beats. */
  kickOff: number;
  /** Mean snare level halfway after each beat, by position in a four-beat cycle. */
  snareAfter: number[];
  /** Mean kick level a quarter of a beat either side of the beats (the sixteenths around it). */
  kickQuarter: number;
  snareOff: number;
  /** Mean snare level a quarter of a beat either side of each beat, by position in a four-beat cycle. */
  snareQuarter: number[];
  /** Mean hi-hat level on the beat, at the half beat and at two thirds of it. */
  hatOn: number;
  hatHalf: number;
  hatLate: number;
};

function readGrid(input: PatternInput, beat: number, phase: number, w: number): Grid {
  const { kick, snare, hats, first, last } = input;
  const k = [0, 0, 0, 0];
  const s = [0, 0, 0, 0];
  const sAfter = [0, 0, 0, 0];
  const sQuarter = [0, 0, 0, 0];
  const n = [0, 0, 0, 0];
  let kickOff = 0;
  let kickQuarter = 0;
  let snareOff = 0;
  let hatOn = 0;
  let hatHalf = 0;
  let hatLate = 0;
  let beats = 0;
  const hatAt = (c: number) => windowMax(hats, c - first, w, 0, hats.length);
  for (let i = 0, c = first + phase; c + beat / 2 < last; i++, c += beat) {
    const pos = i & 3;
    k[pos] += windowMax(kick, c, w, first, last);
    s[pos] += windowMax(snare, c, w, first, last);
    n[pos]++;
    kickOff += windowMax(kick, c + beat / 2, w, first, last);
    kickQuarter += Math.max(
      windowMax(kick, c + beat / 4, w, first, last),
      windowMax(kick, c - beat / 4, w, first, last),
    );
    sQuarter[pos] += Math.max(
      windowMax(snare, c + beat / 4, w, first, last),
      windowMax(snare, c - beat / 4, w, first, last),
    );
    const after = windowMax(snare, c + beat / 2, w, first, last);
    sAfter[pos] += after;
    snareOff += after;
    hatOn += hatAt(c);
    hatHalf += hatAt(c + beat / 2);
    hatLate += hatAt(c + (2 * beat) / 3);
    beats++;
  }
  const mean = (v: number, count: number) => (count > 0 ? v / count : 0);
  return {
    kick: k.map((v, i) => mean(v, n[i])),
    snare: s.map((v, i) => mean(v, n[i])),
    snareAfter: sAfter.map((v, i) => mean(v, n[i])),
    snareQuarter: sQuarter.map((v, i) => mean(v, n[i])),
    kickOff: mean(kickOff, beats),
    kickQuarter: mean(kickQuarter, beats),
    snareOff: mean(snareOff, beats),
    hatOn: mean(hatOn, beats),
    hatHalf: mean(hatHalf, beats),
    hatLate: mean(hatLate, beats),
  };
}

function conventions(g: Grid): Conventions {
  const kMax = Math.max(...g.kick, g.kickOff);
  const sMax = Math.max(...g.snare, g.snareOff);
  // Every convention needs a kick; a loop without a snare (techno) can still be four on the floor.
  if (!(kMax > 0)) return { backbeat: 0, halfTime: 0, fourFloor: 0, doubledBackbeat: 0 };
  const sScale = sMax > 0 ? 1 / sMax : 0;
  const K = g.kick.map((v) => v / kMax);
  const S = g.snare.map((v) => v * sScale);
  const kOff = g.kickOff / kMax;
  const sOff = g.snareOff * sScale;
  let backbeat = 0;
  let halfTime = 0;
  for (let p = 0; p < 4; p++) {
    const at = (i: number) => (p + i) & 3;
    // The downbeat kick: stronger on beat 1 than on the beats either side of it.
    const downbeat = clamp01(K[at(0)] - Math.max(K[at(1)], K[at(3)]));
    const twoAndFour = clamp01(Math.min(S[at(1)], S[at(3)]) - Math.max(S[at(0)], S[at(2)], sOff));
    const three = clamp01(S[at(2)] - Math.max(S[at(0)], S[at(1)], S[at(3)], sOff));
    backbeat = Math.max(backbeat, twoAndFour * downbeat);
    halfTime = Math.max(halfTime, three * downbeat);
  }
  // Four on the floor: the kick on every beat and nowhere between (a syncopated kick that happens
  // to recur every beat, as a breakbeat's does at half its tempo, has hits on the sixteenths too).
  const fourFloor = clamp01(Math.min(...K) - Math.max(kOff, g.kickQuarter / kMax));
  // The snare on every off-beat over a four-on-the-floor kick (ska, polka) is the backbeat of
  // twice the tempo: reported apart, so that the backbeat reading can take precedence.
  const offBeatSnare = clamp01(Math.min(...g.snareAfter) * sScale - Math.max(...S));
  // Four on the floor puts the snare or clap (if any) on beats, with the kick. A snare that falls
  // between the beats at every beat, at the half or a quarter of it, is the backbeat of another
  // reading: of twice the tempo (ska), or of this one read with the beats on syncopated kicks
  // (a breakbeat at half its tempo, beats on the kicks of 1-and and 3-and).
  const between = g.snareAfter.map((v, i) => Math.max(v, g.snareQuarter[i]));
  const betweenSnare = clamp01(Math.min(...between) * sScale - Math.max(...S));
  return {
    backbeat,
    halfTime,
    fourFloor: fourFloor * (1 - betweenSnare),
    doubledBackbeat: fourFloor * offBeatSnare,
  };
}

function subdivisionOf(g: Grid): number {
  const between = Math.max(g.hatHalf, g.hatLate);
  const top = Math.max(g.hatOn, between);
  return top > 0 ? between / top : 0;
}

function windowMax(x: ArrayLike<number>, centre: number, w: number, from: number, to: number): number {
  const c = Math.round(centre);
  let m = 0;
  for (let i = Math.max(from, c - w); i <= Math.min(to - 1, c + w); i++) if (x[i] > m) m = x[i];
  return m;
}

const clamp01 = (v: number) => (v < 0 ? 0 : Math.min(v, 1));
