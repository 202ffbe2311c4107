import {
  ANALYSER_VERSION,
  type AnalysisResult,
  camelotOf,
  FEATURE_VECTOR_LENGTH,
  LOOP_TYPES,
  ONE_SHOT_TYPES,
  PITCH_CLASSES,
  type SampleType,
} from '@samplemind/contract';

/** Small deterministic PRNG (mulberry32) so seeded libraries are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * A plausible AnalysisResult for seeding and tests (not a real analysis): type-dependent
 * duration, tempo, key and a feature vector clustered by type so similarity and the map have
 * structure to show.
 */
export function syntheticResult(random: () => number, contentHash: string, pairs = 200): AnalysisResult {
  const isLoop = random() < 0.3;
  const type: SampleType = isLoop
    ? LOOP_TYPES[Math.floor(random() * LOOP_TYPES.length)]
    : ONE_SHOT_TYPES[Math.floor(random() * ONE_SHOT_TYPES.length)];
  const typeIndex = [...ONE_SHOT_TYPES, ...LOOP_TYPES].indexOf(type);
  const bpm = isLoop ? Math.round(70 + random() * 110) : null;
  const bars = isLoop ? [1, 2, 4, 8][Math.floor(random() * 4)] : null;
  const durationSec = isLoop && bpm && bars ? (bars * 4 * 60) / bpm : 0.05 + random() ** 2 * 3;
  const tonal = type === 'bass' || type === 'melodic' || type === 'vocal' || type === 'music-loop';
  const tonic = tonal ? PITCH_CLASSES[Math.floor(random() * 12)] : null;
  const scale = tonal ? (random() < 0.5 ? 'major' : 'minor') : null;
  const midi = tonal && !isLoop ? 36 + Math.floor(random() * 48) : null;
  const lufs = -6 - random() * 24;
  const features = Array.from({ length: FEATURE_VECTOR_LENGTH }, (_, i) => {
    const centre = ((typeIndex * 7 + i * 3) % 13) / 13;
    return Math.min(1, Math.max(0, centre + (random() - 0.5) * 0.25));
  });
  const peaks = new Int8Array(pairs * 2);
  for (let i = 0; i < pairs; i++) {
    const env = Math.exp((-4 * i) / pairs) * (isLoop ? 0.6 + 0.4 * Math.abs(Math.sin(i / 7)) : 1);
    const a = Math.round(127 * env * (0.5 + random() * 0.5));
    peaks[2 * i] = -a;
    peaks[2 * i + 1] = a;
  }
  return {
    analyserVersion: ANALYSER_VERSION,
    contentHash,
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
      samplePeakDb: -0.3,
      truePeakDb: -0.1,
      rmsDb: lufs - 3,
      lufs: durationSec >= 0.4 ? lufs : null,
      loudnessRangeLu: null,
      isSilent: false,
    },
    loop: { isLoop, confidence: 0.8 },
    tempo: {
      bpm,
      confidence: bpm ? 0.7 + random() * 0.3 : 0,
      beats: bars ? bars * 4 : null,
      bars,
      beatsPerBar: bars ? 4 : null,
      candidates: bpm
        ? [
            { bpm, score: 1 },
            { bpm: bpm * 2, score: 0.5 },
          ]
        : [],
    },
    key: {
      tonic,
      scale,
      camelot: tonic && scale ? camelotOf(tonic, scale) : null,
      confidence: tonic ? 0.5 + random() * 0.5 : 0,
    },
    pitch: {
      midiNote: midi,
      cents: midi === null ? null : Math.round((random() - 0.5) * 40),
      frequencyHz: midi === null ? null : 440 * 2 ** ((midi - 69) / 12),
      confidence: midi === null ? 0 : 0.8,
    },
    type: {
      label: type,
      confidence: 0.6 + random() * 0.4,
      method: 'synthetic',
      scores: [{ label: type, score: 1 }],
    },
    envelope: {
      attackSec: 0.005,
      decaySec: durationSec / 3,
      effectiveLengthSec: durationSec,
      temporalCentroidSec: durationSec / 4,
    },
    spectral: {
      centroidHz: 500 + random() * 5000,
      rolloffHz: 8000,
      flatness: random() * 0.5,
      bandwidthHz: 2000,
      zeroCrossingRate: 1000,
    },
    features,
    waveform: { length: pairs, peaks: base64(new Uint8Array(peaks.buffer)) },
    claimed: {
      bpm: null,
      key: null,
      rootNote: null,
      isLoop: null,
      loopPoints: [],
      title: null,
      artist: null,
      genre: null,
      comment: null,
      sources: {},
    },
    warnings: [],
    elapsedMs: 5,
  };
}
