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
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapOffset, nativeKernels, windowOf } from "../native/native.ts";

/** Attributes of `MaxPoolGrad` (TF.js). */
export interface MaxPoolGradAttrs {
  /** Pool window `[fh, fw]` or one number. */
  filterSize: [number, number] | number;
  /** Strides `[sh, sw]` or one number. */
  strides: [number, number] | number;
  /** `same`, `valid`, a number, or explicit paddings. */
  pad: "same" | "valid" | number | tf.backend_util.ExplicitPadding;
  /** Rounding of the output size for numeric `pad`. */
  dimRoundingMode?: "floor" | "round" | "ceil";
}

function maxPoolGrad(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  // The forward `output` is not used: the wasm MaxPool returns garbage for
  // windows that lie wholly in explicit padding, so the maxima are recomputed.
  const { dy, input } = args.inputs as {
    dy: tf.TensorInfo;
    input: tf.TensorInfo;
  };
  const { filterSize, strides, pad, dimRoundingMode } = args
    .attrs as unknown as MaxPoolGradAttrs;
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

/** Kernel config registering {@linkcode maxPoolGrad} for `wasm`. */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: "MaxPoolGrad",
  backendName: "wasm",
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
