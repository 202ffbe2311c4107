import type { AnalysisResult } from '@samplemind/contract';
import type { SampleSummary } from '../db/types';

/** The few measured values the list filters and sorts on (the rest stays in the sample record). */
export function summarise(r: AnalysisResult): SampleSummary {
  return {
    type: r.type.label,
    typeConfidence: r.type.confidence,
    bpm: r.tempo.bpm,
    bpmConfidence: r.tempo.confidence,
    tonic: r.key.tonic,
    scale: r.key.scale,
    keyConfidence: r.key.confidence,
    durationSec: r.format.durationSec,
    lufs: r.levels.lufs,
    rootNote: r.pitch.midiNote,
    isLoop: r.loop.isLoop,
  };
}
