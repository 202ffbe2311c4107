/**
 * Layout of the similarity feature vector. Each entry is one dimension; `aspect` groups them so
 * that "more like this" can weight timbre, pitch, envelope and loudness separately.
 *
 * Every dimension is mapped to [0, 1] by the fixed constants written in its `scale` (no
 * per-library statistics), so vectors computed on different devices and dates stay comparable.
 * Notation: logScale(x, lo, hi) = clamp(ln(x / lo) / ln(hi / lo)) (0 for x <= 0);
 * dbScale(x, lo, hi) = clamp((x - lo) / (hi - lo)); clamp() limits to [0, 1].
 *
 * Sources: the shared 1024-point / 256-hop STFT of the mono 22050 Hz signal (46 ms frames),
 * frames within 60 dB of the loudest frame only. MFCCs: 40 HTK-mel triangular bands over
 * 0-11025 Hz (unit-sum weights, so white noise gives 0), log power in dB floored 80 dB below each
 * frame's strongest band, orthonormal DCT-II, coefficients c1..c13 (c0 = level is left out; the
 * loudness aspect has it). MFCC statistics weight each frame by its amplitude (sqrt of energy).
 * Every value is finite; a silent file gives zeros except the MFCC means (0.5 = flat spectrum).
 */
export const FEATURE_ASPECTS = ['timbre', 'pitch', 'envelope', 'loudness'] as const;
export type FeatureAspect = (typeof FEATURE_ASPECTS)[number];

export type FeatureDimension = { name: string; aspect: FeatureAspect; scale: string };

const range = (
  prefix: string,
  n: number,
  aspect: FeatureAspect,
  scale: (i: number) => string,
): FeatureDimension[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, aspect, scale: scale(i) }));

const knee = (k: number, base: number) => (base / Math.sqrt(k)).toFixed(2);

export const FEATURE_LAYOUT: readonly FeatureDimension[] = [
  ...range(
    'mfccMean',
    13,
    'timbre',
    (i) => `0.5 + 0.5 tanh(mean c${i + 1} / ${knee(i + 1, 60)}) (60 / sqrt(k))`,
  ),
  ...range(
    'mfccStd',
    13,
    'timbre',
    (i) => `tanh(std over time of c${i + 1} / ${knee(i + 1, 20)}) (20 / sqrt(k))`,
  ),
  { name: 'centroid', aspect: 'timbre', scale: 'logScale(spectral.centroidHz, 50, 11025)' },
  { name: 'rolloff', aspect: 'timbre', scale: 'logScale(spectral.rolloffHz (85 %), 50, 11025)' },
  { name: 'flatness', aspect: 'timbre', scale: 'dbScale(10 log10 spectral.flatness, -60, 0)' },
  { name: 'bandwidth', aspect: 'timbre', scale: 'logScale(spectral.bandwidthHz, 50, 5000)' },
  {
    name: 'zeroCrossingRate',
    aspect: 'timbre',
    scale: 'logScale(spectral.zeroCrossingRate per s, 20, 11025)',
  },
  {
    name: 'spectralFlux',
    aspect: 'timbre',
    scale: 'clamp(mean positive change of unit-norm magnitude spectra between frames / 0.5)',
  },
  ...range(
    'chroma',
    12,
    'pitch',
    (i) =>
      `pitch class ${i} (C = 0) of the tonal part summed over time, divided by the largest class; 0 if none`,
  ),
  { name: 'pitchSalience', aspect: 'pitch', scale: 'pitch.confidence (one-shots) or key.confidence (loops)' },
  { name: 'rootNote', aspect: 'pitch', scale: 'clamp((pitch.midiNote - 24) / 72); 0 when unpitched' },
  { name: 'attack', aspect: 'envelope', scale: 'logScale(envelope.attackSec, 0.001, 1)' },
  { name: 'decay', aspect: 'envelope', scale: 'logScale(envelope.decaySec, 0.01, 20)' },
  { name: 'effectiveLength', aspect: 'envelope', scale: 'logScale(envelope.effectiveLengthSec, 0.01, 60)' },
  {
    name: 'temporalCentroid',
    aspect: 'envelope',
    scale: 'logScale(envelope.temporalCentroidSec, 0.005, 30)',
  },
  {
    name: 'onsetRate',
    aspect: 'envelope',
    scale: 'logScale(1 + onsets per second of effective length (min 0.1 s), 1, 21)',
  },
  { name: 'isLoop', aspect: 'envelope', scale: '1 for loops, 0 for one-shots' },
  { name: 'tempo', aspect: 'envelope', scale: 'logScale(tempo.bpm, 50, 250) for loops; 0 otherwise' },
  {
    name: 'crestFactor',
    aspect: 'envelope',
    scale: 'clamp(peak / RMS of the audible part (within 40 dB of the envelope peak), dB / 30)',
  },
  { name: 'lufs', aspect: 'loudness', scale: 'dbScale(levels.lufs, or levels.rmsDb under 0.4 s, -60, 0)' },
  { name: 'rms', aspect: 'loudness', scale: 'dbScale(levels.rmsDb, -60, 0)' },
  { name: 'peak', aspect: 'loudness', scale: 'dbScale(levels.truePeakDb, -60, 6)' },
  { name: 'loudnessRange', aspect: 'loudness', scale: 'clamp(levels.loudnessRangeLu / 30); 0 when null' },
];

export const FEATURE_VECTOR_LENGTH = FEATURE_LAYOUT.length;

/** Indices of each aspect's dimensions, for weighted similarity. */
export const FEATURE_ASPECT_INDICES: Record<FeatureAspect, number[]> = Object.fromEntries(
  FEATURE_ASPECTS.map((a) => [a, FEATURE_LAYOUT.flatMap((d, i) => (d.aspect === a ? [i] : []))]),
) as Record<FeatureAspect, number[]>;
