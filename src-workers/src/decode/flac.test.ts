import { describe, expect, it } from 'vitest';
import { AnalysisFailure } from '../errors';
import { concatBytes, quantise } from '../testing/bytes-writer';
import { encodeFlac } from '../testing/flac-writer';
import { id3v2 } from '../testing/id3-writer';
import { decodeAll } from '../testing/measure';
import { noiseBurst } from '../testing/synth';
import { crc16, flacFrames } from './flac-frames';
import { openAudio } from './index';

const signal = (frames: number, seed: number) => {
  const x = noiseBurst(frames / 44100, { seed, amplitude: 0.99 });
  x[0] = 1;
  x[1] = -1;
  return x;
};
const quantised = (x: Float32Array, bits: number) => x.map((v) => quantise(v, bits) / 2 ** (bits - 1));

async function failure(bytes: Uint8Array): Promise<AnalysisFailure> {
  try {
    await decodeAll(await openAudio(bytes));
  } catch (err) {
    expect(err).toBeInstanceOf(AnalysisFailure);
    return err as AnalysisFailure;
  }
  throw new Error('expected the file to be refused');
}

describe('FLAC decoding', () => {
  for (const bits of [8, 16, 24, 32] as const) {
    it(`${bits}-bit stereo decodes to exactly the quantised input`, async () => {
      const input = [signal(10_000, bits), signal(10_000, bits + 100)];
      const source = await openAudio(encodeFlac(input, 44100, { bits, blockSize: 4096 }));
      expect(source.info).toMatchObject({
        container: 'flac',
        codec: 'flac',
        bitDepth: bits,
        channels: 2,
        declaredFrames: 10_000,
      });
      const { channels, frames } = await decodeAll(source);
      expect(frames).toBe(10_000);
      for (let c = 0; c < 2; c++) {
        const want = quantised(input[c], bits);
        let max = 0;
        for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(channels[c][i] - want[i]));
        expect(max).toBe(0);
      }
      expect(source.isTruncated).toBe(false);
    });
  }

  for (const channelCount of [1, 3, 6, 8]) {
    it(`${channelCount} channel(s)`, async () => {
      const input = Array.from({ length: channelCount }, (_, c) => signal(3000, c));
      const { channels } = await decodeAll(await openAudio(encodeFlac(input, 48000)));
      expect(channels).toHaveLength(channelCount);
      expect(channels[channelCount - 1][2999]).toBe(quantised(input[channelCount - 1], 16)[2999]);
    });
  }

  for (const rate of [8000, 22050, 44100, 96000, 192000, 11025, 44056, 50000]) {
    it(`${rate} Hz (rate coded in the frame header or as a 16-bit field)`, async () => {
      const source = await openAudio(encodeFlac([signal(1000, 1)], rate));
      expect(source.info.sampleRate).toBe(rate);
      expect((await decodeAll(source)).frames).toBe(1000);
    });
  }

  it('reads Vorbis comments and ID3v2 tags in front of fLaC', async () => {
    const flac = encodeFlac([signal(500, 2)], 44100, {
      comments: { BPM: '124', KEY: 'Ebmin', TITLE: 'Loop', ARTIST: 'Me', GENRE: 'House', COMMENT: 'hi' },
    });
    const source = await openAudio(flac);
    expect(source.claimed).toMatchObject({
      bpm: 124,
      key: { tonic: 'Eb', scale: 'minor' },
      title: 'Loop',
      artist: 'Me',
      genre: 'House',
      comment: 'hi',
      sources: { bpm: 'vorbis-comment', key: 'vorbis-comment' },
    });
    const tagged = await openAudio(concatBytes(id3v2({ TBPM: '90' }), encodeFlac([signal(500, 2)], 44100)));
    expect(tagged.info.container).toBe('flac');
    expect(tagged.claimed).toMatchObject({ bpm: 90, sources: { bpm: 'id3' } });
    expect((await decodeAll(tagged)).frames).toBe(500);
  });

  it('a file cut mid-frame decodes every whole frame and is flagged truncated', async () => {
    const flac = encodeFlac([signal(10_000, 3)], 44100, { blockSize: 1000 });
    const source = await openAudio(flac.subarray(0, flac.length - 700)); // inside the 10th frame
    const { frames } = await decodeAll(source);
    expect(frames).toBe(9000);
    expect(source.isTruncated).toBe(true);
  });

  it('keeps the final short frame (a stream whose length is not a multiple of the block size)', async () => {
    const source = await openAudio(encodeFlac([signal(4097, 3)], 44100, { blockSize: 4096 }));
    expect((await decodeAll(source)).frames).toBe(4097);
    expect(source.isTruncated).toBe(false);
  });

  it('steps over junk between frames and ignores an ID3v1 tag at the end', async () => {
    const flac = encodeFlac([signal(3000, 4)], 44100, { blockSize: 1000 });
    const frames = [...flacFrames(flac, 0, { cut: false, damaged: 0 })];
    const at = flac.length - frames[2].length;
    const withJunk = concatBytes(
      flac.subarray(0, at),
      new Uint8Array([1, 2, 0xff, 0xf8, 3]),
      flac.subarray(at),
    );
    expect((await decodeAll(await openAudio(withJunk))).frames).toBe(3000);
    const tag = new Uint8Array(128);
    tag.set([0x54, 0x41, 0x47]);
    const source = await openAudio(concatBytes(flac, tag));
    expect((await decodeAll(source)).frames).toBe(3000);
    expect(source.isTruncated).toBe(false);
  });

  it('a damaged STREAMINFO falls back to self-describing frame headers, with a warning', async () => {
    const source = await openAudio(encodeFlac([signal(2000, 5)], 44100, { streamInfo: { sampleRate: 0 } }));
    expect(source.info.sampleRate).toBe(44100);
    expect(source.warnings?.[0]).toMatch(/STREAMINFO/);
    expect((await decodeAll(source)).frames).toBe(2000);
  });

  it('a damaged STREAMINFO with frames that refer to it is corrupt', async () => {
    const err = await failure(
      encodeFlac([signal(2000, 5)], 44100, { streamInfo: { sampleRate: 0 }, rateFromStreamInfo: true }),
    );
    expect(err.code).toBe('corrupt');
    expect(err.message).toMatch(/STREAMINFO/);
  });

  it('refuses 12- and 20-bit FLAC clearly (the wasm decoder cannot scale them)', async () => {
    for (const bits of [12, 20] as const) {
      const err = await failure(encodeFlac([signal(100, 1)], 44100, { bits }));
      expect(err.code).toBe('unsupported-format');
      expect(err.message).toMatch(`${bits}-bit`);
    }
  });

  it('metadata without frames is empty; metadata cut short is corrupt', async () => {
    const flac = encodeFlac([new Float32Array(0)], 44100);
    expect((await failure(flac)).code).toBe('empty');
    const err = await failure(encodeFlac([signal(10, 1)], 44100).subarray(0, 20));
    expect(err.code).toBe('corrupt');
  });

  it('a damaged frame is dropped by the decoder; the rest decodes and the file reads as truncated', async () => {
    const x = signal(5000, 6);
    const flac = encodeFlac([x], 44100, { blockSize: 1000 });
    const frames = [...flacFrames(flac, 0, { cut: false, damaged: 0 })];
    const damaged = flac.slice();
    damaged[frames[2].byteOffset - flac.byteOffset + 100] ^= 0x55; // inside the third frame
    const source = await openAudio(damaged);
    const { channels, frames: count } = await decodeAll(source);
    expect(count).toBe(4000);
    expect(source.isTruncated).toBe(true);
    const want = quantised(x, 16);
    for (let i = 0; i < 2000; i += 111) expect(channels[0][i]).toBe(want[i]);
  });

  it('a false sync that breaks the frame sequence is resolved by CRC-16', () => {
    const flac = encodeFlac([signal(3000, 7)], 44100, { blockSize: 1000 });
    const [f0, f1, f2] = [...flacFrames(flac, 0, { cut: false, damaged: 0 })];
    // A copy of frame 0's header (valid CRC-8, wrong frame number) between frames 1 and 2.
    const header = f0.subarray(0, 9);
    const spliced = concatBytes(f0, f1, header, f2);
    const scan = { cut: false, damaged: 0 };
    const out = [...flacFrames(spliced, 0, scan)];
    expect(out.map((f) => f.length)).toEqual([f0.length, f1.length, f2.length]);
    expect(scan.damaged).toBe(1);
    for (const f of out) expect(crc16(f, 0, f.length)).toBe(0);
  });
});
