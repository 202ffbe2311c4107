import type { ClaimedMetadata, Key, Tempo } from '@samplemind/contract';

export function mergeClaims(...parts: Partial<ClaimedMetadata>[]): ClaimedMetadata {
  const out: ClaimedMetadata = {
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
  };
  // Earlier parts win: embedded metadata is passed before the file name.
  for (const p of parts) {
    for (const field of [
      'bpm',
      'key',
      'rootNote',
      'isLoop',
      'title',
      'artist',
      'genre',
      'comment',
    ] as const) {
      if (out[field] === null && p[field] !== undefined && p[field] !== null) {
        (out as Record<string, unknown>)[field] = p[field];
        if (p.sources?.[field]) out.sources[field] = p.sources[field];
      }
    }
    if (p.loopPoints?.length && out.loopPoints.length === 0) {
      out.loopPoints = p.loopPoints;
      if (p.sources?.loopPoints) out.sources.loopPoints = p.sources.loopPoints;
    }
  }
  return out;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * Claims only move confidence: agreement raises it, disagreement lowers it and leaves a warning.
 * The measured value is never replaced, so a wrong file name cannot corrupt the analysis.
 */
export function reconcileTempo(tempo: Tempo, claimed: ClaimedMetadata, warnings: string[]): Tempo {
  if (claimed.bpm === null || tempo.bpm === null) return tempo;
  const ratio = tempo.bpm / claimed.bpm;
  const near = (r: number) => Math.abs(ratio / r - 1) < 0.02;
  if (near(1))
    return { ...tempo, confidence: clamp01(tempo.confidence + 0.25 * (1 - tempo.confidence) + 0.1) };
  const source = claimed.sources.bpm ?? 'metadata';
  if (near(2) || near(0.5)) {
    warnings.push(
      `${source} says ${claimed.bpm} BPM; the audio reads ${round(tempo.bpm)} (double/half time)`,
    );
    return { ...tempo, confidence: clamp01(tempo.confidence * 0.85) };
  }
  warnings.push(`${source} says ${claimed.bpm} BPM; the audio reads ${round(tempo.bpm)}`);
  return { ...tempo, confidence: clamp01(tempo.confidence * 0.6) };
}

const RELATIVE_OFFSET = { major: 9, minor: 3 } as const; // semitones from tonic to the relative key's tonic
const PCS = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];

export function reconcileKey(key: Key, claimed: ClaimedMetadata, warnings: string[]): Key {
  if (!claimed.key || key.tonic === null || key.scale === null) return key;
  const same = claimed.key.tonic === key.tonic && claimed.key.scale === key.scale;
  if (same) return { ...key, confidence: clamp01(key.confidence + 0.25 * (1 - key.confidence) + 0.1) };
  const source = claimed.sources.key ?? 'metadata';
  const relative =
    claimed.key.scale !== key.scale &&
    PCS[(PCS.indexOf(key.tonic) + RELATIVE_OFFSET[key.scale]) % 12] === claimed.key.tonic;
  warnings.push(
    `${source} says ${claimed.key.tonic} ${claimed.key.scale}; the audio reads ${key.tonic} ${key.scale}${relative ? ' (relative key)' : ''}`,
  );
  return { ...key, confidence: clamp01(key.confidence * (relative ? 0.85 : 0.6)) };
}

const round = (x: number) => Math.round(x * 100) / 100;
