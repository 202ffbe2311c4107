import type { AiSampleInput } from '../contract';

/** A plausible kick one-shot; `n` varies the file name so samples differ. */
export function kick(n = 1, overrides: Partial<AiSampleInput> = {}): AiSampleInput {
  return {
    id: `kick${String(n).padStart(4, '0')}`,
    fileName: `Kick_Punchy_${n}.wav`,
    durationSec: 0.4213,
    type: { label: 'kick', confidence: 0.93 },
    loop: { isLoop: false, confidence: 0.97 },
    tempo: { bpm: null, confidence: 0, beatsPerBar: null },
    key: { tonic: null, scale: null, confidence: 0 },
    pitch: { midiNote: 33, confidence: 0.61 },
    levels: { lufs: -8.23, truePeakDb: -0.31, rmsDb: -12.08, loudnessRangeLu: null, isSilent: false },
    envelope: { attackSec: 0.0021, decaySec: 0.181, effectiveLengthSec: 0.4, temporalCentroidSec: 0.083 },
    spectral: {
      centroidHz: 1234.5,
      rolloffHz: 4321,
      flatness: 0.021,
      bandwidthHz: 1890,
      zeroCrossingRate: 1200,
    },
    ...overrides,
  };
}

/** A plausible drum loop. */
export function drumLoop(n = 1, overrides: Partial<AiSampleInput> = {}): AiSampleInput {
  return kick(n, {
    id: `loop${String(n).padStart(4, '0')}`,
    fileName: `Techno_Loop_${n}_128bpm.wav`,
    durationSec: 7.5,
    type: { label: 'drum-loop', confidence: 0.88 },
    loop: { isLoop: true, confidence: 0.91 },
    tempo: { bpm: 128.02, confidence: 0.86, beatsPerBar: 4 },
    key: { tonic: 'A', scale: 'minor', confidence: 0.42 },
    pitch: { midiNote: null, confidence: 0 },
    levels: { lufs: -9.8, truePeakDb: -0.5, rmsDb: -13.2, loudnessRangeLu: 3.1, isSilent: false },
    claimed: { genre: 'Techno', comment: null },
    ...overrides,
  });
}

/**
 * Rate limits count in fixed one-minute windows; a test that makes several requests waits out the
 * last seconds of a minute so its requests land in one window.
 */
export async function awayFromMinuteBoundary(marginMs = 5000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 20));
}
