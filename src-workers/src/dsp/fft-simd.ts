/**
 * WebAssembly SIMD kernels for the FFT's later stages (fft.ts): two butterflies (k, k + 1) per
 * f64x2 operation. Each lane performs exactly the scalar butterfly's operations (same products,
 * same unfused adds, same order), so the results equal the JS stages bit for bit (tested); where
 * SIMD is missing fft.ts keeps its JS stages.
 *
 * The plans' work arrays and twiddles live in the kernels' memory (FftMemory), so nothing is
 * copied per transform.
 */
import {
  assemble,
  block,
  br,
  brIf,
  end,
  f64x2Add,
  f64x2Mul,
  f64x2Sub,
  get,
  I32,
  i32,
  i32Add,
  i32GeU,
  i32Shl,
  instantiate,
  loop,
  set,
  V128,
  v128Load,
  v128Store,
  type WasmMemory,
} from './wasm-asm';

const mul = (a: number, b: number) => [...get(a), ...get(b), ...f64x2Mul];
const addr = (base: number, offset: number) => [...get(base), ...get(offset), ...i32Add];
const bump = (local: number, by: number) => [...get(local), ...i32(by), ...i32Add, ...set(local)];
const bumpBy = (local: number, byLocal: number) => [...get(local), ...get(byLocal), ...i32Add, ...set(local)];
const shl = (local: number, bits: number) => [...get(local), ...i32(bits), ...i32Shl];

/**
 * radix2(re, im, tw, half, size): one radix-2 stage. tw holds per pair of k: cos k, cos k+1,
 * sin k, sin k+1 (the twiddle is cos + i·sin).
 */
function radix2Code(): number[] {
  const [RE, IM, TW, HALF, SIZE] = [0, 1, 2, 3, 4];
  const [PR, PI, T, KEND, ROWEND, HB, ROW, ROWI] = [5, 6, 7, 8, 9, 10, 11, 12];
  const [C, S, RE1, IM1, RE2, IM2, XR, XI] = [13, 14, 15, 16, 17, 18, 19, 20];
  // biome-ignore format: one statement per line
  return [
    ...shl(SIZE, 2), ...set(HB),
    ...get(RE), ...shl(HALF, 3), ...i32Add, ...set(ROWEND),
    ...get(RE), ...set(ROW), ...get(IM), ...set(ROWI),
    ...block, ...loop,
    ...get(ROW), ...get(ROWEND), ...i32GeU, ...brIf(1),
    ...get(ROW), ...set(PR), ...get(ROWI), ...set(PI), ...get(TW), ...set(T),
    ...get(ROW), ...get(HB), ...i32Add, ...set(KEND),
    ...block, ...loop,
    ...get(PR), ...get(KEND), ...i32GeU, ...brIf(1),
    ...get(T), ...v128Load(0), ...set(C),
    ...get(T), ...v128Load(16), ...set(S),
    ...get(PR), ...v128Load(), ...set(RE1),
    ...get(PI), ...v128Load(), ...set(IM1),
    ...addr(PR, HB), ...v128Load(), ...set(RE2),
    ...addr(PI, HB), ...v128Load(), ...set(IM2),
    ...mul(RE2, C), ...mul(IM2, S), ...f64x2Sub, ...set(XR),
    ...mul(RE2, S), ...mul(IM2, C), ...f64x2Add, ...set(XI),
    ...addr(PR, HB), ...get(RE1), ...get(XR), ...f64x2Sub, ...v128Store(),
    ...addr(PI, HB), ...get(IM1), ...get(XI), ...f64x2Sub, ...v128Store(),
    ...get(PR), ...get(RE1), ...get(XR), ...f64x2Add, ...v128Store(),
    ...get(PI), ...get(IM1), ...get(XI), ...f64x2Add, ...v128Store(),
    ...bump(PR, 16), ...bump(PI, 16), ...bump(T, 32),
    ...br(0), ...end, ...end,
    ...bumpBy(ROW, HB), ...bumpBy(ROW, HB), ...bumpBy(ROWI, HB), ...bumpBy(ROWI, HB),
    ...br(0), ...end, ...end,
  ];
}

/**
 * radix22(re, im, tw, half, s): stages s and 2s fused, as fft.ts's radix22Stage. tw holds per
 * pair of k: cos1 ×2, sin1 ×2, cos2 ×2, sin2 ×2 (w_s^k and w_2s^k for k and k + 1).
 */
function radix22Code(): number[] {
  const [RE, IM, TW, HALF, SS] = [0, 1, 2, 3, 4];
  const [PR, PI, T, KEND, ROWEND, HB, SB, DB, ROW, ROWI] = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const [C1, S1, C2, S2, BR, BI, DR, DI, A1R, A1I, B1R, B1I, C1R, C1I, D1R, D1I] = [
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
  ];
  const [XR, XI, YR0, YI0, AR, AI, CR, CI, REB, IMB, RED, IMD] = [
    31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42,
  ];
  // biome-ignore format: one statement per line
  return [
    ...shl(SS, 2), ...set(HB),
    ...shl(SS, 3), ...set(SB),
    ...get(SB), ...get(HB), ...i32Add, ...set(DB),
    ...get(RE), ...shl(HALF, 3), ...i32Add, ...set(ROWEND),
    ...get(RE), ...set(ROW), ...get(IM), ...set(ROWI),
    ...block, ...loop,
    ...get(ROW), ...get(ROWEND), ...i32GeU, ...brIf(1),
    ...get(ROW), ...set(PR), ...get(ROWI), ...set(PI), ...get(TW), ...set(T),
    ...get(ROW), ...get(HB), ...i32Add, ...set(KEND),
    ...block, ...loop,
    ...get(PR), ...get(KEND), ...i32GeU, ...brIf(1),
    ...get(T), ...v128Load(0), ...set(C1),
    ...get(T), ...v128Load(16), ...set(S1),
    ...get(T), ...v128Load(32), ...set(C2),
    ...get(T), ...v128Load(48), ...set(S2),
    ...addr(PR, HB), ...v128Load(), ...set(REB),
    ...addr(PI, HB), ...v128Load(), ...set(IMB),
    ...addr(PR, DB), ...v128Load(), ...set(RED),
    ...addr(PI, DB), ...v128Load(), ...set(IMD),
    // Stage s.
    ...mul(REB, C1), ...mul(IMB, S1), ...f64x2Sub, ...set(BR),
    ...mul(REB, S1), ...mul(IMB, C1), ...f64x2Add, ...set(BI),
    ...mul(RED, C1), ...mul(IMD, S1), ...f64x2Sub, ...set(DR),
    ...mul(RED, S1), ...mul(IMD, C1), ...f64x2Add, ...set(DI),
    ...get(PR), ...v128Load(), ...set(AR),
    ...get(PI), ...v128Load(), ...set(AI),
    ...addr(PR, SB), ...v128Load(), ...set(CR),
    ...addr(PI, SB), ...v128Load(), ...set(CI),
    ...get(AR), ...get(BR), ...f64x2Add, ...set(A1R),
    ...get(AI), ...get(BI), ...f64x2Add, ...set(A1I),
    ...get(AR), ...get(BR), ...f64x2Sub, ...set(B1R),
    ...get(AI), ...get(BI), ...f64x2Sub, ...set(B1I),
    ...get(CR), ...get(DR), ...f64x2Add, ...set(C1R),
    ...get(CI), ...get(DI), ...f64x2Add, ...set(C1I),
    ...get(CR), ...get(DR), ...f64x2Sub, ...set(D1R),
    ...get(CI), ...get(DI), ...f64x2Sub, ...set(D1I),
    // Stage 2s: c1·w2, and d1·w2 turned by -i.
    ...mul(C1R, C2), ...mul(C1I, S2), ...f64x2Sub, ...set(XR),
    ...mul(C1R, S2), ...mul(C1I, C2), ...f64x2Add, ...set(XI),
    ...mul(D1R, C2), ...mul(D1I, S2), ...f64x2Sub, ...set(YR0),
    ...mul(D1R, S2), ...mul(D1I, C2), ...f64x2Add, ...set(YI0),
    ...get(PR), ...get(A1R), ...get(XR), ...f64x2Add, ...v128Store(),
    ...get(PI), ...get(A1I), ...get(XI), ...f64x2Add, ...v128Store(),
    ...addr(PR, SB), ...get(A1R), ...get(XR), ...f64x2Sub, ...v128Store(),
    ...addr(PI, SB), ...get(A1I), ...get(XI), ...f64x2Sub, ...v128Store(),
    // re[b] = b1r + yi0, im[b] = b1i + (-yr0), re[d] = b1r - yi0, im[d] = b1i - (-yr0)
    ...addr(PR, HB), ...get(B1R), ...get(YI0), ...f64x2Add, ...v128Store(),
    ...addr(PI, HB), ...get(B1I), ...get(YR0), ...f64x2Sub, ...v128Store(),
    ...addr(PR, DB), ...get(B1R), ...get(YI0), ...f64x2Sub, ...v128Store(),
    ...addr(PI, DB), ...get(B1I), ...get(YR0), ...f64x2Add, ...v128Store(),
    ...bump(PR, 16), ...bump(PI, 16), ...bump(T, 64),
    ...br(0), ...end, ...end,
    ...bumpBy(ROW, SB), ...bumpBy(ROW, SB), ...bumpBy(ROWI, SB), ...bumpBy(ROWI, SB),
    ...br(0), ...end, ...end,
  ];
}

export type FftKernels = {
  memory: WasmMemory;
  radix2(re: number, im: number, tw: number, half: number, size: number): void;
  radix22(re: number, im: number, tw: number, half: number, s: number): void;
};

let kernels: FftKernels | null | undefined;

/** The kernels, or null where WebAssembly SIMD is missing. Built once, synchronously. */
export function fftKernels(): FftKernels | null {
  if (kernels !== undefined) return kernels;
  const exports = instantiate(
    assemble(1, [
      {
        name: 'radix2',
        params: 5,
        locals: [
          [8, I32],
          [8, V128],
        ],
        code: radix2Code(),
      },
      {
        name: 'radix22',
        params: 5,
        locals: [
          [10, I32],
          [28, V128],
        ],
        code: radix22Code(),
      },
    ]),
  );
  kernels = exports && {
    memory: exports.mem as WasmMemory,
    radix2: exports.radix2 as FftKernels['radix2'],
    radix22: exports.radix22 as FftKernels['radix22'],
  };
  return kernels;
}
