/**
 * The C training kernels of `kernels.c`, instantiated on the TF.js wasm
 * backend's own heap: the module imports the backend's `WebAssembly.Memory`,
 * so a kernel reads and writes tensors in place through their heap offsets,
 * with no copies. Its stack lives in a block reserved with the backend's
 * `malloc`, and it has no static data (checked when it is built), so it
 * never touches memory the backend did not give it.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { NATIVE_KERNELS_WASM_BASE64 } from "./kernels_wasm.ts";

/** Bytes of the stack block reserved for the C kernels. */
const STACK_BYTES = 64 * 1024;

/**
 * The C kernels; pointers are byte offsets into the backend's heap (see
 * {@linkcode heapOffset}), `0` for an absent optional operand. The parameter
 * lists mirror `kernels.c`, which documents each function.
 */
export interface NativeKernels {
  /** The LSTM forward recurrence over all steps. */
  lstm_forward(
    proj: number,
    bias: number,
    rpack: number,
    rec: number,
    hstep: number,
    act: number,
    der: number,
    c: number,
    tc: number,
    hseq: number,
    batch: number,
    steps: number,
    units: number,
    hard: number,
  ): void;
  /** Backpropagation through time over all steps. */
  lstm_backward(
    dout: number,
    sequences: number,
    rtpack: number,
    dhrec: number,
    dzstep: number,
    carry: number,
    act: number,
    der: number,
    tc: number,
    c: number,
    dzall: number,
    batch: number,
    steps: number,
    units: number,
  ): void;
  /** out[b, t] = x[b, t − 1], zero at t = 0. */
  shift_steps(
    x: number,
    out: number,
    batch: number,
    steps: number,
    n: number,
  ): void;
  /** Column sums of a row-major matrix, times `scale`. */
  column_sums(
    x: number,
    out: number,
    rows: number,
    cols: number,
    scale: number,
  ): void;
  /**
   * C = A·B, row-major C [m, n]; A(i, k) at a + 4·(i·sam + k·sak), B(k, j)
   * at b + 4·(k·sbk + j·sbn); `pack` is scratch of
   * {@linkcode gemmPackFloats} floats.
   */
  gemm(
    a: number,
    sam: number,
    sak: number,
    b: number,
    sbk: number,
    sbn: number,
    c: number,
    m: number,
    n: number,
    depth: number,
    pack: number,
  ): void;
  /** Packs B (element (k, j) at b + 4·(k·sbk + j·sbn)) into gemm panels. */
  pack_b(
    b: number,
    sbk: number,
    sbn: number,
    depth: number,
    n: number,
    pack: number,
  ): void;
  /** Batch statistics and normalisation of x [rows, channels]. */
  batch_norm_forward(
    x: number,
    gamma: number,
    beta: number,
    y: number,
    mean: number,
    variance: number,
    scale: number,
    rows: number,
    channels: number,
    eps: number,
  ): void;
  /** Gradient of `batch_norm_forward`'s y w.r.t. x, gamma and beta. */
  batch_norm_backward(
    dy: number,
    x: number,
    mean: number,
    variance: number,
    gamma: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    rstd: number,
    rows: number,
    channels: number,
    eps: number,
  ): void;
  /** Max-pool gradient, each window's dy to its first maximum. */
  max_pool_grad(x: number, dy: number, dx: number, ...window: Window): void;
  /** Unfolds NHWC x into the rows of a convolution's matrix product. */
  im2col(x: number, cols: number, ...window: Window): void;
  /** The adjoint of `im2col`: sums cols back into NHWC dx. */
  col2im(cols: number, dx: number, ...window: Window): void;
}

/**
 * A 2-D window over NHWC input as the C kernels take it: batch, height,
 * width, channels, out height, out width, filter height, filter width,
 * strides (2), dilations (2), padding top and left.
 */
export type Window = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

/** The {@linkcode Window} of a TF.js convolution or pooling geometry. */
export function windowOf(
  info: tf.backend_util.Conv2DInfo,
): Window {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

/** The Emscripten module behind a wasm backend, as far as we use it. */
interface EmscriptenModule {
  asm: { memory: WebAssembly.Memory };
  _malloc(bytes: number): number;
}

const instances = new WeakMap<object, NativeKernels>();

/**
 * The C kernels bound to `backend`'s heap (instantiated once per backend).
 *
 * @throws Error when the backend does not expose its memory.
 */
export function nativeKernels(backend: BackendWasm): NativeKernels {
  const module = backend.wasm as unknown as EmscriptenModule;
  const cached = instances.get(module);
  if (cached) return cached;
  const memory = module.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new Error(
      "native wasm kernels: the TF.js wasm backend does not expose its memory",
    );
  }
  const bytes = Uint8Array.from(
    atob(NATIVE_KERNELS_WASM_BASE64),
    (c) => c.charCodeAt(0),
  );
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: { memory },
  });
  const exports = instance.exports as unknown as
    & NativeKernels
    & { __stack_pointer: WebAssembly.Global };
  const stack = module._malloc(STACK_BYTES);
  if (!stack) throw new Error("native wasm kernels: no heap for their stack");
  // The stack grows down from the (16-byte aligned) end of the block.
  exports.__stack_pointer.value = (stack + STACK_BYTES) & ~15;
  instances.set(module, exports);
  return exports;
}

/** Byte offset of a tensor's data in the wasm backend's heap. */
export function heapOffset(backend: BackendWasm, info: tf.TensorInfo): number {
  return backend.dataIdMap.get(info.dataId)!.memoryOffset;
}

/**
 * Floats of the `pack` scratch that `gemm` needs for `n` columns (B's
 * panels, then 4 rows of A); `pack_b` uses the first part.
 */
export function gemmPackFloats(n: number, depth: number): number {
  return (Math.ceil(n / 8) * 8 + 4) * depth;
}
