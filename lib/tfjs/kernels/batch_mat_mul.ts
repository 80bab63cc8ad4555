/**
 * `BatchMatMul` for the wasm backend on our own relaxed-SIMD matrix product
 * (`gemm` in `native/kernels.c`).
 *
 * The stock wasm kernel hands a product to XNNPACK only when neither operand
 * is transposed and both have batch 1, and runs every other form (every
 * matmul gradient: dA = dC·Bᵀ, dB = Aᵀ·dC) in a scalar C loop. `gemm` takes
 * transposes as strides, so all four forms run at the same speed, and its
 * fused multiply-adds run at about twice XNNPACK's wasm throughput on this
 * model's shapes (`deno task bench train --profile`). Batched products
 * whose batch shapes are equal, or where one operand has batch 1
 * (broadcast), run one product per batch; other broadcasts and non-float32
 * operands go to the stock kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { gemmPackFloats, heapOffset, nativeKernels } from "../native/native.ts";
import { disposeInfos } from "./wasm_ops.ts";
import { replaceStockKernel, type TrainingKernel } from "./kernel.ts";

/** Bytes per float32. */
const F32 = 4;

function batchOf(shape: number[]): number {
  return shape.slice(0, -2).reduce((p, d) => p * d, 1);
}

/** One matrix operand: its data and how it is stored. */
export interface GemmOperand {
  /** The tensor holding the matrices. */
  info: tf.TensorInfo;
  /** Floats to skip from the start of its data. */
  offset?: number;
  /** The matrix is stored transposed. */
  transpose: boolean;
}

/**
 * out = op(A)·op(B) for one product of `m × depth` by `depth × n`, writing
 * row-major into `out` from float `outOffset`. `pack` is a scratch tensor
 * of at least {@linkcode gemmPackFloats}`(n, depth)` floats.
 */
export function gemmInto(
  backend: BackendWasm,
  a: GemmOperand,
  b: GemmOperand,
  out: { info: tf.TensorInfo; offset?: number },
  dims: { m: number; n: number; depth: number },
  pack: tf.TensorInfo,
): void {
  const { m, n, depth } = dims;
  const [sam, sak] = a.transpose ? [1, m] : [depth, 1];
  const [sbk, sbn] = b.transpose ? [1, depth] : [n, 1];
  nativeKernels(backend).gemm(
    heapOffset(backend, a.info) + (a.offset ?? 0) * F32,
    sam,
    sak,
    heapOffset(backend, b.info) + (b.offset ?? 0) * F32,
    sbk,
    sbn,
    heapOffset(backend, out.info) + (out.offset ?? 0) * F32,
    m,
    n,
    depth,
    heapOffset(backend, pack),
  );
}

/**
 * `BatchMatMul` on `gemm`, in place of the stock wasm kernel, which runs the
 * forms this one does not take.
 */
export const batchMatMulKernel: TrainingKernel = replaceStockKernel<
  tf.BatchMatMulAttrs
>(tf.BatchMatMul, (args, stock) => {
  const { a, b } = args.inputs;
  const { transposeA = false, transposeB = false }: Partial<
    tf.BatchMatMulAttrs
  > = args.attrs ?? {};
  const batchA = batchOf(a.shape);
  const batchB = batchOf(b.shape);
  const sameBatch = a.shape.slice(0, -2).join() === b.shape.slice(0, -2).join();
  if (
    a.dtype !== "float32" || b.dtype !== "float32" ||
    !(sameBatch || batchA === 1 || batchB === 1)
  ) {
    return stock();
  }
  const { backend } = args;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = a.shape[transposeA ? ra - 1 : ra - 2];
  const depth = a.shape[transposeA ? ra - 2 : ra - 1];
  const depthB = b.shape[transposeB ? rb - 1 : rb - 2];
  const n = b.shape[transposeB ? rb - 2 : rb - 1];
  if (depth !== depthB) {
    throw new Error(
      `BatchMatMul (wasm): inner dimensions differ, [${a.shape}] and [${b.shape}] (transposeA=${transposeA}, transposeB=${transposeB})`,
    );
  }
  const batchShape = batchA >= batchB
    ? a.shape.slice(0, -2)
    : b.shape.slice(0, -2);
  const out = backend.makeOutput([...batchShape, m, n], "float32");
  const pack = backend.makeOutput([gemmPackFloats(n, depth)], "float32");
  try {
    for (let i = 0; i < Math.max(batchA, batchB); i++) {
      gemmInto(
        backend,
        {
          info: a,
          offset: batchA > 1 ? i * m * depth : 0,
          transpose: transposeA,
        },
        {
          info: b,
          offset: batchB > 1 ? i * depth * n : 0,
          transpose: transposeB,
        },
        { info: out, offset: i * m * n },
        { m, n, depth },
        pack,
      );
    }
  } finally {
    disposeInfos(backend, [pack]);
  }
  return out;
});
