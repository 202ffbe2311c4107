import type { ClaimedMetadata } from '@samplemind/contract';
import { type KeyClaim, modeOf, tonicOf } from './key-text';

/**
 * Tempo, key and loop/one-shot tokens in a file's path. Sample packs put them in file names
 * ("Bass_Loop_124bpm_Fmin.wav") and folder names ("Loops/120 BPM/…"). The file name is read
 * first (source "filename"), then folders from the nearest out (source "folder"). Rules, chosen
 * to rather miss a claim than invent one:
 *
 * Tempo
 * - Explicit: a number of 2-3 digits (decimals allowed) joined to "bpm" before or after it,
 *   directly or through a space, "_" or "-": "120bpm", "120 BPM", "bpm120", "BPM_92.5". 30-300.
 *   A range ("120-130 BPM") is not a tempo.
 * - Bare: a number standing alone between delimiters ("_120_", "- 120 -") counts only in the
 *   file name, only when the path says "loop" somewhere, only in 50-250, without a leading zero,
 *   not followed by a unit ("bars", "beats", "hz", "k", "bit", "ms", "st", "%", "x", "db") and
 *   only when it is the one such number. One-shot names are full of bare numbers that are
 *   velocities, MIDI notes or take numbers ("Snare_127", "Piano_C4_60"); loops rarely are.
 * - Two different explicit tempos in the same name cancel each other.
 *
 * Key (whole tokens only, so "Am" inside "Ambient" or "Game" is never read)
 * - Letter A-G (upper case) + optional accidental (#, b, ♯, ♭) + mode: "m" (minor; "M" and "AM"
 *   are not read), or min/minor/maj/major in any case: "Fmin", "F#m", "Ebm", "Amaj", "AMIN".
 * - Lower-case letter only with a spelled-out mode: "amin", "f#maj" ("am", "em" are words).
 * - Two tokens: a letter (+ accidental) followed by a mode word: "A minor", "F# Maj", "Bb_min".
 * - A letter with an accidental and no mode is major ("Bb", "C#"); a bare letter ("A", "E") is
 *   never a key: it is too often an initial, a take or a variation.
 * - Two different keys in one name cancel each other.
 *
 * Loop or one-shot: a token containing "loop" → loop; "one shot", "oneshot", "one-shot" → one-shot.
 */
export function claimsFromPath(path: string): Partial<ClaimedMetadata> {
  const segments = path.split(/[/\\]+/).filter((s) => s.length > 0 && !/^[A-Za-z]:$/.test(s));
  if (segments.length === 0) return {};
  const fileName = segments[segments.length - 1].replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const folders = segments.slice(0, -1).reverse();
  const loopContext = /loop/i.test(path);

  const out: Partial<ClaimedMetadata> & { sources: Record<string, string> } = { sources: {} };
  const named: [string, string][] = [
    [fileName, 'filename'],
    ...folders.map((f): [string, string] => [f, 'folder']),
  ];
  for (const [name, source] of named) {
    if (out.bpm === undefined) {
      const bpm = explicitBpm(name) ?? (source === 'filename' && loopContext ? bareBpm(name) : null);
      if (bpm !== null) {
        out.bpm = bpm;
        out.sources.bpm = source;
      }
    }
    if (out.key === undefined) {
      const key = keyIn(name);
      if (key) {
        out.key = key;
        out.sources.key = source;
      }
    }
    if (out.isLoop === undefined) {
      const isLoop = loopToken(name);
      if (isLoop !== null) {
        out.isLoop = isLoop;
        out.sources.isLoop = source;
      }
    }
  }
  return out;
}

const NUMBER = String.raw`(\d{2,3}(?:[.,]\d{1,3})?)`;
const JOIN = '[ _-]?';

/** "120bpm", "120 BPM", "bpm120", "BPM_92.5"; null when absent or contradictory. */
export function explicitBpm(name: string): number | null {
  const found = new Set<number>();
  const after = new RegExp(String.raw`(?<![\d.,])${NUMBER}${JOIN}bpm(?![a-z])`, 'gi');
  const before = new RegExp(String.raw`(?<![a-z])bpm${JOIN}${NUMBER}(?![\d])`, 'gi');
  for (const m of name.matchAll(after)) {
    const preceding = name.slice(0, m.index);
    if (/\d\s*(?:-|–|~|to)\s*$/i.test(preceding)) continue; // "120-130 bpm": a range
    found.add(Number(m[1].replace(',', '.')));
  }
  for (const m of name.matchAll(before)) found.add(Number(m[1].replace(',', '.')));
  const plausible = [...found].filter((x) => x >= 30 && x <= 300);
  return plausible.length === 1 ? plausible[0] : null;
}

const UNIT_AFTER =
  /^[ _-]?(?:bars?|beats?|hz|khz|k|bit|bits|ms|s|sec|st|semi|x|%|db|v|vel|ch|hits?)(?![a-z])/i;

/** A lone 2-3 digit number between delimiters; see the rules above. */
export function bareBpm(name: string): number | null {
  const found: number[] = [];
  for (const m of name.matchAll(/(?<![A-Za-z0-9.#])([1-9]\d{1,2})(?![A-Za-z0-9.])/g)) {
    const rest = name.slice((m.index ?? 0) + m[0].length);
    if (UNIT_AFTER.test(rest)) continue;
    const value = Number(m[1]);
    if (value >= 50 && value <= 250) found.push(value);
  }
  return found.length === 1 ? found[0] : null;
}

const DELIMITERS = /[\s_\-.,()[\]{}+&=;:'"!~@]+/;
const TONIC = /^([A-G])(#|b|♯|♭)?$/;

/** The one key named in a file or folder name, or null (none, or several that disagree). */
export function keyIn(name: string): KeyClaim | null {
  const tokens = name.split(DELIMITERS).filter((t) => t.length > 0);
  const keys: KeyClaim[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const single = keyToken(tokens[i]);
    if (single) {
      keys.push(single);
      continue;
    }
    const t = TONIC.exec(tokens[i]);
    const next = tokens[i + 1];
    if (t && next && /^(min|minor|maj|major)$/i.test(next)) {
      const tonic = tonicOf(t[1], t[2] ?? '');
      const scale = modeOf(next);
      if (tonic && scale) {
        keys.push({ tonic, scale });
        i++;
      }
    }
  }
  if (keys.length === 0) return null;
  const first = keys[0];
  return keys.every((k) => k.tonic === first.tonic && k.scale === first.scale) ? first : null;
}

function keyToken(token: string): KeyClaim | null {
  let m = /^([A-G])(#|b|♯|♭)?(m|min|minor|maj|major|Min|Minor|Maj|Major|MIN|MINOR|MAJ|MAJOR)?$/.exec(token);
  if (!m) m = /^([a-g])(#|b|♯|♭)?(min|minor|maj|major)$/i.exec(token);
  if (!m) return null;
  const [, letter, accidental = '', mode = ''] = m;
  if (mode === '' && accidental === '') return null; // a lone letter is not a key
  const tonic = tonicOf(letter, accidental);
  const scale = modeOf(mode);
  return tonic && scale ? { tonic, scale } : null;
}

function loopToken(name: string): boolean | null {
  const loop = /loop/i.test(name);
  const oneShot = /one[\s_-]?shot/i.test(name);
  if (loop === oneShot) return null;
  return loop;
}
