import { describe, expect, it } from 'vitest';
import { AnalysisFailure } from '../errors';
import { encodeAiff } from '../testing/aiff-writer';
import { asciiBytes, concatBytes } from '../testing/bytes-writer';
import { buildFixtures } from '../testing/fixtures';
import { encodeFlac } from '../testing/flac-writer';
import { decodeAll } from '../testing/measure';
import { note, rng } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { openAudio } from './index';

async function refusal(bytes: Uint8Array, fileName = 'file.wav'): Promise<AnalysisFailure> {
  try {
    await decodeAll(await openAudio(bytes, { fileName }));
  } catch (err) {
    expect(err).toBeInstanceOf(AnalysisFailure);
    return err as AnalysisFailure;
  }
  throw new Error('expected the file to be refused');
}

const randomBytes = (n: number, seed: number) => {
  const r = rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
};

describe('content sniffing', () => {
  const tone = note(69, 0.2);

  it('decodes by content, whatever the extension says', async () => {
    const cases: [Uint8Array, string, string][] = [
      [encodeFlac([tone], 44100), 'snare.wav', 'flac'],
      [encodeWav([tone], 44100), 'loop.mp3', 'wav'],
      [encodeAiff([tone], 44100), 'pad.flac', 'aiff'],
      [encodeWav([tone], 44100), 'no-extension', 'wav'],
    ];
    for (const [bytes, fileName, container] of cases) {
      const source = await openAudio(bytes, { fileName });
      expect(source.info.container).toBe(container);
      expect((await decodeAll(source)).frames).toBe(tone.length);
    }
  });

  it('0 bytes is empty', async () => {
    const err = await refusal(new Uint8Array(0));
    expect(err.code).toBe('empty');
    expect(err.message).toMatch(/empty \(0 bytes\)/);
  });

  const notAudio: [string, Uint8Array, RegExp][] = [
    [
      'PNG',
      concatBytes(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(500, 1)),
      /PNG image, not audio/,
    ],
    ['JPEG', concatBytes(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), randomBytes(500, 2)), /JPEG image/],
    ['GIF', concatBytes(asciiBytes('GIF89a'), randomBytes(100, 3)), /GIF image/],
    ['PDF', asciiBytes('%PDF-1.7\n%âãÏÓ\n1 0 obj'), /PDF document/],
    ['ZIP', concatBytes(new Uint8Array([0x50, 0x4b, 0x03, 0x04]), randomBytes(100, 4)), /ZIP archive/],
    ['CSV text', asciiBytes('path,bpm,key\nloop.wav,120,Am\n'.repeat(30)), /plain text, not audio/],
    [
      'UTF-8 text',
      new TextEncoder().encode('Grüße — naïve façade, 日本語のテキスト\n'.repeat(10)),
      /plain text/,
    ],
    ['HTML', asciiBytes('<!DOCTYPE html><html><body>404</body></html>'), /HTML document/],
    ['JSON', asciiBytes('{"bpm": 120, "key": "Am"}'), /JSON text/],
    ['MIDI', concatBytes(asciiBytes('MThd'), new Uint8Array([0, 0, 0, 6, 0, 1, 0, 2, 1, 0xe0])), /MIDI file/],
    [
      'AVI',
      concatBytes(asciiBytes('RIFF'), new Uint8Array([100, 0, 0, 0]), asciiBytes('AVI LIST')),
      /AVI video/,
    ],
    [
      'M4A',
      concatBytes(new Uint8Array([0, 0, 0, 0x20]), asciiBytes('ftypM4A '), randomBytes(64, 5)),
      /MP4\/M4A/,
    ],
    ['random', randomBytes(48_000, 6), /does not look like audio/],
  ];
  for (const [what, bytes, message] of notAudio) {
    it(`${what} is refused as unsupported-format with a message saying what it is`, async () => {
      const err = await refusal(bytes);
      expect(err.code).toBe('unsupported-format');
      expect(err.message).toMatch(message);
    });
  }

  it('never mistakes random data for MPEG audio', async () => {
    for (let seed = 100; seed < 160; seed++) {
      const err = await refusal(randomBytes(20_000, seed), 'noise.mp3');
      expect(err.code).not.toBe('internal');
    }
  });

  it('a RIFF or FORM header cut after 4 bytes is corrupt, not a crash', async () => {
    expect((await refusal(asciiBytes('RIFF'))).code).toBe('corrupt');
    expect((await refusal(asciiBytes('FORM\0\0'))).code).toBe('corrupt');
  });
});

describe('the shared fixture set', () => {
  it('every fixture decodes to what it promises, or fails with the promised code', async () => {
    for (const fixture of await buildFixtures()) {
      const { expect: want } = fixture;
      if ('error' in want) {
        const err = await refusal(fixture.bytes, fixture.name);
        expect(err.code, fixture.name).toBe(want.error);
        continue;
      }
      const source = await openAudio(fixture.bytes, { fileName: fixture.name });
      expect(source.info, fixture.name).toMatchObject({
        container: want.container,
        codec: want.codec,
        sampleRate: want.sampleRate,
        channels: want.channels,
      });
      const { frames } = await decodeAll(source);
      if (want.frames !== undefined) expect(frames, fixture.name).toBe(want.frames);
      if (want.claimed) expect(source.claimed, fixture.name).toMatchObject(want.claimed);
      expect(source.isTruncated, fixture.name).toBe(want.truncated ?? false);
    }
  });
});
