/**
 * WebAssembly SIMD kernels for the resampler's exact paths: the one-phase (integer ratio) filter
 * of the common 44.1k → 22.05k case and the polyphase dot products of 48k → 22.05k. Two taps per
 * f64x2 operation: about twice the speed of the JS loops.
 *
 * They compute exactly what the JS loops compute: each f64x2 lane is one of the JS loop's
 * accumulators, fed the same products in the same order with the same (unfused) multiply and add,
 * and the lanes are summed in the JS order before rounding to float32. So the paths agree bit for
 * bit (tested), and engines without SIMD simply keep the JS loops.
 *
 * The module is assembled here from its instructions (see dsp/wasm-asm.ts) rather than shipped as
 * an opaque binary.
 */

import { instantiate, name, section, uleb, type WasmMemory } from '../dsp/wasm-asm';

export type ResampleKernels = {
  /**
   * One-phase path: out[at + n] for n < count, the window of output n starting at buf[b0 + n·step];
   * taps j and 2·centre - j share coef[j], coef[centre] is the centre tap.
   */
  symmetric(
    buf: Float64Array,
    b0: number,
    step: number,
    centre: number,
    coef: Float64Array,
    count: number,
    out: Float32Array,
    at: number,
  ): void;
  /**
   * Exact polyphase path: outputs while the window start (relative to b0) is <= last and fewer
   * than `bound` are made, from `phase` on, stepping stepWhole + stepFrac / phases inputs per
   * output; buf[b0..end) holds every window. Returns the number of outputs written to out[at..].
   */
  polyphase(
    buf: Float64Array,
    b0: number,
    end: number,
    last: number,
    phase: number,
    stepWhole: number,
    stepFrac: number,
    phases: number,
    taps: number,
    coef: Float64Array,
    bound: number,
    out: Float32Array,
    at: number,
  ): number;
};

const PAGE = 65536;

// Opcodes (WebAssembly core + SIMD).
const BLOCK = 0x02;
const LOOP = 0x03;
const IF = 0x04;
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const VOID = 0x40;
const GET = 0x20;
const SET = 0x21;
const I32_CONST = 0x41; // immediates here are all below 64: one signed LEB128 byte
const I32_GE_S = 0x4e;
const I32_LT_S = 0x48;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_SHL = 0x74;
const F64_LOAD = 0x2b;
const F32_STORE = 0x38;
const F64_ADD = 0xa0;
const F64_MUL = 0xa2;
const F32_DEMOTE = 0xb6;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00];
const I8X16_SHUFFLE = [SIMD, 0x0d];
const F64X2_SPLAT = [SIMD, 0x14];
const F64X2_EXTRACT = [SIMD, 0x21];
const F64X2_REPLACE = [SIMD, 0x22];
const F64X2_ADD = [SIMD, 0xf0, 0x01];
const F64X2_MUL = [SIMD, 0xf2, 0x01];
const I32 = 0x7f;
const V128 = 0x7b;

// Parameters (byte addresses): 0 buf (window of output 0), 1 step (bytes), 2 centre (taps),
// 3 coef, 4 count, 5 out. Locals: 6 n, 7 j, 8 lo, 9 hi, 10 acc (v128).
const [P_B, P_STEP, P_CENTRE, P_COEF, P_COUNT, P_OUT, L_N, L_J, L_LO, L_HI, L_ACC] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
];
const f64At = (offset = 0) => [F64_LOAD, 3, ...uleb(offset)];

function kernelCode(): number[] {
  // biome-ignore format: a few instructions per line
  return [
    // locals: 4 × i32, 1 × v128
    2, 4, I32, 1, V128, BLOCK, VOID, LOOP, VOID,
    // if (n >= count) break
    GET, L_N, GET, P_COUNT, I32_GE_S, BR_IF, 1,
    // acc = (buf[b + centre] * coef[centre], 0); 0x44 is f64.const
    ...[0x44, 0, 0, 0, 0, 0, 0, 0, 0], ...F64X2_SPLAT, GET, P_B, GET, P_CENTRE,
    I32_CONST, 3, I32_SHL, I32_ADD, ...f64At(), GET, P_COEF, GET, P_CENTRE, I32_CONST, 3, I32_SHL,
    I32_ADD, ...f64At(), F64_MUL, ...F64X2_REPLACE, 0, SET, L_ACC,
    // j = 0; lo = b; hi = b + (2·centre - 1)·8 (the pair buf[hi - 1], buf[hi] of tap 0)
    I32_CONST, 0, SET, L_J, GET, P_B, SET, L_LO, GET, P_B, GET, P_CENTRE, I32_CONST, 4, I32_SHL,
    I32_ADD, I32_CONST, 8, I32_SUB, SET, L_HI, BLOCK, VOID, LOOP, VOID,
    // while (j + 1 < centre)
    GET, L_J, I32_CONST, 1, I32_ADD, GET, P_CENTRE, I32_GE_S, BR_IF, 1,
    // acc += (load(lo) + swap(load(hi))) * load(coef + 8j)
    GET, L_ACC, GET, L_LO, ...V128_LOAD, 3, 0, GET, L_HI, ...V128_LOAD, 3, 0, GET, L_HI, ...V128_LOAD,
    3, 0, ...I8X16_SHUFFLE, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, ...F64X2_ADD,
    GET, P_COEF, GET, L_J, I32_CONST, 3, I32_SHL, I32_ADD, ...V128_LOAD, 3, 0, ...F64X2_MUL, ...F64X2_ADD,
    SET, L_ACC,
    // j += 2; lo += 16; hi -= 16
    GET, L_J, I32_CONST, 2, I32_ADD, SET, L_J, GET, L_LO, I32_CONST, 16, I32_ADD, SET, L_LO, GET,
    L_HI, I32_CONST, 16, I32_SUB, SET, L_HI, BR, 0, END, END,
    // if (j < centre) lane 0 += (buf[lo] + buf[hi + 1]) * coef[j]
    GET, L_J, GET, P_CENTRE, I32_LT_S, IF, VOID, GET, L_ACC, GET, L_ACC, ...F64X2_EXTRACT, 0, GET,
    L_LO, ...f64At(), GET, L_HI, ...f64At(8), F64_ADD, GET, P_COEF, GET, L_J, I32_CONST, 3, I32_SHL,
    I32_ADD, ...f64At(), F64_MUL, F64_ADD, ...F64X2_REPLACE, 0, SET, L_ACC, END,
    // out[n] = f32(lane 0 + lane 1)
    GET, P_OUT, GET, L_N, I32_CONST, 2, I32_SHL, I32_ADD, GET, L_ACC, ...F64X2_EXTRACT, 0, GET,
    L_ACC, ...F64X2_EXTRACT, 1, F64_ADD, F32_DEMOTE, F32_STORE, 2, 0,
    // n++; b += step
    GET, L_N, I32_CONST, 1, I32_ADD, SET, L_N, GET, P_B, GET, P_STEP, I32_ADD, SET, P_B, BR, 0,
    END, END, END,
  ];
}

// Polyphase dot kernel. Parameters: 0 buf (address of the first output's window), 1 last (largest
// window start, relative), 2 phase, 3 stepWhole, 4 stepFrac, 5 phases, 6 taps, 7 coef, 8 bound,
// 9 out. Locals: 10 n, 11 r, 12 j, 13 bp, 14 cp, 15 acc (a0, a1), 16 acc2 (a2, a3). Returns n.
const [D_BUF, D_LAST, D_PHASE, D_WHOLE, D_FRAC, D_L, D_TAPS, D_COEF, D_BOUND, D_OUT] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
];
const [D_N, D_R, D_J, D_BP, D_CP, D_ACC, D_ACC2] = [10, 11, 12, 13, 14, 15, 16];
const ZERO2 = [0x44, 0, 0, 0, 0, 0, 0, 0, 0, ...F64X2_SPLAT]; // f64x2 (0, 0)
const I32_MUL = 0x6c;
const I32_GT_S = 0x4a;

function dotCode(): number[] {
  // biome-ignore format: one instruction (or short sequence) per line is easier to check
  return [
    2, 5, I32, 2, V128,
    BLOCK, VOID, LOOP, VOID,
    // while (r <= last && n < bound)
    GET, D_R, GET, D_LAST, I32_GT_S, BR_IF, 1,
    GET, D_N, GET, D_BOUND, I32_GE_S, BR_IF, 1,
    ...ZERO2, SET, D_ACC,
    ...ZERO2, SET, D_ACC2,
    // bp = buf + 8r; cp = coef + 8·phase·taps; j = 0
    GET, D_BUF, GET, D_R, I32_CONST, 3, I32_SHL, I32_ADD, SET, D_BP,
    GET, D_COEF, GET, D_PHASE, GET, D_TAPS, I32_MUL, I32_CONST, 3, I32_SHL, I32_ADD, SET, D_CP,
    I32_CONST, 0, SET, D_J,
    BLOCK, VOID, LOOP, VOID,
    // while (j + 3 < taps): (a0, a1) += x[j..j+1]·h[j..j+1]; (a2, a3) += x[j+2..j+3]·h[j+2..j+3]
    GET, D_J, I32_CONST, 3, I32_ADD, GET, D_TAPS, I32_GE_S, BR_IF, 1,
    GET, D_ACC, GET, D_BP, ...V128_LOAD, 3, 0, GET, D_CP, ...V128_LOAD, 3, 0, ...F64X2_MUL, ...F64X2_ADD, SET, D_ACC,
    GET, D_ACC2, GET, D_BP, ...V128_LOAD, 3, 16, GET, D_CP, ...V128_LOAD, 3, 16, ...F64X2_MUL, ...F64X2_ADD, SET, D_ACC2,
    GET, D_J, I32_CONST, 4, I32_ADD, SET, D_J,
    GET, D_BP, I32_CONST, 32, I32_ADD, SET, D_BP,
    GET, D_CP, I32_CONST, 32, I32_ADD, SET, D_CP,
    BR, 0,
    END, END,
    // while (j < taps): a0 += x[j]·h[j]
    BLOCK, VOID, LOOP, VOID,
    GET, D_J, GET, D_TAPS, I32_GE_S, BR_IF, 1,
    GET, D_ACC, GET, D_ACC, ...F64X2_EXTRACT, 0, GET, D_BP, ...f64At(), GET, D_CP, ...f64At(), F64_MUL, F64_ADD,
    ...F64X2_REPLACE, 0, SET, D_ACC,
    GET, D_J, I32_CONST, 1, I32_ADD, SET, D_J,
    GET, D_BP, I32_CONST, 8, I32_ADD, SET, D_BP,
    GET, D_CP, I32_CONST, 8, I32_ADD, SET, D_CP,
    BR, 0,
    END, END,
    // out[n] = f32(a0 + a1 + a2 + a3); n++
    GET, D_OUT, GET, D_N, I32_CONST, 2, I32_SHL, I32_ADD,
    GET, D_ACC, ...F64X2_EXTRACT, 0, GET, D_ACC, ...F64X2_EXTRACT, 1, F64_ADD,
    GET, D_ACC2, ...F64X2_EXTRACT, 0, F64_ADD, GET, D_ACC2, ...F64X2_EXTRACT, 1, F64_ADD,
    F32_DEMOTE, F32_STORE, 2, 0,
    GET, D_N, I32_CONST, 1, I32_ADD, SET, D_N,
    // r += stepWhole; phase += stepFrac; if (phase >= L) { phase -= L; r++ }
    GET, D_R, GET, D_WHOLE, I32_ADD, SET, D_R,
    GET, D_PHASE, GET, D_FRAC, I32_ADD, SET, D_PHASE,
    GET, D_PHASE, GET, D_L, I32_GE_S, IF, VOID,
    GET, D_PHASE, GET, D_L, I32_SUB, SET, D_PHASE,
    GET, D_R, I32_CONST, 1, I32_ADD, SET, D_R,
    END,
    BR, 0,
    END, END,
    GET, D_N,
    END,
  ];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const sym = kernelCode();
  const dot = dotCode();
  // biome-ignore format: one instruction (or short sequence) per line is easier to check
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [2, 0x60, 6, ...Array(6).fill(I32), 0, 0x60, 10, ...Array(10).fill(I32), 1, I32]),
    ...section(3, [2, 0, 1]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [3, ...name('mem'), 0x02, 0, ...name('sym'), 0x00, 0, ...name('dot'), 0x00, 1]),
    ...section(10, [2, ...uleb(sym.length), ...sym, ...uleb(dot.length), ...dot]),
  ];
  return new Uint8Array(bytes);
}

let kernels: ResampleKernels | null | undefined;

/** The SIMD kernels, or null where WebAssembly SIMD is not available. Built once, synchronously. */
export function resampleKernels(): ResampleKernels | null {
  if (kernels !== undefined) return kernels;
  kernels = null;
  const exports = instantiate(moduleBytes());
  if (!exports) return kernels;
  try {
    const memory = exports.mem as WasmMemory;
    const sym = exports.sym as (...args: number[]) => void;
    const dot = exports.dot as (...args: number[]) => number;
    let heap = new Float64Array(memory.buffer);
    // Layout in doubles: coefficients from 0 (kept while the same table is used), then the input
    // window, then the float32 outputs.
    let coefTable: Float64Array | null = null;
    let coefCount = 0;
    const prepare = (coef: Float64Array, coefs: number, span: number, outputs: number) => {
      const bufAt = coefs + (coefs & 1);
      const outAt = bufAt + span + (span & 1);
      const bytes = (outAt + outputs) * 8;
      if (bytes > memory.buffer.byteLength) {
        memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
        heap = new Float64Array(memory.buffer);
        coefTable = null;
      }
      if (coefTable !== coef || coefCount !== coefs) {
        heap.set(coef.subarray(0, coefs), 0);
        coefTable = coef;
        coefCount = coefs;
      }
      return { bufAt, outAt };
    };
    kernels = {
      symmetric(buf, b0, step, centre, coef, count, out, at) {
        const span = (count - 1) * step + 2 * centre + 1;
        const { bufAt, outAt } = prepare(coef, centre + 1, span, count);
        heap.set(buf.subarray(b0, b0 + span), bufAt);
        sym(bufAt * 8, step * 8, centre, 0, count, outAt * 8);
        out.set(new Float32Array(memory.buffer, outAt * 8, count), at);
      },
      polyphase(buf, b0, end, last, phase, stepWhole, stepFrac, phases, taps, coef, bound, out, at) {
        const span = end - b0;
        const { bufAt, outAt } = prepare(coef, phases * taps, span, bound);
        heap.set(buf.subarray(b0, end), bufAt);
        const n = dot(bufAt * 8, last, phase, stepWhole, stepFrac, phases, taps, 0, bound, outAt * 8);
        out.set(new Float32Array(memory.buffer, outAt * 8, n), at);
        return n;
      },
    };
  } catch {
    kernels = null;
  }
  return kernels;
}
