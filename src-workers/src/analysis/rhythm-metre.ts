import { magnitudeAt, type OnsetSpectrum } from './rhythm-spectrum';

/**
 * Metrical reasoning on onset spectra: how salient a pulse is, what the fastest regular pulse of
 * the hi-hats is (the tatum), and how plausible a beat is given both and a tempo prior.
 */

/** Salience of a pulse at `bpm`: its line plus the next harmonics (a pulse train has them all). */
export function pulseSalience(spec: OnsetSpectrum, bpm: number, harmonics = 4): number {
  const f = bpm / 60;
  let s = 0;
  for (let h = 1; h <= harmonics; h++) s += magnitudeAt(spec, f * h);
  return s;
}

/**
 * Precise location of a pulse near `bpm`: maximises the sum of all harmonics up to `maxHz`, which
 * sharpens the estimate (the k-th harmonic moves k times as fast as the fundamental).
 */
export function refinePulse(spec: OnsetSpectrum, bpm: number, spanRel: number, maxHz: number): number {
  const score = (t: number) => {
    const f = t / 60;
    const hs = Math.max(1, Math.floor(maxHz / f));
    let s = 0;
    for (let h = 1; h <= hs; h++) s += magnitudeAt(spec, f * h);
    return s;
  };
  let best = bpm;
  let bestScore = score(bpm);
  // Coarse then fine: the summed peak is narrow (width ~ 1 / (duration × harmonics)).
  for (const step of [spanRel / 10, spanRel / 100, spanRel / 1000]) {
    const centre = best;
    for (let d = -10; d <= 10; d++) {
      const t = centre * (1 + d * step);
      const s = score(t);
      if (s > bestScore) {
        bestScore = s;
        best = t;
      }
    }
  }
  return best;
}

export type Tatum = {
  /** Pulse frequency in Hz; 0 when there is none. */
  hz: number;
  /** How much better the pulse train explains the spectrum than the one an octave below (0..1). */
  clarity: number;
};

/**
 * The fastest regular pulse of an onset spectrum, found like a pitch: the frequency whose harmonics
 * are present while the odd half-harmonics (which a pulse at half the rate would add) are absent.
 */
export function findTatum(spec: OnsetSpectrum, minHz = 1.2, maxHz = 14): Tatum {
  let best = 0;
  let bestHz = 0;
  let bestPresent = 0;
  const consider = (g: number) => {
    let present = 0;
    let absent = 0;
    for (let k = 1; k <= 4; k++) {
      present += magnitudeAt(spec, k * g);
      absent += magnitudeAt(spec, (k - 0.5) * g);
    }
    const s = present - absent;
    if (s > best) {
      best = s;
      bestHz = g;
      bestPresent = present;
    }
  };
  // Coarse 0.4 % grid, then 0.05 % around the winner.
  for (let g = minHz; g < maxHz; g *= 1.004) consider(g);
  const coarse = bestHz;
  if (coarse > 0) for (let d = -8; d <= 8; d++) consider(coarse * (1 + d * 0.0005));
  return { hz: bestHz, clarity: bestPresent > 0 ? best / bestPresent : 0 };
}

/** Hi-hat pulses per beat → log-plausibility. */
const SUBDIVISIONS: ReadonlyArray<readonly [number, number]> = [
  [1, -1],
  [1.5, -0.3],
  [2, 0],
  [3, 0],
  [4, -0.1],
];

/**
 * How usual it is for the hi-hat pulse to split the beat `q` ways. Eighths (2) are the norm in
 * popular styles, triplet eighths (3) and sixteenths (4) are common, a pulse on the beat itself (1)
 * or a dotted relation (1.5, swing ride) less so; anything else means the beat is wrong.
 */
export function subdivisionFit(q: number): number {
  for (const [r, v] of SUBDIVISIONS) if (Math.abs(q / r - 1) < 0.06) return v;
  return -2;
}

/**
 * Centre of the tempo prior. 120 BPM (a beat of 500 ms) is where listeners' preferred tapping
 * rate peaks (Moelants 2002, "Preferred tempo reconsidered") and the usual default of beat
 * trackers (Ellis 2007; librosa); sample-pack tempi cluster around it too (house at 120-128, trap
 * and dubstep written at 140). When the drums allow two octaves equally (a half-time bar at T is
 * a backbeat bar at T/2) the prior chooses the one nearer to it: the boundary falls at
 * 120/sqrt(2) = 85 BPM felt, 170 written, so trap at 140 reads 140 and a funk groove at 90 reads
 * 90.
 */
const PRIOR_CENTRE_BPM = 120;

/** Log-domain tempo prior: a broad log-normal (one octave per standard deviation, natural log units). */
export function tempoPrior(bpm: number, centre = PRIOR_CENTRE_BPM, octaves = 1): number {
  const z = Math.log2(bpm / centre) / octaves;
  return -0.5 * z * z;
}
