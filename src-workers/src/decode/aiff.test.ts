import { describe, expect, it } from 'vitest';
import { AnalysisFailure } from '../errors';
import { encodeAiff, float80 } from '../testing/aiff-writer';
import { quantise } from '../testing/bytes-writer';
import { id3v2 } from '../testing/id3-writer';
import { decodeAll } from '../testing/measure';
import { noiseBurst } from '../testing/synth';
import { float80be } from './bytes';
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

describe('80-bit extended sample rates', () => {
  it('round-trips common and odd rates', () => {
    for (const rate of [8000, 11025, 22050, 44100, 48000, 96000, 192000, 44056, 12345.5]) {
      expect(float80be(float80(rate), 0)).toBe(rate);
    }
    expect(float80be(new Uint8Array(10), 0)).toBe(0);
  });
});

describe('AIFF and AIFF-C', () => {
  for (const bits of [8, 16, 24, 32] as const) {
    for (const channelCount of [1, 2, 4]) {
      it(`AIFF ${bits}-bit, ${channelCount} channel(s)`, async () => {
        const input = Array.from({ length: channelCount }, (_, c) => signal(2000, bits + c));
        const source = await openAudio(encodeAiff(input, 44100, { bits }));
        expect(source.info).toMatchObject({
          container: 'aiff',
          codec: `pcm-s${bits}`,
          bitDepth: bits,
          channels: channelCount,
        });
        const { channels, frames } = await decodeAll(source);
        expect(frames).toBe(2000);
        for (let c = 0; c < channelCount; c++) {
          const want = quantised(input[c], bits);
          for (const i of [0, 1, 2, 999, 1999]) expect(channels[c][i]).toBeCloseTo(want[i], 7);
        }
      });
    }
  }

  const compressions: [string, string, (x: Float32Array) => Float32Array][] = [
    ['NONE', 'pcm-s16', (x) => quantised(x, 16)],
    ['twos', 'pcm-s16', (x) => quantised(x, 16)],
    ['sowt', 'pcm-s16', (x) => quantised(x, 16)],
    ['in24', 'pcm-s24', (x) => quantised(x, 24)],
    ['23ni', 'pcm-s24', (x) => quantised(x, 24)],
    ['fl32', 'pcm-f32', (x) => x],
    ['fl64', 'pcm-f64', (x) => x],
  ];
  for (const [aifc, codec, want] of compressions) {
    it(`AIFF-C ${aifc}`, async () => {
      const x = signal(1500, 7);
      const source = await openAudio(encodeAiff([x, x], 48000, { aifc, bits: 16 }));
      expect(source.info).toMatchObject({ codec, sampleRate: 48000, channels: 2 });
      const { channels } = await decodeAll(source);
      const w = want(x);
      for (const i of [0, 1, 700, 1499]) expect(channels[1][i]).toBeCloseTo(w[i], 7);
    });
  }

  it('refuses compressed AIFF-C by name', async () => {
    const err = await failure(encodeAiff([signal(100, 1)], 44100, { aifc: 'ima4' }));
    expect(err.code).toBe('unsupported-format');
    expect(err.message).toMatch(/ima4/);
  });

  it('honours the SSND offset and any chunk order', async () => {
    const x = signal(800, 3);
    const source = await openAudio(
      encodeAiff([x], 44100, { ssndOffset: 6, order: ['SSND', 'NAME', 'COMM'], name: 'n' }),
    );
    const { channels } = await decodeAll(source);
    expect(channels[0][5]).toBeCloseTo(quantised(x, 16)[5], 7);
  });

  it('reads INST base note and sustain loop (through MARK), NAME, AUTH, ANNO and an ID3 chunk', async () => {
    const source = await openAudio(
      encodeAiff([signal(5000, 2)], 44100, {
        inst: { baseNote: 57, loop: { start: 100, end: 4000 } },
        name: 'Pluck A3',
        author: 'someone',
        annotation: 'a note',
        id3: id3v2({ TBPM: '128', TKEY: 'Am' }),
      }),
    );
    expect(source.claimed).toMatchObject({
      rootNote: 57,
      loopPoints: [{ start: 100, end: 4000 }],
      title: 'Pluck A3',
      artist: 'someone',
      comment: 'a note',
      bpm: 128,
      key: { tonic: 'A', scale: 'minor' },
      sources: { rootNote: 'inst', loopPoints: 'inst', bpm: 'id3', key: 'id3', title: 'aiff' },
    });
  });

  it('flags a cut SSND as truncated and decodes what is there', async () => {
    const whole = encodeAiff([signal(3000, 5)], 44100);
    const source = await openAudio(whole.subarray(0, whole.length - 1001));
    const { frames } = await decodeAll(source);
    expect(frames).toBe(3000 - 501);
    expect(source.isTruncated).toBe(true);
  });

  it('0 frames is empty; 0 channels and a 0 Hz rate are corrupt', async () => {
    expect((await failure(encodeAiff([new Float32Array(0)], 44100))).code).toBe('empty');
    const zeroChannels = await failure(encodeAiff([signal(100, 1)], 44100, { channelsOverride: 0 }));
    expect(zeroChannels.code).toBe('corrupt');
    expect(zeroChannels.message).toMatch(/0 channels/);
    expect((await failure(encodeAiff([signal(100, 1)], 44100, { sampleRateOverride: 0 }))).code).toBe(
      'corrupt',
    );
  });

  it('a COMM chunk claiming more frames than the file holds decodes what is there', async () => {
    const source = await openAudio(encodeAiff([signal(100, 1)], 44100, { frames: 4_000_000_000 }));
    expect((await decodeAll(source)).frames).toBe(100);
    expect(source.isTruncated).toBe(true);
    expect(source.info.declaredFrames).toBe(100);
  });
});
