import { PITCH_CLASSES, type PitchClass, type Scale } from '@samplemind/contract';

export type KeyClaim = { tonic: PitchClass; scale: Scale };

const LETTER_PC: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/** Pitch class of a letter plus accidental ("#", "b", "♯", "♭", "sharp", "flat"), in the contract's spelling. */
export function tonicOf(letter: string, accidental = ''): PitchClass | null {
  const base = LETTER_PC[letter.toUpperCase()];
  if (base === undefined) return null;
  const acc = accidental.toLowerCase();
  const shift =
    acc === '#' || acc === '♯' || acc === 'sharp' ? 1 : acc === 'b' || acc === '♭' || acc === 'flat' ? -1 : 0;
  if (acc !== '' && shift === 0) return null;
  return PITCH_CLASSES[(base + shift + 12) % 12];
}

/** "m", "min", "minor", "maj", "major", "M" … → scale; '' means major; null when not a mode word. */
export function modeOf(word: string): Scale | null {
  if (word === '' || word === 'M') return 'major';
  if (word === 'm') return 'minor';
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w === 'min' || w === 'minor' || w === 'moll' || w === 'mi') return 'minor';
  if (w === 'maj' || w === 'major' || w === 'dur' || w === 'ma') return 'major';
  return null;
}

/** Camelot ("8A") or Open Key ("1m", "1d") to a key. */
function wheelKey(text: string): KeyClaim | null {
  const camelot = /^0?(1[0-2]|[1-9])\s*([AB])$/i.exec(text);
  if (camelot) {
    const n = Number(camelot[1]);
    const majorPc = ((((n - 8) * 7) % 12) + 12) % 12; // 8B = C major; each step is a fifth
    const minor = camelot[2].toUpperCase() === 'A';
    return { tonic: PITCH_CLASSES[minor ? (majorPc + 9) % 12 : majorPc], scale: minor ? 'minor' : 'major' };
  }
  const open = /^0?(1[0-2]|[1-9])\s*([dm])$/i.exec(text);
  if (open) {
    const n = Number(open[1]);
    const majorPc = ((n - 1) * 7) % 12; // 1d = C major
    const minor = open[2].toLowerCase() === 'm';
    return { tonic: PITCH_CLASSES[minor ? (majorPc + 9) % 12 : majorPc], scale: minor ? 'minor' : 'major' };
  }
  return null;
}

/**
 * A key written in a metadata field that holds nothing but a key (ID3 TKEY, Vorbis KEY, …):
 * "Am", "F#m", "Ebmin", "C", "A minor", "Bb major", "8A", "1m". The whole field must be a key;
 * "o" (ID3's "off key") and anything else give null.
 */
export function parseKeyText(raw: string): KeyClaim | null {
  const text = raw.replace(/♯/g, '#').replace(/♭/g, 'b').trim();
  // "Am / 8A", "Am (8A)": the first part decides.
  const first = text.split(/\s*[/|,(]\s*/)[0] ?? '';
  const wheel = wheelKey(first);
  if (wheel) return wheel;
  const m = /^([A-Ga-g])\s*(#|b|sharp|flat)?[\s-]*([A-Za-z.]*)$/.exec(first);
  if (!m) return null;
  const tonic = tonicOf(m[1], m[2] ?? '');
  const scale = modeOf(m[3]);
  if (!tonic || !scale) return null;
  return { tonic, scale };
}
