// Key and note names without zod: the app's main thread imports these, and zod stays out of its bundle.

/** Pitch classes spelled the way producers read them (flats except F#). Index = semitones above C. */
export const PITCH_CLASSES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;
export type PitchClass = (typeof PITCH_CLASSES)[number];

export const SCALES = ['major', 'minor'] as const;
export type Scale = (typeof SCALES)[number];

/** Camelot wheel code (e.g. "8A" = A minor, "8B" = C major). */
export function camelotOf(tonic: PitchClass, scale: Scale): string {
  const pc = PITCH_CLASSES.indexOf(tonic);
  // Camelot numbers step by fifths; C major is 8B and A minor is 8A.
  const majorPc = scale === 'major' ? pc : (pc + 3) % 12;
  const number = ((((majorPc * 7) % 12) + 7) % 12) + 1;
  return `${number}${scale === 'major' ? 'B' : 'A'}`;
}

export function midiNoteName(midi: number): string {
  const pc = PITCH_CLASSES[((Math.round(midi) % 12) + 12) % 12];
  return `${pc}${Math.floor(Math.round(midi) / 12) - 1}`;
}
