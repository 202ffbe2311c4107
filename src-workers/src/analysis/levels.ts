// Owned by the timbre/levels module. Placeholder. Runs at the file's own rate, on every chunk.
import type { Levels } from '@samplemind/contract';

export type LevelMeter = { push(chunk: Float32Array[]): void; finish(): Levels };

export function createLevelMeter(_sampleRate: number, _channels: number): LevelMeter {
  let peak = 0;
  return {
    push(chunk) {
      for (const ch of chunk) for (let i = 0; i < ch.length; i++) peak = Math.max(peak, Math.abs(ch[i]));
    },
    finish() {
      const db = peak > 0 ? 20 * Math.log10(peak) : null;
      return { samplePeakDb: db, truePeakDb: db, rmsDb: null, lufs: null, loudnessRangeLu: null, isSilent: peak === 0 };
    },
  };
}
