import { AnalysisFailure } from '../errors';
import { openAiff } from './aiff';
import { openFlac } from './flac';
import { openMpeg } from './mp3';
import { openOgg } from './ogg';
import { sniff } from './sniff';
import type { AudioSource } from './types';
import { openWav, parseWav } from './wav';

export { downmix, StreamResampler } from './resample';
export type { AudioSource, SourceInfo } from './types';

const WAVE_FORMAT_MPEGLAYER3 = 0x0055;

/**
 * Opens an audio file from its bytes. The container is sniffed from the content, never from the
 * name (`fileName` is accepted for future hints and error context only). Throws AnalysisFailure:
 * 'empty', 'corrupt' or 'unsupported-format', with a message a user can act on.
 */
export async function openAudio(bytes: Uint8Array, _hint: { fileName?: string } = {}): Promise<AudioSource> {
  const found = sniff(bytes);
  switch (found.format) {
    case 'wav':
      return openWavOrMp3(bytes);
    case 'aiff':
      return openAiff(bytes);
    case 'flac':
      return openFlac(bytes, found.start, found.id3);
    case 'mp3':
      return openMpeg(bytes, found.start, { id3: found.id3 });
    case 'ogg':
      return openOgg(bytes);
  }
}

/** WAV, including the old ACM "MP3 inside a WAV" files, which carry an ordinary MP3 stream in their data chunk. */
function openWavOrMp3(bytes: Uint8Array): AudioSource {
  try {
    return openWav(bytes);
  } catch (err) {
    if (!(err instanceof AnalysisFailure) || err.code !== 'unsupported-format') throw err;
    const parsed = parseWav(bytes);
    if (parsed.fmt.formatTag !== WAVE_FORMAT_MPEGLAYER3) throw err;
    const { start, availableBytes } = parsed.data;
    return openMpeg(bytes.subarray(0, start + availableBytes), start, {
      container: 'wav',
      claims: parsed.claims,
    });
  }
}
