/**
 * `MaxPoolGrad` for the wasm backend. TF.js 4.22's wasm kernel starts its
 * running maximum at `std::numeric_limits<float>::min()` (the smallest
 * *positive* float), so a window whose values are all ≤ 0 gets no gradient
 * (or sends it to the wrong element): on random inputs 74–83 % of the
 * gradient is wrong compared with the cpu kernel. This replacement follows
 * the cpu kernel: each window's gradient goes to its first maximum.
 *
 * One C loop (`native/kernels.c`) on the backend's heap: dx is zeroed, then
 * each window's dy is added at the window's first maximum (row-major over the
 * window, positions in the padding skipped).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { heapOffset, nativeKernels, windowOf } from "../native/native.ts";
import { type KernelArgs, type TrainingKernel, wasmKernel } from "./kernel.ts";

function maxPoolGrad(args: KernelArgs<tf.MaxPoolGradAttrs>): tf.TensorInfo {
  const { backend } = args;
  // The forward `output` is not used: the wasm MaxPool returns garbage for
  // windows that lie wholly in explicit padding, so the maxima are recomputed.
  const { dy, input } = args.inputs;
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs;
  if (input.dtype !== "float32" || dy.dtype !== "float32") {
    throw new Error(
      `MaxPoolGrad (wasm): input and dy must be float32, got ${input.dtype} and ${dy.dtype}`,
    );
  }
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const dx = backend.makeOutput(input.shape, "float32");
  nativeKernels(backend).max_pool_grad(
    heapOffset(backend, input),
    heapOffset(backend, dy),
    heapOffset(backend, dx),
    ...windowOf(info),
  );
  return dx;
}

/** `MaxPoolGrad` in one C pass (replaces the stock kernel). */
export const maxPoolGradKernel: TrainingKernel = wasmKernel(
  tf.MaxPoolGrad,
  maxPoolGrad,
);
