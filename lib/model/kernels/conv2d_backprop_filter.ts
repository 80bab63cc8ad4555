/**
 * `Conv2DBackpropFilter` for the wasm backend (missing in TF.js 4.22,
 * tfjs #8474), the filter gradient of every Conv1D/Conv2D layer.
 *
 * For each kernel tap (kh, kw) (see `taps.ts`):
 *   dW[kh, kw, :, :] = Σ_{b,oh,ow} x[b, oh·sh + kh·dh − top, ow·sw + kw·dw − left, :]ᵀ
 *                      · dy[b, oh, ow, :]
 * i.e. the tap of the zero-padded input, reshaped to [N, Ci]
 * (N = B·OH·OW), multiplied by dy reshaped to [N, Co]. The input is
 * transposed once to channels-first [Ci, B, H, W], so each tap is a plain
 * slice already laid out as the left operand [Ci, N], and dy [N, Co] is the
 * same (untransposed, so XNNPACK-run) right operand of every tap's product,
 * packed once by XNNPACK's weight cache. The per-tap [Ci, Co] blocks are
 * concatenated to [KH·KW·Ci, Co], the [KH, KW, Ci, Co] filter layout. All
 * arithmetic and data movement runs in the wasm backend's own kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { extractTaps } from "./taps.ts";
import { runWasmKernel, withTemporaries } from "./wasm_ops.ts";

/** Attributes of `Conv2DBackpropFilter` (TF.js), plus optional dilations. */
export interface Conv2DBackpropFilterAttrs {
  /** Strides of the forward convolution, `[sh, sw]` or one number. */
  strides: [number, number] | number;
  /** `same`, `valid`, or explicit `[[0,0],[top,bottom],[left,right],[0,0]]`. */
  pad: "same" | "valid" | number | tf.backend_util.ExplicitPadding;
  /** Only `NHWC` is supported. */
  dataFormat: "NHWC" | "NCHW";
  /** Rounding of the output size for numeric `pad`. */
  dimRoundingMode?: "floor" | "round" | "ceil";
  /** Shape of the filter `[KH, KW, Ci, Co]`. */
  filterShape: [number, number, number, number];
  /**
   * Dilations of the forward convolution (not part of TF.js's attributes,
   * whose conv gradients require 1; accepted so the kernel is complete).
   */
  dilations?: [number, number] | number;
}

function conv2DBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat !== "NHWC") {
    throw new Error(
      `Conv2DBackpropFilter (wasm): dataFormat '${dataFormat}' is not supported, only 'NHWC'`,
    );
  }
  if (x.dtype !== "float32" || dy.dtype !== "float32") {
    throw new Error(
      `Conv2DBackpropFilter (wasm): x and dy must be float32, got ${x.dtype} and ${dy.dtype}`,
    );
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    attrs.dilations ?? 1,
    pad,
    dimRoundingMode,
    false,
    "channelsLast",
  );
  const {
    batchSize,
    inChannels,
    outHeight,
    outWidth,
    outChannels,
    filterHeight,
    filterWidth,
  } = info;
  const expectedDy = [batchSize, outHeight, outWidth, outChannels];
  if (dy.shape.join(",") !== expectedDy.join(",")) {
    throw new Error(
      `Conv2DBackpropFilter (wasm): dy shape [${dy.shape}] does not match the expected [${expectedDy}]`,
    );
  }
  const n = batchSize * outHeight * outWidth;
  return withTemporaries(backend, ({ run, track }) => {
    // dy as [1, N, Co]: the same right operand of every tap's product, so
    // XNNPACK packs it once (its weight cache is keyed by tensor id).
    const dy3d = run("Reshape", { x: dy }, { shape: [1, n, outChannels] });
    // x channels-first, [Ci·B, H, W, 1]: each tap is then [Ci·B, OH, OW, 1],
    // i.e. the left operand [Ci, N] of its product with no transpose.
    const xT = run("Transpose", { x }, { perm: [3, 0, 1, 2] });
    const xT4d = run("Reshape", { x: xT }, {
      shape: [inChannels * batchSize, info.inHeight, info.inWidth, 1],
    });
    const taps = extractTaps(backend, xT4d, {
      ...info,
      batchSize: inChannels * batchSize,
      inChannels: 1,
      padTop: info.padInfo.top,
      padLeft: info.padInfo.left,
    }, 0);
    track(...taps);
    const blocks = taps.map((tap) => {
      const tap3d = run("Reshape", { x: tap }, { shape: [1, inChannels, n] });
      const block = run("BatchMatMul", { a: tap3d, b: dy3d }, {
        transposeA: false,
        transposeB: false,
      });
      return run("Reshape", { x: block }, { shape: [inChannels, outChannels] });
    });
    // [KH·KW·Ci, Co] is already the [KH, KW, Ci, Co] filter layout.
    const all = blocks.length > 1
      ? run("Concat", blocks, { axis: 0 })
      : blocks[0];
    return runWasmKernel(backend, "Reshape", { x: all }, {
      shape: [filterHeight, filterWidth, inChannels, outChannels],
    });
  });
}

/** Kernel config registering {@linkcode conv2DBackpropFilter} for `wasm`. */
export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: "Conv2DBackpropFilter",
  backendName: "wasm",
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
