/**
 * `Sum` and `Mean` for the wasm backend that reduce leading axes with one C
 * pass (`column_sums` in `native/kernels.c`, also the LSTM's bias gradient).
 *
 * The stock wasm kernels only reduce innermost axes: any other reduction
 * first transposes the input with the generic (scalar) wasm `Transpose`. In
 * training with the stock layers, every bias and BatchNormalization gradient,
 * and the BatchNormalization moments, reduce over the leading (batch, time)
 * axes. Viewing `x` as a matrix `[outer, inner]`, the sum over the leading
 * axes is its column sums, and the mean those times `1 / outer`. Other
 * reductions (innermost axes, all axes, non-float32) use the stock kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapOffset, nativeKernels } from "../native/native.ts";

type ReduceName = "Sum" | "Mean";

/**
 * Builds the kernel config of `name` around the stock wasm kernel (`stock`),
 * whose `setupFunc` it keeps so the backend still initialises it.
 */
export function createLeadingReduceConfig(
  name: ReduceName,
  stock: tf.KernelConfig,
): tf.KernelConfig {
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
    if (x.dtype !== "float32" || !leading || inner === 0) {
      return stock.kernelFunc(args);
    }
    const backend = args.backend as BackendWasm;
    const kept = x.shape.slice(axes.length);
    const out = backend.makeOutput(
      keepDims ? [...axes.map(() => 1), ...kept] : kept,
      "float32",
    );
    nativeKernels(backend).column_sums(
      heapOffset(backend, x),
      heapOffset(backend, out),
      outer,
      inner,
      name === "Mean" ? 1 / outer : 1,
    );
    return out;
  };
  return {
    kernelName: name,
    backendName: "wasm",
    setupFunc: stock.setupFunc,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
