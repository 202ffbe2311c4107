import type { AnalysisResult } from '../analysis';
import { FEATURE_VECTOR_LENGTH } from '../features';
import type { SyncSummary } from './sync';

// Both browsers and Node (16+) have these globals; the contract compiles against ES lib only.
declare function btoa(data: string): string;
declare function atob(data: string): string;

/** Feature vector → base64 of uint8 (value × 255, rounded). Every dimension is in [0, 1]. */
export function encodeFeatures8(features: ArrayLike<number>): string {
  let text = '';
  for (let i = 0; i < features.length; i++) {
    const v = Number.isFinite(features[i]) ? Math.min(1, Math.max(0, features[i])) : 0;
    text += String.fromCharCode(Math.round(v * 255));
  }
  return btoa(text);
}

/** base64 uint8 → feature vector (byte / 255). Throws on a vector of the wrong length. */
export function decodeFeatures8(encoded: string): Float32Array {
  const text = atob(encoded);
  if (text.length !== FEATURE_VECTOR_LENGTH)
    throw new Error(`features: expected ${FEATURE_VECTOR_LENGTH} bytes, got ${text.length}`);
  const out = new Float32Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) / 255;
  return out;
}

/** The compact view of an analysis (see syncSummarySchema): what a device without the audio needs. */
export function summaryFromAnalysis(a: AnalysisResult): SyncSummary {
  const { container, sampleRate, channels, bitDepth, durationSec } = a.format;
  return {
    analyserVersion: a.analyserVersion,
    format: { container, sampleRate, channels, bitDepth, durationSec },
    isLoop: a.loop.isLoop,
    loopConfidence: a.loop.confidence,
    bpm: a.tempo.bpm,
    bpmConfidence: a.tempo.confidence,
    beats: a.tempo.beats,
    bars: a.tempo.bars,
    tonic: a.key.tonic,
    scale: a.key.scale,
    keyConfidence: a.key.confidence,
    midiNote: a.pitch.midiNote,
    cents: a.pitch.cents,
    type: a.type.label,
    typeConfidence: a.type.confidence,
    lufs: a.levels.lufs,
    samplePeakDb: a.levels.samplePeakDb,
    features: encodeFeatures8(a.features),
  };
}
