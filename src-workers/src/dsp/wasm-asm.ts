/**
 * Just enough of the WebAssembly binary format to assemble the engine's few SIMD kernels from
 * their instructions at start-up (no toolchain, no opaque binary in the repository). Every kernel
 * has a JS twin that computes the same thing and is used where WebAssembly SIMD is missing.
 */

export const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
};

export const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
};

export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
export const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

export const I32 = 0x7f;
export const V128 = 0x7b;

// Instructions.
export const block = [0x02, 0x40];
export const loop = [0x03, 0x40];
export const end = [0x0b];
export const br = (depth: number) => [0x0c, depth];
export const brIf = (depth: number) => [0x0d, depth];
export const get = (local: number) => [0x20, local];
export const set = (local: number) => [0x21, local];
export const i32 = (v: number) => [0x41, ...sleb(v)];
export const i32Add = [0x6a];
export const i32Shl = [0x74];
export const i32GeU = [0x4f];
export const v128Load = (offset = 0) => [0xfd, 0x00, 3, ...uleb(offset)];
export const v128Store = (offset = 0) => [0xfd, 0x0b, 3, ...uleb(offset)];
export const f64x2Add = [0xfd, 0xf0, 0x01];
export const f64x2Sub = [0xfd, 0xf1, 0x01];
export const f64x2Mul = [0xfd, 0xf2, 0x01];

/** A function type `(i32 × params) → ()`. */
export const voidType = (params: number) => [0x60, params, ...Array(params).fill(I32), 0];

/** A module with one memory ("mem", `pages` at first) and the given functions, exported by name. */
export function assemble(
  pages: number,
  functions: { name: string; params: number; locals: [number, number][]; code: number[] }[],
): Uint8Array<ArrayBuffer> {
  const types = functions.flatMap((f) => voidType(f.params));
  const bodies = functions.map((f) => {
    const locals = [...uleb(f.locals.length), ...f.locals.flatMap(([count, type]) => [...uleb(count), type])];
    const body = [...locals, ...f.code, ...end];
    return [...uleb(body.length), ...body];
  });
  const exports = [
    ...uleb(functions.length + 1),
    ...name('mem'),
    0x02,
    0,
    ...functions.flatMap((f, i) => [...name(f.name), 0x00, ...uleb(i)]),
  ];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [...uleb(functions.length), ...types]),
    ...section(3, [...uleb(functions.length), ...functions.flatMap((_, i) => uleb(i))]),
    ...section(5, [1, 0x00, ...uleb(pages)]),
    ...section(7, exports),
    ...section(10, [...uleb(functions.length), ...bodies.flat()]),
  ]);
}

/** WebAssembly as both Web Workers and Node have it (typed here: the Node config lacks its value). */
export type WasmApi = {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

export type WasmMemory = { buffer: ArrayBuffer; grow(pages: number): number };

/** Instantiates a module synchronously, or null where WebAssembly (or its SIMD) is missing. */
export function instantiate(bytes: Uint8Array<ArrayBuffer>): Record<string, unknown> | null {
  try {
    const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm?.validate(bytes)) return null;
    return new wasm.Instance(new wasm.Module(bytes), {}).exports;
  } catch {
    return null;
  }
}
