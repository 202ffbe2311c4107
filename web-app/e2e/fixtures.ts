import { drumLoop, encodeWav, hat, kick, tone } from '../scripts/wav.mjs';

export type FileSpec = { name: string; bytes: Uint8Array; type?: string };

const wav = (name: string, x: Float32Array): FileSpec => ({ name, bytes: encodeWav([x]), type: 'audio/wav' });

/** Sounds the engine can analyse, with the values a correct analysis gives. */
export const GOOD = {
  kick: wav('Big Kick.wav', kick(0.4)),
  hat: wav('Closed Hat.wav', hat(0.12, 5)),
  tone: wav('Pluck A3.wav', tone(57, 1)),
  loop: wav('Groove 120.wav', drumLoop(120, 2)),
};

/** Loops at known tempi (2 or 4 bars of 4/4). */
export const LOOPS = {
  slow: wav('Slow 90.wav', drumLoop(90, 2)),
  groove: GOOD.loop,
  fast: wav('Fast 140.wav', drumLoop(140, 4)),
};

/** Files that must fail alone, each with a readable reason. */
export const BAD = {
  empty: { name: 'Empty.wav', bytes: new Uint8Array(0), type: 'audio/wav' },
  text: {
    name: 'Not Audio.wav',
    bytes: new TextEncoder().encode('this is a text file, not audio\n'.repeat(20)),
    type: 'audio/wav',
  },
  truncated: { name: 'Cut Header.wav', bytes: encodeWav([kick(0.2)]).slice(0, 30), type: 'audio/wav' },
} satisfies Record<string, FileSpec>;
