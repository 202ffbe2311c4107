/**
 * Key profiles: how strongly each scale degree (index 0 = tonic) is expected in a key.
 */
export type KeyProfile = { name: string; major: readonly number[]; minor: readonly number[] };

/** Krumhansl & Kessler (1982), probe-tone ratings. */
export const KRUMHANSL: KeyProfile = {
  name: 'krumhansl',
  major: [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88],
  minor: [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17],
};

/** Temperley (1999), "What's key for key?" revision of the K-K profiles. */
export const TEMPERLEY: KeyProfile = {
  name: 'temperley',
  major: [5.0, 2.0, 3.5, 2.0, 4.5, 4.0, 2.0, 4.5, 2.0, 3.5, 1.5, 4.0],
  minor: [5.0, 2.0, 3.5, 4.5, 2.0, 4.0, 2.0, 4.5, 3.5, 2.0, 1.5, 4.0],
};

/** Temperley (2005, MIREX), Kostka-Payne corpus statistics: share of segments holding each degree. */
export const KOSTKA_PAYNE: KeyProfile = {
  name: 'kostka-payne',
  major: [0.748, 0.06, 0.488, 0.082, 0.67, 0.46, 0.096, 0.715, 0.104, 0.366, 0.057, 0.4],
  minor: [0.712, 0.084, 0.474, 0.618, 0.049, 0.46, 0.105, 0.747, 0.404, 0.067, 0.133, 0.33],
};

/** Shaath (2011), K-K adjusted for popular and electronic music. */
export const SHAATH: KeyProfile = {
  name: 'shaath',
  major: [6.6, 2.0, 3.5, 2.3, 4.6, 4.0, 2.5, 5.2, 2.4, 3.7, 2.3, 3.4],
  minor: [6.5, 2.7, 3.5, 5.4, 2.6, 3.5, 2.5, 5.2, 4.0, 2.7, 4.3, 3.2],
};

/** Faraldo et al. (2016), profiles learnt from electronic dance music audio (edma). */
export const EDMA: KeyProfile = {
  name: 'edma',
  major: [0.1652, 0.0475, 0.0829, 0.0669, 0.0999, 0.0927, 0.0529, 0.1316, 0.0522, 0.0744, 0.0694, 0.0643],
  minor: [0.1724, 0.0534, 0.0761, 0.1004, 0.0562, 0.0853, 0.0498, 0.1345, 0.0746, 0.05, 0.0919, 0.0555],
};

export const PROFILES = [KRUMHANSL, TEMPERLEY, KOSTKA_PAYNE, SHAATH, EDMA];

/**
 * Pearson correlation of a 12-bin chroma (C = 0) with every rotation of a profile.
 * Returns 24 scores: index tonic (0..11) for major, 12 + tonic for minor.
 */
export function keyCorrelations(chroma: ArrayLike<number>, profile: KeyProfile): Float64Array {
  const out = new Float64Array(24);
  const c = centred(chroma);
  for (let mode = 0; mode < 2; mode++) {
    const p = centred(mode === 0 ? profile.major : profile.minor);
    for (let tonic = 0; tonic < 12; tonic++) {
      let dot = 0;
      for (let pc = 0; pc < 12; pc++) dot += c.v[pc] * p.v[(pc - tonic + 12) % 12];
      out[mode * 12 + tonic] = c.norm > 0 && p.norm > 0 ? dot / (c.norm * p.norm) : 0;
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

/**
 * Chord roots and bass notes: the tonic most, the dominant and subdominant next, the other
 * diatonic degrees less, chromatic degrees not at all (minor: natural minor degrees).
 */
export const ROOT_PROFILE: KeyProfile = {
  name: 'root',
  major: [1, 0, 0.25, 0, 0.25, 0.5, 0, 0.5, 0, 0.25, 0, 0.25],
  minor: [1, 0, 0.25, 0.25, 0, 0.5, 0, 0.5, 0.25, 0, 0.25, 0],
};

/** The tonic alone (for the opening bass note). */
export const TONIC_NOTE: KeyProfile = {
  name: 'tonic-note',
  major: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  minor: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
};

/** The tonic triad (for the opening chord). */
export const TONIC_TRIAD: KeyProfile = {
  name: 'tonic-triad',
  major: [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0],
  minor: [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0],
};
