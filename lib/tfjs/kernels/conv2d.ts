/**
 * `Conv2D`, `Conv2DBackpropFilter` (missing in TF.js 4.22's wasm backend,
 * tfjs #8474) and `Conv2DBackpropInput` (a scalar C loop there) for the wasm
 * backend, each one matrix product on our relaxed-SIMD `gemm` around the
 * unfolded input (`im2col` in `native/kernels.c`), which covers every
 * stride, dilation and padding:
 *
 *   cols = im2col(x)            [B·OH·OW, KH·KW·Ci]
 *   y    = cols · W             W as [KH·KW·Ci, Co] (its stored layout)
 *   dW   = colsᵀ · dy           dy as [B·OH·OW, Co]
 *   dx   = col2im(dy · Wᵀ)      col2im sums each unfolded copy back
 *
 * Only NHWC float32 is supported, as in the stock wasm kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { gemmInto } from "./batch_mat_mul.ts";
import {
  gemmPackFloats,
  heapOffset,
  nativeKernels,
  windowOf,
} from "../native/native.ts";
import { disposeInfos } from "./wasm_ops.ts";
import { type KernelArgs, type TrainingKernel, wasmKernel } from "./kernel.ts";

/**
 * Attributes of `Conv2DBackpropFilter`: TF.js's, plus the forward
 * convolution's dilations (TF.js's conv gradients require 1 and pass none;
 * accepted so the kernel is complete).
 */
export type Conv2DBackpropFilterAttrs = tf.Conv2DBackpropFilterAttrs & {
  dilations?: tf.Conv2DAttrs["dilations"];
};

type Shape4 = [number, number, number, number];

/** A convolution's geometry and the sizes of its unfolded product. */
interface Geometry {
  /** TF.js's convolution geometry. */
  info: tf.backend_util.Conv2DInfo;
  /** Rows of the unfolded input: B·OH·OW. */
  rows: number;
  /** Columns of the unfolded input (filter taps × channels): KH·KW·Ci. */
  taps: number;
}

/** Checks layout and dtypes, then returns the convolution's geometry. */
function geometry(
  kernel: string,
  operands: Record<string, tf.TensorInfo>,
  attrs: Omit<tf.Conv2DAttrs, "dilations"> & {
    dilations?: tf.Conv2DAttrs["dilations"];
  },
  inputShape: Shape4,
  filterShape: Shape4,
): Geometry {
  if (attrs.dataFormat !== "NHWC") {
    throw new Error(
      `${kernel} (wasm): dataFormat '${attrs.dataFormat}' is not supported, only 'NHWC'`,
    );
  }
  const bad = Object.entries(operands).filter(([, t]) => t.dtype !== "float32");
  if (bad.length > 0) {
    throw new Error(
      `${kernel} (wasm): operands must be float32, got ${
        bad.map(([name, t]) => `${name} ${t.dtype}`).join(", ")
      }`,
    );
  }
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    "channelsLast",
  );
  return {
    info,
    rows: info.batchSize * info.outHeight * info.outWidth,
    taps: info.filterHeight * info.filterWidth * info.inChannels,
  };
}

/**
 * Runs `fn` with the unfolded input `cols` [B·OH·OW, KH·KW·Ci] (computed by
 * `im2col` from `x` when given, else left for `fn` to fill) and a `gemm`
 * pack scratch for products with `n` columns and `depth` inner size; both
 * are freed afterwards.
 */
function withCols<T>(
  backend: BackendWasm,
  { info, rows, taps }: Geometry,
  x: tf.TensorInfo | null,
  pack: { n: number; depth: number },
  fn: (cols: tf.TensorInfo, scratch: tf.TensorInfo) => T,
): T {
  const cols = backend.makeOutput([rows, taps], "float32");
  const scratch = backend.makeOutput(
    [gemmPackFloats(pack.n, pack.depth)],
    "float32",
  );
  try {
    if (x) {
      nativeKernels(backend).im2col(
        heapOffset(backend, x),
        heapOffset(backend, cols),
        ...windowOf(info),
      );
    }
    return fn(cols, scratch);
  } finally {
    disposeInfos(backend, [cols, scratch]);
  }
}

/**
 * out = cols·B (`transposeCols` false: the convolution, B the filter as
 * [KH·KW·Ci, Co]) or colsᵀ·B (true: the filter gradient, B = dy as
 * [B·OH·OW, Co]), with cols = im2col(x).
 */
function unfoldedProduct(
  backend: BackendWasm,
  conv: Geometry,
  x: tf.TensorInfo,
  transposeCols: boolean,
  b: tf.TensorInfo,
  out: tf.TensorInfo,
): void {
  const n = b.shape[b.shape.length - 1];
  const [m, depth] = transposeCols
    ? [conv.taps, conv.rows]
    : [conv.rows, conv.taps];
  withCols(backend, conv, x, { n, depth }, (cols, scratch) =>
    gemmInto(
      backend,
      { info: cols, transpose: transposeCols },
      { info: b, transpose: false },
      { info: out },
      { m, n, depth },
      scratch,
    ));
}

function conv2D(args: KernelArgs<tf.Conv2DAttrs>): tf.TensorInfo {
  const { backend, attrs } = args;
  const { x, filter } = args.inputs;
  const conv = geometry(
    tf.Conv2D,
    { x, filter },
    attrs,
    x.shape as Shape4,
    filter.shape as Shape4,
  );
  const y = backend.makeOutput(conv.info.outShape, "float32");
  unfoldedProduct(backend, conv, x, false, filter, y);
  return y;
}

function conv2DBackpropFilter(
  args: KernelArgs<Conv2DBackpropFilterAttrs>,
): tf.TensorInfo {
  const { backend, attrs } = args;
  const { x, dy } = args.inputs;
  const conv = geometry(
    tf.Conv2DBackpropFilter,
    { x, dy },
    attrs,
    x.shape as Shape4,
    attrs.filterShape,
  );
  const expected = conv.info.outShape;
  if (dy.shape.join() !== expected.join()) {
    throw new Error(
      `Conv2DBackpropFilter (wasm): dy shape [${dy.shape}] does not match the expected [${expected}]`,
    );
  }
  const dw = backend.makeOutput(attrs.filterShape, "float32");
  unfoldedProduct(backend, conv, x, true, dy, dw);
  return dw;
}

function conv2DBackpropInput(
  args: KernelArgs<tf.Conv2DBackpropInputAttrs>,
): tf.TensorInfo {
  const { backend, attrs } = args;
  const { dy, filter } = args.inputs;
  const conv = geometry(
    tf.Conv2DBackpropInput,
    { dy, filter },
    attrs,
    attrs.inputShape,
    filter.shape as Shape4,
  );
  const { info, rows, taps } = conv;
  const dx = backend.makeOutput(attrs.inputShape, "float32");
  withCols(
    backend,
    conv,
    null,
    { n: taps, depth: info.outChannels },
    (cols, s) => {
      gemmInto(
        backend,
        { info: dy, transpose: false },
        { info: filter, transpose: true },
        { info: cols },
        { m: rows, n: taps, depth: info.outChannels },
        s,
      );
      nativeKernels(backend).col2im(
        heapOffset(backend, cols),
        heapOffset(backend, dx),
        ...windowOf(info),
      );
    },
  );
  return dx;
}

/** `Conv2D` as one `gemm` over the unfolded input (replaces the stock kernel). */
export const conv2DKernel: TrainingKernel = wasmKernel(tf.Conv2D, conv2D);

/** `Conv2DBackpropFilter`, which TF.js 4.22's wasm backend lacks. */
export const conv2DBackpropFilterKernel: TrainingKernel = wasmKernel(
  tf.Conv2DBackpropFilter,
  conv2DBackpropFilter,
);

/** `Conv2DBackpropInput` (replaces the stock kernel, a scalar C loop). */
export const conv2DBackpropInputKernel: TrainingKernel = wasmKernel(
  tf.Conv2DBackpropInput,
  conv2DBackpropInput,
);
