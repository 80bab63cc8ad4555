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
import { heapOffset, nativeKernels } from "../native/native.ts";
import { replaceStockKernel, type TrainingKernel } from "./kernel.ts";

/**
 * `name` (`Sum` or `Mean`) reducing leading axes with `column_sums`, in
 * place of the stock wasm kernel, which runs every other reduction.
 */
function leadingReduce(name: typeof tf.Sum | typeof tf.Mean): TrainingKernel {
  return replaceStockKernel<tf.SumAttrs>(name, (args, stock) => {
    const { x } = args.inputs;
    const { axis, keepDims } = args.attrs;
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < rank &&
      axes.every((a, i) => a === i);
    const outer = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const inner = tf.util.sizeFromShape(x.shape.slice(axes.length));
    if (x.dtype !== "float32" || !leading || inner === 0) return stock();
    const { backend } = args;
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
      name === tf.Mean ? 1 / outer : 1,
    );
    return out;
  });
}

/** `Sum` over leading axes as column sums. */
export const sumKernel: TrainingKernel = leadingReduce(tf.Sum);

/** `Mean` over leading axes as column sums times `1 / outer`. */
export const meanKernel: TrainingKernel = leadingReduce(tf.Mean);
