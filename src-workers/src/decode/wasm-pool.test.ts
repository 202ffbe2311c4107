import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { describe, expect, it } from 'vitest';
import { quantise } from '../testing/bytes-writer';
import { encodeFlac } from '../testing/flac-writer';
import { decodeAll } from '../testing/measure';
import { noiseBurst, rng } from '../testing/synth';
import { flacDecoders } from './flac';
import { flacFrames } from './flac-frames';
import { openAudio } from './index';
import { createDecoderPool, MAX_USES } from './wasm-pool';

/** The wasm heap a decoder runs on: the same buffer means the same WebAssembly instance. */
const heapOf = (d: FLACDecoder) =>
  (d as unknown as { _decoder: { _common: { _wasm: { HEAP: ArrayBuffer } } } })._decoder._common._wasm.HEAP;

const signal = (frames: number, seed: number) => noiseBurst(frames / 44100, { seed, amplitude: 0.9 });
const quantised = (x: Float32Array, bits: number) => x.map((v) => quantise(v, bits) / 2 ** (bits - 1));

function damage(flac: Uint8Array): Uint8Array {
  const frames = [...flacFrames(flac, 0, { cut: false, damaged: 0 })];
  const hit = frames[frames.length >> 1];
  const out = flac.slice();
  out[hit.byteOffset - flac.byteOffset + (hit.length >> 1)] ^= 0x5a;
  return out;
}

describe('wasm decoder pool', () => {
  it('hands back the same instance after a clean run, in a fresh state', async () => {
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

  it('files decoded one after another on a reused instance come out bit-exact', async () => {
    // Varied widths, rates, channel counts and block sizes, with damaged files and streams
    // abandoned half-way in between: none of it may leak into the next file's samples.
    const random = rng(7);
    let reused = 0;
    let lastHeap: ArrayBuffer | null = null;
    for (let n = 0; n < 40; n++) {
      const bits = ([8, 16, 24, 32] as const)[n % 4];
      const channels = 1 + (n % 3);
      const length = 500 + Math.floor(random() * 20_000);
      const input = Array.from({ length: channels }, (_, c) => signal(length, n * 10 + c));
      const flac = encodeFlac(input, [22050, 44100, 48000, 96000][n % 4], {
        bits,
        blockSize: [576, 1152, 4096][n % 3],
      });
      if (n % 7 === 3) {
        // Decodes around the damage, or fails as corrupt when nothing is left: either is fine here.
        await decodeAll(await openAudio(damage(flac))).catch(() => null);
        continue;
      }
      if (n % 7 === 5) {
        for await (const _ of (await openAudio(flac)).chunks()) break;
        continue;
      }
      const source = await openAudio(flac);
      const out = await decodeAll(source);
      expect(out.frames).toBe(length);
      for (let c = 0; c < channels; c++) {
        const want = quantised(input[c], bits);
        let worst = 0;
        for (let i = 0; i < length; i++) worst = Math.max(worst, Math.abs(out.channels[c][i] - want[i]));
        expect(worst, `file ${n}, channel ${c}`).toBe(0);
      }
      const d = await flacDecoders.acquire();
      if (heapOf(d) === lastHeap) reused++;
      lastHeap = heapOf(d);
      flacDecoders.release(d, true);
    }
    expect(reused).toBeGreaterThan(10);
  });
});
