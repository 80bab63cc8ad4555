/**
 * `Sum` for the wasm backend that reduces leading axes as one XNNPACK matmul
 * with a row of ones.
 *
 * The stock wasm kernel only reduces innermost axes: any other reduction
 * first transposes the input with the generic (scalar) wasm `Transpose`. In
 * training, every bias and BatchNormalization gradient sums over the leading
 * (batch, time) axes — 18 such reductions per CNN+LSTM step. Summing the
 * leading axes of `x` viewed as `[outer, inner]` is `ones[1, outer] × x`,
 * which XNNPACK computes without the transpose. Other reductions (innermost
 * axes, all axes, non-float32) use the stock kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { disposeInfos, runWasmKernel } from "./wasm_ops.ts";

/**
 * Builds the kernel config around the stock wasm `Sum` (`stock`), whose
 * `setupFunc` it keeps so the backend still initialises it.
 */
export function createSumConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: {
    inputs: tf.NamedTensorInfoMap;
    backend: tf.KernelBackend;
    attrs?: tf.NamedAttrMap;
  }): tf.TensorInfo | tf.TensorInfo[] => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as {
      axis: number | number[];
      keepDims: boolean;
    };
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < rank &&
      axes.every((a, i) => a === i);
    const outer = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const inner = tf.util.sizeFromShape(x.shape.slice(axes.length));
    if (x.dtype !== "float32" || !leading || outer * inner === 0) {
      return stock.kernelFunc(args);
    }
    const backend = args.backend as BackendWasm;
    const owned: tf.TensorInfo[] = [];
    try {
      const ones = backend.makeOutput([1, 1, outer], "float32");
      owned.push(ones);
      backend.typedArrayFromHeap(ones).fill(1);
      const x3 = runWasmKernel(backend, "Reshape", { x }, {
        shape: [1, outer, inner],
      });
      owned.push(x3);
      const sum = runWasmKernel(backend, "BatchMatMul", { a: ones, b: x3 }, {
        transposeA: false,
        transposeB: false,
      });
      owned.push(sum);
      const kept = x.shape.slice(axes.length);
      return runWasmKernel(backend, "Reshape", { x: sum }, {
        shape: keepDims ? [...axes.map(() => 1), ...kept] : kept,
      });
    } finally {
      disposeInfos(backend, owned);
    }
  };
  return {
    kernelName: "Sum",
    backendName: "wasm",
    setupFunc: stock.setupFunc,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
