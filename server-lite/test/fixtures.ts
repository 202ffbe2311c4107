import { randomBytes } from 'node:crypto';
import {
  ANALYSER_VERSION,
  type AnalysisResult,
  camelotOf,
  FEATURE_VECTOR_LENGTH,
  type Mutation,
  type PitchClass,
  type SampleType,
  type Scale,
} from '@samplemind/contract';

export const randomHash = () => randomBytes(16).toString('hex');

export type FakeAnalysisOptions = {
  hash?: string;
  type?: SampleType;
  bpm?: number | null;
  key?: [PitchClass, Scale] | null;
  durationSec?: number;
  isLoop?: boolean;
  lufs?: number | null;
  features?: number[];
  title?: string | null;
};

/** A schema-valid analysis result with the fields the server filters and sorts on set as asked. */
export function fakeAnalysis(o: FakeAnalysisOptions = {}): AnalysisResult {
  const hash = o.hash ?? randomHash();
  const key = o.key === undefined ? null : o.key;
  const durationSec = o.durationSec ?? 1.5;
  return {
    analyserVersion: ANALYSER_VERSION,
    contentHash: hash,
    format: {
      container: 'wav',
      codec: 'pcm-s16',
      sampleRate: 44100,
      channels: 2,
      bitDepth: 16,
      durationSec,
      frames: Math.round(durationSec * 44100),
      isTruncated: false,
    },
    levels: {
      samplePeakDb: -1,
      truePeakDb: -0.8,
      rmsDb: -14,
      lufs: o.lufs === undefined ? -12 : o.lufs,
      loudnessRangeLu: null,
      isSilent: false,
    },
    loop: { isLoop: o.isLoop ?? false, confidence: 0.9 },
    tempo: {
      bpm: o.bpm ?? null,
      confidence: o.bpm ? 0.8 : 0,
      beats: null,
      bars: null,
      beatsPerBar: null,
      candidates: [],
    },
    key: key
      ? { tonic: key[0], scale: key[1], camelot: camelotOf(key[0], key[1]), confidence: 0.7 }
      : { tonic: null, scale: null, camelot: null, confidence: 0 },
    pitch: { midiNote: null, cents: null, frequencyHz: null, confidence: 0 },
    type: {
      label: o.type ?? 'kick',
      confidence: 0.9,
      method: 'fake',
      scores: [{ label: o.type ?? 'kick', score: 0.9 }],
    },
    envelope: { attackSec: 0.005, decaySec: 0.2, effectiveLengthSec: 0.4, temporalCentroidSec: 0.1 },
    spectral: { centroidHz: 800, rolloffHz: 3000, flatness: 0.1, bandwidthHz: 1200, zeroCrossingRate: 400 },
    features: o.features ?? Array.from({ length: FEATURE_VECTOR_LENGTH }, () => Math.random()),
    waveform: { length: 2, peaks: 'gX+Bfw==' },
    claimed: {
      bpm: null,
      key: null,
      rootNote: null,
      isLoop: null,
      loopPoints: [],
      title: o.title ?? null,
      artist: null,
      genre: null,
      comment: null,
      sources: {},
    },
    warnings: [],
    elapsedMs: 3,
  };
}

/** A unit vector along `axis` plus a little of `mix` on the next axis: handy for known nearest neighbours. */
export function axisVector(axis: number, mix = 0): number[] {
  const v = new Array(FEATURE_VECTOR_LENGTH).fill(0);
  v[axis % FEATURE_VECTOR_LENGTH] = 1;
  v[(axis + 1) % FEATURE_VECTOR_LENGTH] = mix;
  return v;
}

/** Builds mutations for one client with consecutive ids and increasing clocks. */
export function clientMutations(clientId: string, start = 1, startMs = Date.now()) {
  let id = start - 1;
  let ms = startMs;
  return (name: Mutation['name'], args: unknown): Mutation => {
    id++;
    ms++;
    return { clientId, mutationId: id, hlc: `${String(ms).padStart(13, '0')}-0000`, name, args } as Mutation;
  };
}
