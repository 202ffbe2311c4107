import { describe, expect, it } from 'vitest';
import { AnalysisFailure } from '../errors';
import { concatBytes, quantise } from '../testing/bytes-writer';
import { decodeAll } from '../testing/measure';
import { noiseBurst, note, rng, channels as spread } from '../testing/synth';
import { encodeWav, type PcmFormat, riffChunk } from '../testing/wav-writer';
import { openAudio } from './index';

/** What an integer/float PCM round trip must give back: the quantised input, read as the format says. */
function expected(x: Float32Array, format: PcmFormat): Float32Array {
  if (format === 'f32') return x;
  if (format === 'f64') return x;
  const bits = format === 'u8' || format === 's8' ? 8 : format === 's16' ? 16 : format === 's24' ? 24 : 32;
  return x.map((v) => quantise(v, bits) / 2 ** (bits - 1));
}

/** A test signal that uses the whole range, both signs and the extremes. */
function testSignal(frames: number, seed: number, sampleRate = 44100): Float32Array {
  const x = noiseBurst(frames / sampleRate, { sampleRate, seed, amplitude: 0.99 });
  x[0] = 1;
  x[1] = -1;
  x[2] = 0;
  return x;
}

async function open(bytes: Uint8Array, name = 'test.wav') {
  return openAudio(bytes, { fileName: name });
}

async function failure(bytes: Uint8Array): Promise<AnalysisFailure> {
  try {
    const source = await open(bytes);
    await decodeAll(source);
  } catch (err) {
    expect(err).toBeInstanceOf(AnalysisFailure);
    return err as AnalysisFailure;
  }
  throw new Error('expected the file to be refused');
}

describe('WAV sample formats', () => {
  const formats: [PcmFormat, string, number][] = [
    ['u8', 'pcm-u8', 8],
    ['s16', 'pcm-s16', 16],
    ['s24', 'pcm-s24', 24],
    ['s32', 'pcm-s32', 32],
    ['f32', 'pcm-f32', 32],
    ['f64', 'pcm-f64', 64],
  ];
  for (const [format, codec, bits] of formats) {
    for (const channelCount of [1, 2, 3, 6, 8]) {
      it(`${format}, ${channelCount} channel(s): decodes to the quantised input`, async () => {
        const input = Array.from({ length: channelCount }, (_, c) => testSignal(3000, 11 * c + bits));
        const source = await open(encodeWav(input, 44100, { format }));
        expect(source.info).toMatchObject({
          container: 'wav',
          codec,
          channels: channelCount,
          sampleRate: 44100,
          bitDepth: bits,
        });
        expect(source.info.declaredFrames).toBe(3000);
        const { channels } = await decodeAll(source);
        expect(channels.length).toBe(channelCount);
        for (let c = 0; c < channelCount; c++) {
          const want = expected(input[c], format);
          let max = 0;
          for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(channels[c][i] - want[i]));
          expect(max).toBeLessThan(1e-7);
        }
        expect(source.isTruncated).toBe(false);
      });
    }
  }

  it('keeps float samples above full scale (no clipping)', async () => {
    const x = Float32Array.from([0, 1.5, -2, 0.25]);
    const { channels } = await decodeAll(await open(encodeWav([x], 48000, { format: 'f32' })));
    expect(Array.from(channels[0])).toEqual([0, 1.5, -2, 0.25]);
  });

  it('reads NaN and infinite float samples as silence rather than poisoning the analysis', async () => {
    const x = Float32Array.from([0.5, Number.NaN, Number.POSITIVE_INFINITY, -0.5]);
    const { channels } = await decodeAll(await open(encodeWav([x], 48000, { format: 'f32' })));
    expect(Array.from(channels[0])).toEqual([0.5, 0, 0, -0.5]);
  });

  for (const rate of [8000, 11025, 22050, 32000, 44100, 48000, 88200, 96000, 176400, 192000, 12345]) {
    it(`reads a ${rate} Hz file`, async () => {
      const source = await open(encodeWav([note(69, 0.05, { sampleRate: rate })], rate));
      expect(source.info.sampleRate).toBe(rate);
      expect((await decodeAll(source)).frames).toBe(Math.round(0.05 * rate));
    });
  }

  it('reads WAVE_FORMAT_EXTENSIBLE PCM and float, with the valid bits as the bit depth', async () => {
    const x = testSignal(500, 3);
    const pcm = await open(encodeWav([x, x], 48000, { format: 's24', extensible: true, validBits: 20 }));
    expect(pcm.info).toMatchObject({ codec: 'pcm-s24', bitDepth: 20, channels: 2 });
    expect((await decodeAll(pcm)).channels[1][10]).toBeCloseTo(expected(x, 's24')[10], 7);
    const float = await open(encodeWav([x], 48000, { format: 'f32', extensible: true }));
    expect(float.info.codec).toBe('pcm-f32');
    expect((await decodeAll(float)).channels[0][10]).toBe(x[10]);
  });

  it('reads RIFX (big-endian) files', async () => {
    const x = testSignal(400, 5);
    for (const format of ['s16', 's24', 'f32'] as PcmFormat[]) {
      const { channels } = await decodeAll(await open(encodeWav([x], 44100, { format, rifx: true })));
      expect(channels[0][7]).toBeCloseTo(expected(x, format)[7], 7);
    }
  });

  it('reads G.711 µ-law and A-law', async () => {
    // 0xFF is µ-law zero; 0x80 the largest positive code. A-law 0xD5 is the smallest positive step.
    const ulaw = buildRaw(7, [0xff, 0x80, 0x00]);
    const u = (await decodeAll(await open(ulaw))).channels[0];
    expect(u[0]).toBe(0);
    expect(u[1]).toBeCloseTo(32124 / 32768, 6);
    expect(u[2]).toBeCloseTo(-32124 / 32768, 6);
    const alaw = (await decodeAll(await open(buildRaw(6, [0xd5, 0x55])))).channels[0];
    expect(alaw[0]).toBeCloseTo(8 / 32768, 8);
    expect(alaw[1]).toBeCloseTo(-8 / 32768, 8);
  });
});

/** A mono 8-bit companded WAV (format 6 = A-law, 7 = µ-law) holding the given bytes. */
function buildRaw(formatTag: number, samples: number[]): Uint8Array {
  const wav = encodeWav([new Float32Array(samples.length)], 8000, {
    format: 'u8',
    fmt: { formatTag, bitsPerSample: 8 },
  });
  wav.set(samples, wav.length - samples.length - (samples.length % 2));
  return wav;
}

describe('WAV chunk layout', () => {
  const x = testSignal(1001, 9);

  it('finds fmt and data whatever the chunk order, with metadata before and after', async () => {
    const orders = [
      ['fmt ', 'LIST', 'JUNK', 'data', 'acid', 'smpl'],
      ['JUNK', 'LIST', 'fmt ', 'acid', 'smpl', 'bext', 'data'],
      ['fmt ', 'data', 'LIST', 'JUNK', 'cue ', 'acid', 'smpl', 'bext'],
    ];
    for (const order of orders) {
      const bytes = encodeWav([x], 44100, {
        order,
        info: { INAM: 'Odd title' },
        acid: { tempo: 98.5, beats: 8 },
        smpl: { unityNote: 62 },
        bext: 'a description',
        extra: [
          { id: 'JUNK', body: new Uint8Array(33) },
          { id: 'cue ', body: new Uint8Array(4) },
        ],
      });
      const source = await open(bytes);
      const { channels, frames } = await decodeAll(source);
      expect(frames).toBe(1001);
      expect(channels[0][500]).toBeCloseTo(expected(x, 's16')[500], 7);
      expect(source.claimed).toMatchObject({ bpm: 98.5, rootNote: 62, title: 'Odd title', isLoop: true });
    }
  });

  it('handles odd-sized chunks with and without their pad byte', async () => {
    for (const noPadding of [false, true]) {
      const bytes = encodeWav([x], 44100, {
        extra: [{ id: 'JUNK', body: new Uint8Array(7) }],
        order: ['JUNK', 'fmt '],
        noPadding,
      });
      expect((await decodeAll(await open(bytes))).frames).toBe(1001);
    }
  });

  it('decodes a data chunk that reaches past the end of the file and flags it truncated', async () => {
    const whole = encodeWav([x, x], 44100);
    const cut = whole.subarray(0, whole.length - 1000 - 2); // also cuts mid-frame
    const source = await open(cut);
    const { frames, channels } = await decodeAll(source);
    const available = Math.floor((cut.length - 44) / 4);
    expect(frames).toBe(available);
    expect(source.isTruncated).toBe(true);
    expect(source.info.declaredFrames).toBe(available);
    expect(channels[1][available - 1]).toBeCloseTo(expected(x, 's16')[available - 1], 7);
  });

  it('reads streaming writers that left the data size at 0 or 0xFFFFFFFF', async () => {
    for (const dataSize of [0, 0xffffffff]) {
      const source = await open(encodeWav([x], 44100, { dataSize }));
      expect((await decodeAll(source)).frames).toBe(1001);
      expect(source.isTruncated).toBe(false);
    }
  });

  it('reads RF64 with its ds64 size', async () => {
    const wav = encodeWav([x], 44100);
    // RF64: "RF64", size -1, WAVE, ds64 (riff size, data size, sample count, table length), then the rest with data size -1.
    const ds64 = new Uint8Array(28);
    const view = new DataView(ds64.buffer);
    view.setUint32(8, 2002, true);
    const rest = wav.slice(12);
    const dataAt = findChunk(rest, 'data');
    new DataView(rest.buffer).setUint32(dataAt + 4, 0xffffffff, true);
    const body = concatBytes(new TextEncoder().encode('WAVE'), riffChunk('ds64', ds64), rest);
    const head = new Uint8Array(8);
    head.set(new TextEncoder().encode('RF64'));
    new DataView(head.buffer).setUint32(4, 0xffffffff, true);
    const source = await open(concatBytes(head, body));
    expect((await decodeAll(source)).frames).toBe(1001);
  });

  it('finds fmt and data even when a chunk before them has a wrong size', async () => {
    const wav = encodeWav([x], 44100, { info: { INAM: 'title' }, order: ['LIST', 'fmt '] });
    const list = findChunk(wav, 'LIST');
    new DataView(wav.buffer).setUint32(list + 4, 0x7ffffff0, true);
    expect((await decodeAll(await open(wav))).frames).toBe(1001);
  });

  it('ignores junk after the last chunk', async () => {
    const bytes = concatBytes(encodeWav([x], 44100), new Uint8Array([0, 0, 0xff, 0x13, 1]));
    expect((await decodeAll(await open(bytes))).frames).toBe(1001);
  });

  it('hands out chunks of at most 65,536 frames, planar, one array per channel', async () => {
    const long = testSignal(200_000, 4);
    const { chunkSizes, channels } = await decodeAll(await open(encodeWav([long, long, long], 44100)));
    expect(Math.max(...chunkSizes)).toBeLessThanOrEqual(65536);
    expect(chunkSizes.reduce((a, b) => a + b, 0)).toBe(200_000);
    expect(channels).toHaveLength(3);
  });

  it('decodes MP3 data inside a WAV (format 0x0055) through the MP3 decoder', async () => {
    const { encodeMp3 } = await import('../testing/lossy-writer');
    const mp3 = await encodeMp3([note(69, 0.5)], 44100);
    const wav = encodeWav([new Float32Array(0)], 44100, {
      fmt: { formatTag: 0x55, bitsPerSample: 0, blockAlign: 1 },
    });
    const dataAt = findChunk(wav, 'data');
    const bytes = concatBytes(wav.subarray(0, dataAt), riffChunk('data', mp3));
    new DataView(bytes.buffer).setUint32(4, bytes.length - 8, true);
    const source = await open(bytes);
    expect(source.info).toMatchObject({ container: 'wav', codec: 'mp3', channels: 1 });
    expect((await decodeAll(source)).frames).toBeGreaterThan(0.5 * 44100);
  });
});

function findChunk(b: Uint8Array, id: string): number {
  for (let i = 0; i + 4 <= b.length; i++) if (String.fromCharCode(...b.subarray(i, i + 4)) === id) return i;
  throw new Error(`no ${id}`);
}

describe('WAV failures', () => {
  const x = spread(note(60, 0.1), 2);

  it('0 channels / block align 0 is corrupt, with a message naming the field', async () => {
    const err = await failure(encodeWav(x, 44100, { fmt: { channels: 0, blockAlign: 0 } }));
    expect(err.code).toBe('corrupt');
    expect(err.message).toMatch(/0 channels/);
  });

  it('block align 0 with channels set is corrupt', async () => {
    const err = await failure(encodeWav(x, 44100, { fmt: { blockAlign: 0 } }));
    expect(err.code).toBe('corrupt');
    expect(err.message).toMatch(/block align/);
  });

  it('a sample rate of 0 is corrupt', async () => {
    expect((await failure(encodeWav(x, 44100, { fmt: { sampleRate: 0 } }))).code).toBe('corrupt');
  });

  it('bits that do not fit the block align are corrupt', async () => {
    expect((await failure(encodeWav(x, 44100, { fmt: { bitsPerSample: 24 } }))).code).toBe('corrupt');
  });

  it('a header with no frames is empty', async () => {
    const err = await failure(
      encodeWav([new Float32Array(0), new Float32Array(0)], 48000, { format: 's24' }),
    );
    expect(err.code).toBe('empty');
    expect(err.message).toMatch(/no audio frames/);
  });

  it('a file cut inside its header is corrupt', async () => {
    const wav = encodeWav(x, 44100);
    for (const length of [12, 20, 30, 43]) {
      const err = await failure(wav.subarray(0, length));
      expect(err.code).toBe('corrupt');
    }
  });

  it('names compressed formats it does not decode', async () => {
    const err = await failure(encodeWav(x, 44100, { fmt: { formatTag: 0x11 } }));
    expect(err.code).toBe('unsupported-format');
    expect(err.message).toMatch(/IMA ADPCM/);
  });

  it('a missing fmt chunk is corrupt', async () => {
    const wav = encodeWav(x, 44100);
    const at = findChunk(wav, 'fmt ');
    wav.set(new TextEncoder().encode('xfm_'), at);
    expect((await failure(wav)).message).toMatch(/no fmt chunk/);
  });

  it('random bytes after a RIFF/WAVE header never escape as anything but AnalysisFailure', async () => {
    const random = rng(99);
    for (let k = 0; k < 50; k++) {
      const bytes = Uint8Array.from({ length: 200 }, () => Math.floor(random() * 256));
      bytes.set(new TextEncoder().encode('RIFF'), 0);
      bytes.set(new TextEncoder().encode('WAVE'), 8);
      try {
        await decodeAll(await open(bytes));
      } catch (err) {
        expect(err).toBeInstanceOf(AnalysisFailure);
      }
    }
  });
});
