/**
 * Layout of the similarity feature vector. Each entry is one dimension; `aspect` groups them so
 * that "more like this" can weight timbre, pitch, envelope and loudness separately.
 * Every dimension is scaled to roughly [0, 1] by fixed constants (no per-library statistics), so
 * vectors computed on different devices and dates stay comparable.
 */
export const FEATURE_ASPECTS = ['timbre', 'pitch', 'envelope', 'loudness'] as const;
export type FeatureAspect = (typeof FEATURE_ASPECTS)[number];

type Dim = { name: string; aspect: FeatureAspect };

const range = (prefix: string, n: number, aspect: FeatureAspect): Dim[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, aspect }));

export const FEATURE_LAYOUT: readonly Dim[] = [
  ...range('mfccMean', 13, 'timbre'),
  ...range('mfccStd', 13, 'timbre'),
  { name: 'centroid', aspect: 'timbre' },
  { name: 'rolloff', aspect: 'timbre' },
  { name: 'flatness', aspect: 'timbre' },
  { name: 'bandwidth', aspect: 'timbre' },
  { name: 'zeroCrossingRate', aspect: 'timbre' },
  { name: 'spectralFlux', aspect: 'timbre' },
  ...range('chroma', 12, 'pitch'),
  { name: 'pitchSalience', aspect: 'pitch' },
  { name: 'rootNote', aspect: 'pitch' },
  { name: 'attack', aspect: 'envelope' },
  { name: 'decay', aspect: 'envelope' },
  { name: 'effectiveLength', aspect: 'envelope' },
  { name: 'temporalCentroid', aspect: 'envelope' },
  { name: 'onsetRate', aspect: 'envelope' },
  { name: 'isLoop', aspect: 'envelope' },
  { name: 'tempo', aspect: 'envelope' },
  { name: 'crestFactor', aspect: 'envelope' },
  { name: 'lufs', aspect: 'loudness' },
  { name: 'rms', aspect: 'loudness' },
  { name: 'peak', aspect: 'loudness' },
  { name: 'loudnessRange', aspect: 'loudness' },
];

export const FEATURE_VECTOR_LENGTH = FEATURE_LAYOUT.length;

/** Indices of each aspect's dimensions, for weighted similarity. */
export const FEATURE_ASPECT_INDICES: Record<FeatureAspect, number[]> = Object.fromEntries(
  FEATURE_ASPECTS.map((a) => [a, FEATURE_LAYOUT.flatMap((d, i) => (d.aspect === a ? [i] : []))]),
) as Record<FeatureAspect, number[]>;
