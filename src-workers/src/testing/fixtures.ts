/**
 * A small catalogue of generated files covering every container, sample format and failure the
 * decoder knows, each with what it should decode to. Tests can call `buildFixtures()` directly;
 * scripts/make-fixtures.ts writes the same set to src-workers/.fixtures/ for manual use.
 */
import type { AnalysisErrorCode, ClaimedMetadata } from '@samplemind/contract';
import { encodeAiff } from './aiff-writer';
import { asciiBytes, concatBytes } from './bytes-writer';
import { encodeFlac } from './flac-writer';
import { id3v2 } from './id3-writer';
import { encodeMp3, encodeOggVorbis } from './lossy-writer';
import {
  BACKBEAT,
  channels,
  chord,
  drumLoop,
  noiseBurst,
  note,
  progression,
  rng,
  silence,
  triad,
} from './synth';
import { encodeWav } from './wav-writer';

export type Fixture = {
  name: string;
  bytes: Uint8Array;
  description: string;
  /** What decoding must give; `error` for files that must be refused. */
  expect:
    | {
        container: string;
        codec: string;
        sampleRate: number;
        channels: number;
        /** Exact frame count (lossless formats); lossy ones only come close. */
        frames?: number;
        /** MIDI note of the main tone, when there is one. */
        midi?: number;
        bpm?: number;
        claimed?: Partial<ClaimedMetadata>;
        truncated?: boolean;
      }
    | { error: AnalysisErrorCode };
};

export async function buildFixtures(): Promise<Fixture[]> {
  const sr = 44100;
  const a4 = note(69, 1, { sampleRate: sr, harmonics: [1, 0.3, 0.1] });
  const loop = drumLoop(BACKBEAT, { bpm: 120, bars: 1, sampleRate: sr });
  const cmaj = chord(triad('C', 'major', 1), 1.5, { sampleRate: 48000 });
  const amin = progression('A', 'minor', [1, 6, 4, 5], { bpm: 100, beatsPerChord: 2, sampleRate: sr });
  const ok = (
    container: string,
    codec: string,
    sampleRate: number,
    ch: number,
    frames?: number,
    extra = {},
  ) => ({
    container,
    codec,
    sampleRate,
    channels: ch,
    frames,
    ...extra,
  });
  const random = rng(42);
  const noise = Uint8Array.from({ length: 48000 }, () => Math.floor(random() * 256));
  const fx: Fixture[] = [
    {
      name: 'tone-a4-s16-mono.wav',
      bytes: encodeWav([a4], sr),
      description: 'A4 (440 Hz) with two harmonics, 1 s, 16-bit mono 44.1 kHz',
      expect: ok('wav', 'pcm-s16', sr, 1, sr, { midi: 69 }),
    },
    {
      name: 'drums-120bpm-acid.wav',
      bytes: encodeWav(channels(loop, 2), sr, {
        format: 's24',
        acid: { tempo: 120, beats: 4 },
        info: { INAM: 'Backbeat' },
      }),
      description:
        'One bar of drums at 120 BPM, 24-bit stereo, acid chunk (120 BPM loop) and LIST/INFO title',
      expect: ok('wav', 'pcm-s24', sr, 2, loop.length, {
        bpm: 120,
        claimed: { bpm: 120, isLoop: true, title: 'Backbeat' },
      }),
    },
    {
      name: 'chord-cmaj-f32-48k.wav',
      bytes: encodeWav(channels(cmaj, 2), 48000, { format: 'f32' }),
      description: 'C major triad, 32-bit float stereo 48 kHz',
      expect: ok('wav', 'pcm-f32', 48000, 2, cmaj.length),
    },
    {
      name: 'progression-am-100bpm-extensible.wav',
      bytes: encodeWav(channels(amin, 2), sr, {
        extensible: true,
        format: 's24',
        info: { INAM: 'Am progression' },
        extra: [{ id: 'JUNK', body: new Uint8Array(27) }],
        order: ['LIST', 'JUNK', 'fmt '],
      }),
      description:
        'i-VI-iv-v in A minor at 100 BPM, WAVE_FORMAT_EXTENSIBLE 24-bit, LIST and odd JUNK before fmt',
      expect: ok('wav', 'pcm-s24', sr, 2, amin.length, { bpm: 100 }),
    },
    {
      name: 'tone-u8-11k.wav',
      bytes: encodeWav([note(60, 1, { sampleRate: 11025 })], 11025, { format: 'u8' }),
      description: 'C4, 8-bit unsigned mono 11.025 kHz',
      expect: ok('wav', 'pcm-u8', 11025, 1, 11025, { midi: 60 }),
    },
    {
      name: 'surround-6ch.wav',
      bytes: encodeWav(channels(a4, 6, [1, 1, 0.7, 0, 0.5, 0.5]), sr),
      description: '6 channels (5.1 layout, silent LFE) of A4',
      expect: ok('wav', 'pcm-s16', sr, 6, sr, { midi: 69 }),
    },
    {
      name: 'tone-a4-inst.aiff',
      bytes: encodeAiff([a4], sr, {
        bits: 24,
        inst: { baseNote: 69, loop: { start: 1000, end: 30000 } },
        name: 'A4',
      }),
      description: 'A4, AIFF 24-bit, INST base note 69 with a sustain loop',
      expect: ok('aiff', 'pcm-s24', sr, 1, sr, { midi: 69, claimed: { rootNote: 69, title: 'A4' } }),
    },
    {
      name: 'drums-sowt.aifc',
      bytes: encodeAiff(channels(loop, 2), sr, { aifc: 'sowt' }),
      description: 'Drums at 120 BPM, AIFF-C little-endian 16-bit',
      expect: ok('aiff', 'pcm-s16', sr, 2, loop.length, { bpm: 120 }),
    },
    {
      name: 'chord-fl32.aifc',
      bytes: encodeAiff(channels(cmaj, 2), 48000, { aifc: 'fl32' }),
      description: 'C major triad, AIFF-C float32',
      expect: ok('aiff', 'pcm-f32', 48000, 2, cmaj.length),
    },
    {
      name: 'progression-am-tags.flac',
      bytes: encodeFlac(channels(amin, 2), sr, {
        comments: { BPM: '100', KEY: 'Am', TITLE: 'Am progression' },
      }),
      description: 'A minor progression at 100 BPM, FLAC 16-bit with Vorbis comments (BPM, KEY, TITLE)',
      expect: ok('flac', 'flac', sr, 2, amin.length, {
        bpm: 100,
        claimed: { bpm: 100, key: { tonic: 'A', scale: 'minor' } },
      }),
    },
    {
      name: 'tone-a4-24bit.flac',
      bytes: encodeFlac([a4], sr, { bits: 24 }),
      description: 'A4, FLAC 24-bit mono',
      expect: ok('flac', 'flac', sr, 1, sr, { midi: 69 }),
    },
    {
      name: 'drums-120bpm-id3.mp3',
      bytes: concatBytes(
        id3v2({ TBPM: '120', TKEY: 'F#m', TIT2: 'Drums' }),
        await encodeMp3(channels(loop, 2), sr),
      ),
      description: 'Drums at 120 BPM, MP3 VBR stereo with ID3v2.4 (TBPM 120, TKEY F#m)',
      expect: ok('mp3', 'mp3', sr, 2, undefined, {
        bpm: 120,
        claimed: { bpm: 120, key: { tonic: 'F#', scale: 'minor' } },
      }),
    },
    {
      name: 'tone-a4.ogg',
      bytes: await encodeOggVorbis([a4], sr, { comments: { BPM: '90', INITIALKEY: 'A' } }),
      description: 'A4, Ogg Vorbis mono with comments (BPM 90, INITIALKEY A)',
      expect: ok('ogg', 'vorbis', sr, 1, sr, {
        midi: 69,
        claimed: { bpm: 90, key: { tonic: 'A', scale: 'major' } },
      }),
    },
    { name: 'empty.wav', bytes: new Uint8Array(0), description: 'zero bytes', expect: { error: 'empty' } },
    {
      name: 'no-frames.wav',
      bytes: encodeWav([new Float32Array(0)], 48000, { format: 's24' }),
      description: 'a valid WAV header with no frames',
      expect: { error: 'empty' },
    },
    {
      name: 'zero-channels.wav',
      bytes: encodeWav([a4], sr, { fmt: { channels: 0, blockAlign: 0 } }),
      description: 'fmt chunk claiming 0 channels and block align 0',
      expect: { error: 'corrupt' },
    },
    {
      name: 'truncated.wav',
      bytes: encodeWav(channels(loop, 2), sr).subarray(0, 50_000),
      description: 'a 16-bit stereo WAV cut after 50,000 bytes (header still claims the whole loop)',
      expect: ok('wav', 'pcm-s16', sr, 2, Math.floor((50_000 - 44) / 4), { truncated: true }),
    },
    {
      name: 'png-named.wav',
      bytes: concatBytes(
        new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        noise.subarray(0, 200),
      ),
      description: 'a PNG signature named .wav',
      expect: { error: 'unsupported-format' },
    },
    {
      name: 'text-named.wav',
      bytes: asciiBytes('path,bpm,key\nloop.wav,120,Am\n'.repeat(20)),
      description: 'CSV text named .wav',
      expect: { error: 'unsupported-format' },
    },
    {
      name: 'random-named.flac',
      bytes: noise,
      description: '48,000 random bytes named .flac',
      expect: { error: 'unsupported-format' },
    },
    {
      name: 'flac-named.wav',
      bytes: encodeFlac([noiseBurst(0.5, { sampleRate: sr, decay: 0.1 })], sr),
      description: 'a FLAC file named .wav (content sniffing)',
      expect: ok('flac', 'flac', sr, 1, sr / 2),
    },
    {
      name: 'silence-s16.wav',
      bytes: encodeWav([silence(2, sr), silence(2, sr)], sr),
      description: '2 s of digital silence, stereo',
      expect: ok('wav', 'pcm-s16', sr, 2, 2 * sr),
    },
  ];
  return fx;
}
