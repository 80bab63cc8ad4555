/**
 * `Sum` and `Mean` for the wasm backend that reduce leading axes with one
 * XNNPACK average pooling.
 *
 * The stock wasm kernels only reduce innermost axes: any other reduction
 * first transposes the input with the generic (scalar) wasm `Transpose`. In
 * training, every bias and BatchNormalization gradient, and the
 * BatchNormalization moments, reduce over the leading (batch, time) axes —
 * 24 such reductions per CNN+LSTM step. Viewing `x` as an image
 * `[1, outer, 1, inner]` (NHWC), the mean over the leading axes is one average
 * pooling with an `[outer, 1]` window (vectorised over the `inner` channels,
 * nothing to pack), and the sum is that mean times `outer`. (A matmul with a
 * row of ones is no faster: XNNPACK packs the fresh right operand each call.)
 * Other reductions (innermost axes, all axes, windows of 1, non-float32) use
 * the stock kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { disposeInfos, runWasmKernel } from "./wasm_ops.ts";

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
    if (x.dtype !== "float32" || !leading || outer < 2 || inner === 0) {
      return stock.kernelFunc(args);
    }
    const backend = args.backend as BackendWasm;
    const owned: tf.TensorInfo[] = [];
    try {
      const image = runWasmKernel(backend, "Reshape", { x }, {
        shape: [1, outer, 1, inner],
      });
      owned.push(image);
      let result = runWasmKernel(backend, "AvgPool", { x: image }, {
        filterSize: [outer, 1],
        strides: [1, 1],
        pad: "valid",
      });
      owned.push(result);
      if (name === "Sum") {
        const count = backend.makeOutput([], "float32");
        owned.push(count);
        backend.typedArrayFromHeap(count).fill(outer);
        result = runWasmKernel(backend, "Multiply", { a: result, b: count });
        owned.push(result);
      }
      const kept = x.shape.slice(axes.length);
      return runWasmKernel(backend, "Reshape", { x: result }, {
        shape: keepDims ? [...axes.map(() => 1), ...kept] : kept,
      });
    } finally {
      disposeInfos(backend, owned);
    }
  };
  return {
    kernelName: name,
    backendName: "wasm",
    setupFunc: stock.setupFunc,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
