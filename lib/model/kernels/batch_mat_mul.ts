/**
 * `BatchMatMul` for the wasm backend that keeps transposed products on
 * XNNPACK.
 *
 * The stock wasm kernel hands a product to XNNPACK only when neither operand
 * is transposed and both have batch 1; every other form runs a scalar C loop.
 * Training needs the transposed forms in every matmul gradient
 * (dA = dC·Bᵀ, dB = Aᵀ·dC), where the scalar loop took over half the step time
 * of our CNN+LSTM. This kernel transposes the flagged operand explicitly with
 * the wasm `Transpose` kernel and calls the stock kernel untransposed, so
 * XNNPACK does the arithmetic; when it moves less data it computes the
 * transposed product C = (op(B)ᵀ·op(A)ᵀ)ᵀ instead. It also guards the stock
 * kernel's XNNPACK weight cache, which is keyed by tensor id only: a tensor
 * reshaped and used as the right operand in two shapes (same id) aborted the
 * wasm runtime. Batched (batch > 1) products go to the stock
 * kernel unchanged.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { disposeInfos, runWasmKernel } from "./wasm_ops.ts";

/** [K, N] each data id was last packed as XNNPACK weights with. */
const packedShapes = new WeakMap<object, string>();

function batchOf(shape: number[]): number {
  return shape.slice(0, -2).reduce((p, d) => p * d, 1);
}

function swapLastTwo(
  backend: BackendWasm,
  x: tf.TensorInfo,
): tf.TensorInfo {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return runWasmKernel(backend, "Transpose", { x }, { perm });
}

/**
 * Builds the kernel config around the stock wasm `BatchMatMul` (`stock`),
 * whose `setupFunc` it keeps so the backend still initialises it.
 */
export function createBatchMatMulConfig(
  stock: tf.KernelConfig,
): tf.KernelConfig {
  const kernelFunc = (args: {
    inputs: tf.NamedTensorInfoMap;
    backend: tf.KernelBackend;
    attrs?: tf.NamedAttrMap;
  }): tf.TensorInfo | tf.TensorInfo[] => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = (args.attrs ?? {}) as {
      transposeA?: boolean;
      transposeB?: boolean;
    };
    if (batchOf(a.shape) !== 1 || batchOf(b.shape) !== 1) {
      return stock.kernelFunc(args);
    }
    const backend = args.backend as BackendWasm;
    const sizeA = tf.util.sizeFromShape(a.shape);
    const sizeB = tf.util.sizeFromShape(b.shape);
    const rows = a.shape[a.shape.length - (transposeA ? 1 : 2)];
    const cols = b.shape[b.shape.length - (transposeB ? 2 : 1)];
    // Elements moved (transposes + XNNPACK packing the right operand):
    // direct C = op(A)·op(B), or swapped C = (op(B)ᵀ·op(A)ᵀ)ᵀ.
    const direct = (transposeA ? sizeA : 0) + (transposeB ? sizeB : 0) + sizeB;
    const swapped = (transposeB ? 0 : sizeB) + (transposeA ? 0 : sizeA) +
      sizeA + rows * cols;
    const owned: tf.TensorInfo[] = [];
    const plain = (x: tf.TensorInfo, transpose: boolean): tf.TensorInfo => {
      if (!transpose) return x;
      const t = swapLastTwo(backend, x);
      owned.push(t);
      return t;
    };
    // XNNPACK caches the packed right operand by tensor id, not shape, and a
    // reshape shares the id: an id already packed in another [K, N] (which
    // aborts the wasm runtime or gives wrong numbers) is passed as a copy.
    const weights = (x: tf.TensorInfo): tf.TensorInfo => {
      const kn = x.shape.slice(-2).join("x");
      const seen = packedShapes.get(x.dataId);
      if (seen === undefined) packedShapes.set(x.dataId, kn);
      if (seen === undefined || seen === kn) return x;
      const copy = runWasmKernel(backend, "Identity", { x });
      owned.push(copy);
      return copy;
    };
    try {
      if (direct <= swapped) {
        return stock.kernelFunc({
          inputs: {
            a: plain(a, !!transposeA),
            b: weights(plain(b, !!transposeB)),
          },
          backend,
          attrs: { ...args.attrs, transposeA: false, transposeB: false },
        });
      }
      const ct = stock.kernelFunc({
        inputs: { a: plain(b, !transposeB), b: weights(plain(a, !transposeA)) },
        backend,
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      }) as tf.TensorInfo;
      owned.push(ct);
      return swapLastTwo(backend, ct);
    } finally {
      disposeInfos(backend, owned);
    }
  };
  return {
    kernelName: "BatchMatMul",
    backendName: "wasm",
    setupFunc: stock.setupFunc,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
