import {
  encodeFeatures8,
  FEATURE_VECTOR_LENGTH,
  type SyncSample,
  type SyncSummary,
} from '@samplemind/contract';

/** A compact-view summary of a one-shot kick; tests override what they look at. */
export function remoteSummary(over: Partial<SyncSummary> = {}, featureValue = 0.5): SyncSummary {
  return {
    analyserVersion: '1.0.0',
    format: { container: 'wav', sampleRate: 44100, channels: 1, bitDepth: 16, durationSec: 1 },
    isLoop: false,
    loopConfidence: 1,
    bpm: null,
    bpmConfidence: 0,
    beats: null,
    bars: null,
    tonic: null,
    scale: null,
    keyConfidence: 0,
    midiNote: null,
    cents: null,
    type: 'kick',
    typeConfidence: 1,
    lufs: -8,
    samplePeakDb: -1,
    features: encodeFeatures8(new Array(FEATURE_VECTOR_LENGTH).fill(featureValue)),
    ...over,
  };
}

/** A sample as another device's pull (view=compact) delivers it: no edits, analysed. */
export function remoteSample(id: string, over: Partial<SyncSample> = {}): SyncSample {
  return {
    id,
    deleted: false,
    name: `${id.slice(0, 4)}.wav`,
    path: `Other/${id.slice(0, 4)}.wav`,
    tags: [],
    rating: null,
    favorite: false,
    notes: '',
    aiDescription: null,
    aiModel: null,
    bpm: null,
    key: null,
    type: null,
    summary: remoteSummary(),
    updatedAt: '2030-01-01T00:00:00.000Z',
    ...over,
  };
}
