/**
 * The ABI of `kernels.c`, stated once: every C function the TypeScript
 * kernels call, with its parameters in order. The wasm build exports exactly
 * these (`lib/cli/build_wasm.ts`), `native.ts` types and binds them, and
 * `tests/tfjs/abi_test.ts` checks the C definitions and the committed binary
 * against this table. `kernels.c` documents what each function computes.
 *
 * A parameter is `"<name>: <kind>"`, its name as in the C source; kinds:
 * `ptr` a byte offset into the TF.js heap (`const float *` or `float *`; `0`
 * for an absent optional operand), `int` a C `int`, `float` a C `float`.
 *
 * @module
 */

/** The C type of a parameter (see the module documentation). */
export type ParamKind = "ptr" | "int" | "float";

/** One parameter: `"<name>: <kind>"`. */
export type Param = `${string}: ${ParamKind}`;

/**
 * A 2-D window over NHWC input, as the window kernels take it (`kernels.c`'s
 * `WINDOW_PARAMS`): batch, height, width, channels, out height, out width,
 * filter height, filter width, strides, dilations, padding top and left.
 */
export const WINDOW_PARAMS = [
  "batch: int",
  "height: int",
  "width: int",
  "channels: int",
  "out_height: int",
  "out_width: int",
  "filter_height: int",
  "filter_width: int",
  "stride_height: int",
  "stride_width: int",
  "dilation_height: int",
  "dilation_width: int",
  "pad_top: int",
  "pad_left: int",
] as const satisfies readonly Param[];

/** The exported C functions and their parameters, in order. */
export const NATIVE_ABI = {
  /** The LSTM forward recurrence over all steps. */
  lstm_forward: [
    "proj: ptr",
    "bias: ptr",
    "rpack: ptr",
    "rec: ptr",
    "hstep: ptr",
    "act: ptr",
    "der: ptr",
    "c: ptr",
    "tc: ptr",
    "hseq: ptr",
    "batch: int",
    "steps: int",
    "units: int",
    "hard: int",
  ],
  /** Backpropagation through time over all steps. */
  lstm_backward: [
    "dout: ptr",
    "sequences: int",
    "rtpack: ptr",
    "dhrec: ptr",
    "dzstep: ptr",
    "carry: ptr",
    "act: ptr",
    "der: ptr",
    "tc: ptr",
    "c: ptr",
    "dzall: ptr",
    "batch: int",
    "steps: int",
    "units: int",
  ],
  /** out[b, t] = x[b, t − 1], zero at t = 0. */
  shift_steps: ["x: ptr", "out: ptr", "batch: int", "steps: int", "n: int"],
  /** Column sums of a row-major matrix, times `scale`. */
  column_sums: [
    "x: ptr",
    "out: ptr",
    "rows: int",
    "cols: int",
    "scale: float",
  ],
  /** Max-pool gradient, each window's dy to its first maximum. */
  max_pool_grad: ["x: ptr", "dy: ptr", "dx: ptr", ...WINDOW_PARAMS],
  /**
   * C = A·B, row-major C [m, n]; A(i, k) at a + 4·(i·sam + k·sak), B(k, j)
   * at b + 4·(k·sbk + j·sbn); `pack` is scratch of `gemmPackFloats(n,
   * depth)` floats.
   */
  gemm: [
    "a: ptr",
    "sam: int",
    "sak: int",
    "b: ptr",
    "sbk: int",
    "sbn: int",
    "c: ptr",
    "m: int",
    "n: int",
    "depth: int",
    "pack: ptr",
  ],
  /** Packs B (element (k, j) at b + 4·(k·sbk + j·sbn)) into gemm panels. */
  pack_b: [
    "b: ptr",
    "sbk: int",
    "sbn: int",
    "depth: int",
    "n: int",
    "pack: ptr",
  ],
  /** Unfolds NHWC x into the rows of a convolution's matrix product. */
  im2col: ["x: ptr", "cols: ptr", ...WINDOW_PARAMS],
  /** The adjoint of `im2col`: sums cols back into NHWC dx. */
  col2im: ["cols: ptr", "dx: ptr", ...WINDOW_PARAMS],
  /** Batch statistics and normalisation of x [rows, channels]. */
  batch_norm_forward: [
    "x: ptr",
    "gamma: ptr",
    "beta: ptr",
    "y: ptr",
    "mean: ptr",
    "variance: ptr",
    "scale: ptr",
    "rows: int",
    "channels: int",
    "eps: float",
  ],
  /** Gradient of `batch_norm_forward`'s y w.r.t. x, gamma and beta. */
  batch_norm_backward: [
    "dy: ptr",
    "x: ptr",
    "mean: ptr",
    "variance: ptr",
    "gamma: ptr",
    "dx: ptr",
    "dgamma: ptr",
    "dbeta: ptr",
    "rstd: ptr",
    "rows: int",
    "channels: int",
    "eps: float",
  ],
} as const satisfies Record<string, readonly Param[]>;

/**
 * The global the module exports besides its functions: its stack pointer,
 * which `native.ts` sets to a block it reserves on the TF.js heap.
 */
export const STACK_POINTER = "__stack_pointer";
