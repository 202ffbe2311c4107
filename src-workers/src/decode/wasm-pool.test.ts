import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { describe, expect, it, vi } from 'vitest';
import { encodeFlac } from '../testing/flac-writer';
import { encodeMp3, encodeOggVorbis } from '../testing/lossy-writer';
import { decodeAll } from '../testing/measure';
import { noiseBurst, rng, sine } from '../testing/synth';
import { flacDecoders } from './flac';
import { openAudio } from './index';
import { mpegDecoders } from './mp3';
import { vorbisDecoders } from './ogg';
import { createDecoderPool, type DecoderPool, MAX_USES, type WasmDecoder } from './wasm-pool';

/** The wasm heap a decoder runs on: the same buffer means the same WebAssembly instance. */
function heapOf(d: WasmDecoder): ArrayBuffer {
  type Common = { _common: { _wasm: { HEAP: ArrayBuffer } } };
  const wrapped = (d as unknown as { _decoder: unknown })._decoder;
  const inner = typeof wrapped === 'object' ? (wrapped as Common) : (d as unknown as Common);
  return inner._common._wasm.HEAP;
}

/** A tone with some noise, different for every seed. */
function material(seed: number, seconds: number, rate: number, channels: number): Float32Array[] {
  return Array.from({ length: channels }, (_, c) => {
    const tone = sine(110 * (1 + ((seed + c) % 7)), seconds, { sampleRate: rate, amplitude: 0.5 });
    const noise = noiseBurst(seconds, { sampleRate: rate, seed: seed * 10 + c, amplitude: 0.2 });
    return tone.map((v, i) => v + noise[i]);
  });
}

/** Bytes with one byte flipped in the middle of the audio. */
function damaged(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  out[Math.floor(out.length * 0.6)] ^= 0x5a;
  return out;
}

async function decodeFresh<D extends WasmDecoder>(pool: DecoderPool<D>, bytes: Uint8Array) {
  // Dropping the pooled decoder makes the next file start on a new instance.
  pool.release(await pool.acquire(), false);
  return decodeAll(await openAudio(bytes));
}

const codecs: { name: string; pool: DecoderPool<WasmDecoder>; files: () => Promise<Uint8Array[]> }[] = [
  {
    name: 'FLAC',
    pool: flacDecoders,
    files: async () =>
      [8, 16, 24, 32, 16, 24].map((bits, i) =>
        encodeFlac(material(i, 0.2 + 0.1 * i, [22050, 44100, 48000][i % 3], 1 + (i % 3)), 44100, {
          bits: bits as 8 | 16 | 24 | 32,
          blockSize: [576, 1152, 4096][i % 3],
        }),
      ),
  },
  {
    name: 'MP3',
    pool: mpegDecoders,
    files: () =>
      Promise.all(
        [0, 1, 2, 3, 4].map((i) => encodeMp3(material(i, 0.3 + 0.2 * i, 44100, 1 + (i % 2)), 44100)),
      ),
  },
  {
    name: 'Ogg Vorbis',
    pool: vorbisDecoders,
    files: () =>
      Promise.all(
        [0, 1, 2, 3, 4].map((i) => encodeOggVorbis(material(i, 0.3 + 0.2 * i, 48000, 1 + (i % 2)), 48000)),
      ),
  },
];

describe('wasm decoder pool', () => {
  it('hands back the same instance after a clean run', async () => {
    const pool = createDecoderPool(() => new FLACDecoder());
    const first = await pool.acquire();
    const heap = heapOf(first);
    pool.release(first, true);
    expect(pool.idle).toBe(1);
    const again = await pool.acquire();
    expect(again).toBe(first);
    expect(heapOf(again)).toBe(heap);
    pool.release(again, true);
  });

  it('frees a decoder released after an error instead of pooling it', async () => {
    const pool = createDecoderPool(() => new FLACDecoder());
    const d = await pool.acquire();
    const heap = heapOf(d);
    pool.release(d, false);
    expect(pool.idle).toBe(0);
    const next = await pool.acquire();
    expect(next).not.toBe(d);
    expect(heapOf(next)).not.toBe(heap);
    pool.release(next, true);
  });

  it(`retires an instance after ${MAX_USES} files`, async () => {
    const pool = createDecoderPool(() => new FLACDecoder());
    const d = await pool.acquire();
    const heap = heapOf(d);
    for (let i = 1; i < MAX_USES; i++) {
      pool.release(d, true);
      expect(await pool.acquire()).toBe(d);
    }
    pool.release(d, true);
    expect(pool.idle).toBe(0);
    const fresh = await pool.acquire();
    expect(heapOf(fresh)).not.toBe(heap);
    pool.release(fresh, true);
  });

  for (const codec of codecs) {
    it(`${codec.name}: files decoded on a reused instance equal a fresh instance's output, bit for bit`, async () => {
      const files = await codec.files();
      const reference = [];
      for (const f of files) reference.push(await decodeFresh(codec.pool, f));
      // Shuffled rounds, with damaged files and streams abandoned half-way in between: none of it
      // may leak into the next file's samples.
      const random = rng(files.length);
      // Typed structurally: the Node test config has WebAssembly's types but not its value.
      const wasmApi = (
        globalThis as unknown as { WebAssembly: { instantiate: (...a: unknown[]) => unknown } }
      ).WebAssembly;
      const instantiate = vi.spyOn(wasmApi, 'instantiate');
      let spoiled = 0;
      const rounds = 4 * files.length;
      for (let n = 0; n < rounds; n++) {
        const i = Math.floor(random() * files.length);
        if (n % 5 === 2) {
          await decodeAll(await openAudio(damaged(files[i]))).catch(() => null);
          spoiled++;
        }
        if (n % 7 === 3) {
          for await (const _ of (await openAudio(files[i])).chunks()) break;
          spoiled++;
        }
        const out = await decodeAll(await openAudio(files[i]));
        expect(out.frames).toBe(reference[i].frames);
        for (let c = 0; c < out.channels.length; c++) {
          const want = reference[i].channels[c];
          let same = want.length === out.channels[c].length;
          for (let k = 0; same && k < want.length; k++) same = Object.is(out.channels[c][k], want[k]);
          expect(same, `${codec.name} file ${i}, channel ${c}`).toBe(true);
        }
      }
      // A new instance only after a file that may have left its decoder in a bad state.
      expect(instantiate.mock.calls.length).toBeLessThanOrEqual(spoiled);
      instantiate.mockRestore();
    });
  }
});
