/**
 * `Slice`, `SplitV` and `Unpack` for the wasm backend that copy only the
 * sliced bytes.
 *
 * The stock wasm kernels (JavaScript) read the input with `readSync`, which
 * copies the WHOLE input out of the wasm heap for every slice: unstacking a
 * `[32, 32, 512]` tensor into 32 steps copied 64 MB, and a gate split copies
 * its input four times. These kernels read the input through a heap view
 * instead, and copy the slice as contiguous runs (`TypedArray.set`, a native
 * memcpy per run; the runs span every trailing axis the slice keeps whole).
 * String tensors use the stock kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { replaceStockKernel, type TrainingKernel } from "./kernel.ts";

/** Copies `x[begin : begin + size]` into a new tensor of `backend`. */
function sliceInfo(
  backend: BackendWasm,
  x: tf.TensorInfo,
  begin: number[],
  size: number[],
): tf.TensorInfo {
  // Allocate first: a heap growth would detach views taken before it.
  const out = backend.makeOutput(size, x.dtype);
  const total = tf.util.sizeFromShape(size);
  if (total === 0) return out;
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const shape = x.shape;
  const rank = shape.length;
  const strides = [...tf.util.computeStrides(shape), 1];
  // Runs cover axes d.. where every axis after d is taken whole.
  let d = rank - 1;
  while (d > 0 && size[d] === shape[d]) d--;
  const run = d < 0 ? total : size[d] * strides[d];
  const outer = size.slice(0, d);
  const index = new Array(outer.length).fill(0);
  const runs = total / run;
  for (let k = 0, at = 0; k < runs; k++, at += run) {
    let offset = d >= 0 ? begin[d] * strides[d] : 0;
    for (let j = 0; j < outer.length; j++) {
      offset += (begin[j] + index[j]) * strides[j];
    }
    dst.set(src.subarray(offset, offset + run), at);
    for (let j = outer.length - 1; j >= 0; j--) {
      if (++index[j] < outer[j]) break;
      index[j] = 0;
    }
  }
  return out;
}

/** `Slice` copying only the slice, in place of the stock wasm kernel. */
export const sliceKernel: TrainingKernel = replaceStockKernel<tf.SliceAttrs>(
  tf.Slice,
  (args, stock) => {
    const { x } = args.inputs;
    if (x.dtype === "string") return stock();
    const [begin, size] = tf.slice_util.parseSliceParams(
      x as tf.Tensor,
      args.attrs.begin,
      args.attrs.size,
    );
    return sliceInfo(args.backend, x, begin, size);
  },
);

/** `SplitV` copying only each part, in place of the stock wasm kernel. */
export const splitVKernel: TrainingKernel = replaceStockKernel<
  tf.SplitVAttrs
>(tf.SplitV, (args, stock) => {
  const { x } = args.inputs;
  if (x.dtype === "string") return stock();
  const { numOrSizeSplits, axis } = args.attrs;
  const $axis = tf.util.parseAxisParam(axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(
    x as tf.Tensor,
    numOrSizeSplits,
    $axis,
  );
  const begin = new Array(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = x.shape.slice();
    size[$axis] = s;
    const out = sliceInfo(args.backend, x, begin, size);
    begin[$axis] += s;
    return out;
  });
});

/** `Unpack` copying only each part, in place of the stock wasm kernel. */
export const unpackKernel: TrainingKernel = replaceStockKernel<
  tf.UnpackAttrs
>(tf.Unpack, (args, stock) => {
  const { value } = args.inputs;
  if (value.dtype === "string") return stock();
  const rank = value.shape.length;
  let { axis } = args.attrs;
  if (axis < 0) axis += rank;
  const outShape = value.shape.filter((_, i) => i !== axis);
  const begin = new Array(rank).fill(0);
  const size = value.shape.slice();
  size[axis] = 1;
  return Array.from({ length: value.shape[axis] }, (_, i) => {
    begin[axis] = i;
    const out = sliceInfo(args.backend, value, begin, size);
    return { ...out, shape: outShape };
  });
});
