/**
 * Reuse of the wasm decoders' WebAssembly instances across files (FLAC, Ogg FLAC, MP3, Vorbis).
 *
 * Each decoder from @wasm-audio-decoders instantiates its own module with a fixed 16 MB heap:
 * about 2 ms per file for the instantiation plus as much again in garbage collection of the
 * dropped heaps, several times the cost of decoding a typical one-shot. The library caches the
 * compiled module but not the instance, and its `reset()` instantiates a new one.
 *
 * A pooled decoder is reset before reuse, so each file gets a freshly created codec object
 * (libFLAC, mpg123 or libvorbis state, codec parser) exactly as a new decoder would; only the instance and its heap are
 * kept. The package exposes no hook for that, so this relies on one internal of theirs (checked by
 * tests): the codec wrapper creates its heap helper through its own `_WASMAudioDecoderCommon`
 * property, which is overridden per decoder to hand back the existing instance. Should that
 * internal change, `reusable()` finds nothing to reuse and the pool falls back to one decoder per
 * file.
 *
 * Safety: a decoder goes back to the pool only after a clean run (whole stream, no decoder error,
 * no exception) while its heap still has PROBE_BYTES free in one piece, and is retired after
 * MAX_USES files, so fragmentation or leaks inside the C code cannot build up; the heap cannot
 * grow (the modules are built without memory growth). Two wrappers tear down in ways that are
 * harmless only on a heap that is thrown away, so their pools replace the teardown
 * (PoolOptions.teardown): mpg123's JS free() releases the decoder struct that its C destroy
 * function has already released, and the Vorbis C destroy function (per its source) frees the PCM
 * pointer array after vorbis_dsp_clear has. The Vorbis wrapper also leaks the stream setup (codebooks, ~100 kB
 * per file), which the free-space probe bounds.
 */

/** Public surface of the @wasm-audio-decoders decoders. */
export type WasmDecoder = { readonly ready: Promise<unknown>; reset(): Promise<unknown>; free(): unknown };

/** Files one instance decodes before it is dropped for a fresh one. */
export const MAX_USES = 64;
/**
 * Idle decoders kept per codec: a worker analyses one file at a time. An idle heap costs little
 * resident memory (the untouched part of its 16 MB is never committed).
 */
const MAX_IDLE = 1;

type Allocation = { ptr: number; len: number; buf: { fill(v: number): unknown } };
type Common = {
  _wasm?: { HEAP?: ArrayBuffer; malloc?: (bytes: number) => number; free?: (ptr: number) => void };
  _pointers?: Set<number>;
  instantiate: unknown;
  allocateTypedArray: (len: number, type: unknown, setPointer?: boolean) => Allocation;
};
type CommonClass = new () => Common;
/** The emscripten-facing object inside a decoder (the decoder itself for mpg123). */
type Inner = { _common?: Common; _WASMAudioDecoderCommon?: CommonClass };

const inner = (d: WasmDecoder): Inner => {
  const wrapped = (d as unknown as { _decoder?: Inner })._decoder;
  return wrapped && typeof wrapped === 'object' && '_common' in wrapped ? wrapped : (d as unknown as Inner);
};

/** A heap that cannot hand out this much is retired: the next file could run out of memory. */
const PROBE_BYTES = 4 << 20;

/** Whether the decoder's heap still has PROBE_BYTES in one piece. */
function roomy(d: WasmDecoder): boolean {
  const wasm = inner(d)._common?._wasm;
  if (typeof wasm?.malloc !== 'function' || typeof wasm.free !== 'function') return false;
  const ptr = wasm.malloc(PROBE_BYTES);
  if (!ptr) return false;
  wasm.free(ptr);
  return true;
}

/**
 * Makes the decoder's next reset() reuse its current instance. False when the decoder does not
 * look as expected (the package changed): it is then not pooled.
 */
function reusable(d: WasmDecoder): boolean {
  const x = inner(d);
  const wasm = x._common?._wasm;
  const original = x._WASMAudioDecoderCommon;
  if (!wasm || !(wasm.HEAP instanceof ArrayBuffer) || wasm.HEAP.byteLength === 0) return false;
  if (typeof original !== 'function') return false;
  if ((original as { reusing?: unknown }).reusing === wasm) return true;
  // A drop-in for the helper class: static members resolve through the prototype chain; new
  // instances skip instantiation and adopt the existing heap (fresh pointer bookkeeping).
  const base = original;
  function Reusing(): Common {
    const common = new base();
    common.instantiate = () => {
      common._wasm = wasm;
      common._pointers = new Set();
      return Promise.resolve(common);
    };
    // On a new heap every allocation reads as zeros, and the wrappers rely on it (FLAC frees its
    // output-pointer cell before the first frame has set it): keep that true on a reused heap.
    const allocate = common.allocateTypedArray;
    common.allocateTypedArray = (len, type, setPointer) => {
      const a = allocate(len, type, setPointer);
      a.buf.fill(0);
      return a;
    };
    return common;
  }
  Object.setPrototypeOf(Reusing, base);
  Object.defineProperty(Reusing, 'reusing', { value: wasm });
  x._WASMAudioDecoderCommon = Reusing as unknown as CommonClass;
  return true;
}

export type DecoderPool<D extends WasmDecoder> = {
  /** A ready decoder in a fresh state. */
  acquire(): Promise<D>;
  /**
   * Hands a decoder back: pooled when `clean`, freed otherwise. Clean means it decoded a whole
   * stream, with audio, without errors: the wrappers' teardown is only safe on a decoder that has
   * (the Vorbis one frees DSP state that only a decoded stream's setup headers initialise).
   */
  release(decoder: D, clean: boolean): void;
  /** Idle decoders (for tests). */
  readonly idle: number;
};

export type PoolOptions<D> = {
  /**
   * Replaces the decoder's own free() (which reset() also calls) once it is pooled, for wrappers
   * whose teardown is only safe on a heap that is thrown away.
   */
  teardown?: (decoder: D) => void;
};

export function createDecoderPool<D extends WasmDecoder>(
  create: () => D,
  options: PoolOptions<D> = {},
): DecoderPool<D> {
  const { teardown } = options;
  const idle: D[] = [];
  const uses = new WeakMap<D, number>();
  const free = (d: D) => {
    try {
      d.free();
    } catch {
      // never instantiated
    }
  };
  return {
    async acquire() {
      const pooled = idle.pop();
      if (pooled) {
        try {
          await pooled.reset();
          return pooled;
        } catch {
          free(pooled);
        }
      }
      const d = create();
      try {
        await d.ready;
      } catch (err) {
        free(d);
        throw err;
      }
      uses.set(d, 0);
      return d;
    },
    release(d, clean) {
      const n = (uses.get(d) ?? MAX_USES) + 1;
      uses.set(d, n);
      if (clean && n < MAX_USES && idle.length < MAX_IDLE && !idle.includes(d) && roomy(d) && reusable(d)) {
        // The inner object's free() is the one reset() calls (for mpg123 it is the decoder itself).
        if (teardown) (inner(d) as { free?: () => void }).free = () => teardown(d);
        idle.push(d);
      } else free(d);
    },
    get idle() {
      return idle.length;
    },
  };
}
