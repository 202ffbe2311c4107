import { camelotOf, PITCH_CLASSES, type PitchClass, type Scale } from '@samplemind/contract';

/** Compact key code: tonic index * 2 + (minor ? 1 : 0); -1 = no key. */
export const NO_KEY = -1;
export const KEY_COUNT = 24;

export function keyCode(tonic: PitchClass | null, scale: Scale | null): number {
  if (!tonic || !scale) return NO_KEY;
  return PITCH_CLASSES.indexOf(tonic) * 2 + (scale === 'minor' ? 1 : 0);
}

export function keyOfCode(code: number): { tonic: PitchClass; scale: Scale } | null {
  if (code < 0 || code >= KEY_COUNT) return null;
  return { tonic: PITCH_CLASSES[code >> 1], scale: code & 1 ? 'minor' : 'major' };
}

/** "Am", "F#", "Ebm": the short spelling used in the table and the URL. */
export function keyLabel(code: number): string {
  const key = keyOfCode(code);
  return key ? `${key.tonic}${key.scale === 'minor' ? 'm' : ''}` : '';
}

const LABEL_TO_CODE = new Map(Array.from({ length: KEY_COUNT }, (_, c) => [keyLabel(c).toLowerCase(), c]));

export function parseKeyLabel(label: string): number {
  return LABEL_TO_CODE.get(label.trim().toLowerCase()) ?? NO_KEY;
}

const CAMELOT = Array.from({ length: KEY_COUNT }, (_, c) => {
  const k = keyOfCode(c)!;
  return camelotOf(k.tonic, k.scale);
});

export function camelotOfCode(code: number): string {
  return code >= 0 && code < KEY_COUNT ? CAMELOT[code] : '';
}

/** Sort rank that walks the Camelot wheel (1A, 1B, 2A, …) so harmonic neighbours sit together. */
export const CAMELOT_RANK: Int8Array = (() => {
  const rank = new Int8Array(KEY_COUNT);
  for (let c = 0; c < KEY_COUNT; c++) {
    const cam = CAMELOT[c];
    rank[c] = (Number.parseInt(cam, 10) - 1) * 2 + (cam.endsWith('B') ? 1 : 0);
  }
  return rank;
})();

/**
 * Keys that mix with `code` on the Camelot wheel: itself, its relative (same number, other
 * letter) and the neighbours a fifth up and down (±1, same letter).
 */
export function compatibleKeys(code: number): number[] {
  const cam = camelotOfCode(code);
  if (!cam) return [];
  const n = Number.parseInt(cam, 10);
  const letter = cam.slice(-1);
  const other = letter === 'A' ? 'B' : 'A';
  const wanted = new Set([
    `${n}${letter}`,
    `${n}${other}`,
    `${(n % 12) + 1}${letter}`,
    `${((n + 10) % 12) + 1}${letter}`,
  ]);
  return CAMELOT.flatMap((c, i) => (wanted.has(c) ? [i] : []));
}
