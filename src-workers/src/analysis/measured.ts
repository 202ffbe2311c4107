import type { Envelope, Key, Levels, LoopDecision, Pitch, Spectral, Tempo } from '@samplemind/contract';

/** Everything measured before classification and the feature vector are derived. */
export type Measured = {
  levels: Levels;
  loop: LoopDecision;
  tempo: Tempo;
  key: Key;
  pitch: Pitch;
  envelope: Envelope;
  spectral: Spectral;
};
