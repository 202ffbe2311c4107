/**
 * Key profiles: how strongly each scale degree (index 0 = tonic, in semitones) is expected in a key.
 */
export type KeyProfile = { major: readonly number[]; minor: readonly number[] };

/**
 * Shaath (2011): the Krumhansl-Kessler probe-tone profiles adjusted for popular and electronic
 * music (more weight on the tonic, and on the minor seventh in minor, where the natural-minor
 * bVII chord is common). Chosen over K-K itself, Temperley (1999) and Temperley's Kostka-Payne
 * statistics, which on audio chroma confuse minor keys with their relative major more often.
 */
export const SHAATH: KeyProfile = {
  major: [6.6, 2.0, 3.5, 2.3, 4.6, 4.0, 2.5, 5.2, 2.4, 3.7, 2.3, 3.4],
  minor: [6.5, 2.7, 3.5, 5.4, 2.6, 3.5, 2.5, 5.2, 4.0, 2.7, 4.3, 3.2],
};

/**
 * Chord roots and bass notes: the tonic most, the dominant and subdominant next, the other
 * diatonic degrees less, chromatic degrees not at all (minor: natural-minor degrees).
 */
export const ROOT_PROFILE: KeyProfile = {
  major: [1, 0, 0.25, 0, 0.25, 0.5, 0, 0.5, 0, 0.25, 0, 0.25],
  minor: [1, 0, 0.25, 0.25, 0, 0.5, 0, 0.5, 0.25, 0, 0.25, 0],
};

/** The tonic alone (the opening bass note). */
export const TONIC_NOTE: KeyProfile = {
  major: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  minor: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
};

/** The tonic triad (the opening chord). */
export const TONIC_TRIAD: KeyProfile = {
  major: [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0],
  minor: [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0],
};

/**
 * Pearson correlation of a 12-bin chroma (C = 0) with every rotation of a profile.
 * Returns 24 scores: index tonic (0..11) for major, 12 + tonic for minor; 0 for a flat chroma.
 */
export function keyCorrelations(chroma: ArrayLike<number>, profile: KeyProfile): Float64Array {
  const out = new Float64Array(24);
  const c = centred(chroma);
  if (c.norm === 0) return out;
  for (let mode = 0; mode < 2; mode++) {
    const p = centred(mode === 0 ? profile.major : profile.minor);
    for (let tonic = 0; tonic < 12; tonic++) {
      let dot = 0;
      for (let pc = 0; pc < 12; pc++) dot += c.v[pc] * p.v[(pc - tonic + 12) % 12];
      out[mode * 12 + tonic] = dot / (c.norm * p.norm);
    }
  }
  return out;
}

function centred(x: ArrayLike<number>): { v: Float64Array; norm: number } {
  let mean = 0;
  for (let i = 0; i < 12; i++) mean += x[i];
  mean /= 12;
  const v = new Float64Array(12);
  let ss = 0;
  for (let i = 0; i < 12; i++) {
    v[i] = x[i] - mean;
    ss += v[i] * v[i];
  }
  return { v, norm: Math.sqrt(ss) };
}
