import { z } from 'zod';
import { ANALYSIS_ERROR_CODES, SAMPLE_TYPES } from './analysis-constants';
import { FEATURE_VECTOR_LENGTH } from './features';
import { pitchClassSchema, scaleSchema } from './keys';

export * from './analysis-constants';

export const sampleTypeSchema = z.enum(SAMPLE_TYPES);
export type SampleType = z.infer<typeof sampleTypeSchema>;

export const analysisErrorCodeSchema = z.enum(ANALYSIS_ERROR_CODES);
export type AnalysisErrorCode = z.infer<typeof analysisErrorCodeSchema>;

export const analysisErrorSchema = z.object({
  code: analysisErrorCodeSchema,
  message: z.string(),
});
export type AnalysisError = z.infer<typeof analysisErrorSchema>;

const confidence = z.number().min(0).max(1);

export const audioFormatSchema = z.object({
  container: z.enum(['wav', 'aiff', 'flac', 'mp3', 'ogg']),
  codec: z.string(), // e.g. "pcm-s16", "pcm-f32", "pcm-u8", "flac", "mp3", "vorbis"
  sampleRate: z.number().int().positive(),
  channels: z.number().int().positive(),
  bitDepth: z.number().int().positive().nullable(), // null for lossy codecs
  durationSec: z.number().nonnegative(),
  frames: z.number().int().nonnegative(),
  /** True when the file held fewer frames than its header promised (decoded what was there). */
  isTruncated: z.boolean(),
});
export type AudioFormat = z.infer<typeof audioFormatSchema>;

export const levelsSchema = z.object({
  samplePeakDb: z.number().nullable(), // dBFS; null for digital silence
  truePeakDb: z.number().nullable(), // dBTP, 4x oversampled (BS.1770-4 Annex 2)
  rmsDb: z.number().nullable(),
  /** Integrated loudness, EBU R128 / BS.1770-4 gating. Null under 0.4 s or when fully gated. */
  lufs: z.number().nullable(),
  /** Loudness range (EBU Tech 3342), LU. Null when fewer than two 3 s short-term blocks survive gating. */
  loudnessRangeLu: z.number().nullable(),
  isSilent: z.boolean(),
});

export const loopSchema = z.object({
  isLoop: z.boolean(),
  confidence,
});

export const tempoSchema = z.object({
  bpm: z.number().positive().nullable(),
  confidence,
  beats: z.number().int().positive().nullable(),
  bars: z.number().positive().nullable(),
  beatsPerBar: z.number().int().positive().nullable(),
  /** Other plausible tempi (e.g. half/double) with their scores, best first. */
  candidates: z.array(z.object({ bpm: z.number().positive(), score: z.number() })),
});

export const keySchema = z.object({
  tonic: pitchClassSchema.nullable(),
  scale: scaleSchema.nullable(),
  camelot: z.string().nullable(),
  confidence,
});

export const pitchSchema = z.object({
  midiNote: z.number().int().nullable(),
  cents: z.number().min(-50).max(50).nullable(),
  frequencyHz: z.number().positive().nullable(),
  confidence,
});

export const typeSchema = z.object({
  label: sampleTypeSchema,
  confidence,
  /** Name of the method that made the call (see classify.ts). */
  method: z.string(),
  /** Score per candidate type, highest first. */
  scores: z.array(z.object({ label: sampleTypeSchema, score: z.number() })),
});

export const envelopeSchema = z.object({
  attackSec: z.number().nonnegative(), // onset to peak
  decaySec: z.number().nonnegative(), // peak to -20 dB below peak
  effectiveLengthSec: z.number().nonnegative(), // start to last point above -40 dB re peak
  temporalCentroidSec: z.number().nonnegative(),
});

export const spectralSchema = z.object({
  centroidHz: z.number().nonnegative(),
  rolloffHz: z.number().nonnegative(), // 85 % energy
  flatness: z.number().min(0).max(1),
  bandwidthHz: z.number().nonnegative(),
  zeroCrossingRate: z.number().nonnegative(), // crossings per second
});

/** What the file itself or its name claims; never merged silently into the measured values. */
export const claimedMetadataSchema = z.object({
  bpm: z.number().positive().nullable(),
  key: z.object({ tonic: pitchClassSchema, scale: scaleSchema }).nullable(),
  rootNote: z.number().int().nullable(),
  isLoop: z.boolean().nullable(),
  loopPoints: z.array(z.object({ start: z.number().int(), end: z.number().int() })),
  title: z.string().nullable(),
  artist: z.string().nullable(),
  genre: z.string().nullable(),
  comment: z.string().nullable(),
  /** Where each claim came from, e.g. { bpm: "acid", key: "filename" }. */
  sources: z.record(z.string(), z.string()),
});
export type ClaimedMetadata = z.infer<typeof claimedMetadataSchema>;

export const waveformSchema = z.object({
  /** Number of (min, max) pairs. */
  length: z.number().int().nonnegative(),
  /** base64 of Int8Array [min0, max0, min1, max1, …], full scale = ±127. */
  peaks: z.string(),
});

export const analysisResultSchema = z.object({
  analyserVersion: z.string(),
  /** Hex digest of the file's bytes (xxhash128 via hash-wasm). */
  contentHash: z.string(),
  format: audioFormatSchema,
  levels: levelsSchema,
  loop: loopSchema,
  tempo: tempoSchema,
  key: keySchema,
  pitch: pitchSchema,
  type: typeSchema,
  envelope: envelopeSchema,
  spectral: spectralSchema,
  /** Fixed-length, normalised similarity vector; layout in features.ts. */
  features: z.array(z.number()).length(FEATURE_VECTOR_LENGTH),
  waveform: waveformSchema,
  claimed: claimedMetadataSchema,
  warnings: z.array(z.string()),
  /** Wall time spent, ms. */
  elapsedMs: z.number().nonnegative(),
});
export type AnalysisResult = z.infer<typeof analysisResultSchema>;

export const analysisOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: analysisResultSchema }),
  z.object({ ok: z.literal(false), error: analysisErrorSchema }),
]);
export type AnalysisOutcome = z.infer<typeof analysisOutcomeSchema>;

export type Levels = z.infer<typeof levelsSchema>;
export type LoopDecision = z.infer<typeof loopSchema>;
export type Tempo = z.infer<typeof tempoSchema>;
export type Key = z.infer<typeof keySchema>;
export type Pitch = z.infer<typeof pitchSchema>;
export type TypeCall = z.infer<typeof typeSchema>;
export type Envelope = z.infer<typeof envelopeSchema>;
export type Spectral = z.infer<typeof spectralSchema>;
export type Waveform = z.infer<typeof waveformSchema>;
