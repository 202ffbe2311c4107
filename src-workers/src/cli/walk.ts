import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

export const AUDIO_EXTENSIONS = new Set([
  '.wav',
  '.wave',
  '.aif',
  '.aiff',
  '.aifc',
  '.flac',
  '.mp3',
  '.ogg',
  '.oga',
]);

/**
 * Files named on the command line are taken as they are (the engine sniffs the real format);
 * folders are walked recursively for audio extensions, in a stable sorted order.
 */
export async function* walkInputs(inputs: string[]): AsyncGenerator<string> {
  for (const input of inputs) {
    const info = await stat(input);
    if (info.isDirectory()) yield* walkFolder(input);
    else yield input;
  }
}

async function* walkFolder(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walkFolder(path);
    else if (entry.isFile() && AUDIO_EXTENSIONS.has(extname(entry.name).toLowerCase())) yield path;
  }
}
