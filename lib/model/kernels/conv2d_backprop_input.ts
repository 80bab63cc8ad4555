/**
 * `Conv2DBackpropInput` for the wasm backend on XNNPACK. The stock wasm
 * kernel is a scalar C loop, 10–15× slower than the forward convolution of
 * the same size; this one is one XNNPACK forward convolution.
 *
 * Per spatial axis (stride s, filter K, forward padding `top`), the input
 * gradient is a stride-1 "valid" correlation of the zero-inserted dy
 * (dy[o] placed at o·s, s − 1 zeros between) padded by K − 1 − top before,
 * with the filter flipped in space and its channel axes swapped:
 *   dx[i] = Σ_k' zpad[i + k'] · W[K − 1 − k', ·, ci, co].
 * Zero insertion and padding are `PadV2`s (padding that comes out negative
 * is a `Slice`), the filter is `Reverse` + `Transpose`, the product the wasm
 * `Conv2D` kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { runWasmKernel, withTemporaries } from "./wasm_ops.ts";

/** Attributes of `Conv2DBackpropInput` (TF.js). */
export interface Conv2DBackpropInputAttrs {
  /** Strides of the forward convolution, `[sh, sw]` or one number. */
  strides: [number, number] | number;
  /** `same`, `valid`, or explicit `[[0,0],[top,bottom],[left,right],[0,0]]`. */
  pad: "same" | "valid" | number | tf.backend_util.ExplicitPadding;
  /** Only `NHWC` is supported. */
  dataFormat: "NHWC" | "NCHW";
  /** Rounding of the output size for numeric `pad`. */
  dimRoundingMode?: "floor" | "round" | "ceil";
  /** Shape of the forward input `[B, H, W, Ci]`. */
  inputShape: [number, number, number, number];
}

function conv2DBackpropInput(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as {
    dy: tf.TensorInfo;
    filter: tf.TensorInfo;
  };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args
    .attrs as unknown as Conv2DBackpropInputAttrs;
  if (dataFormat !== "NHWC") {
    throw new Error(
      `Conv2DBackpropInput (wasm): dataFormat '${dataFormat}' is not supported, only 'NHWC'`,
    );
  }
  if (dy.dtype !== "float32" || filter.dtype !== "float32") {
    throw new Error(
      `Conv2DBackpropInput (wasm): dy and filter must be float32, got ${dy.dtype} and ${filter.dtype}`,
    );
  }
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    "channelsLast",
  );
  const {
    batchSize: b,
    inHeight: h,
    inWidth: w,
    outHeight: oh,
    outWidth: ow,
    outChannels: co,
    strideHeight: sh,
    strideWidth: sw,
    filterHeight: kh,
    filterWidth: kw,
  } = info;
  const expectedDy = [b, oh, ow, co];
  if (dy.shape.join(",") !== expectedDy.join(",")) {
    throw new Error(
      `Conv2DBackpropInput (wasm): dy shape [${dy.shape}] does not match the expected [${expectedDy}]`,
    );
  }
  return withTemporaries(backend, ({ run }) => {
    // Zero insertion: [B, OH·sh, OW·sw, Co].
    let z = dy;
    if (sh > 1 || sw > 1) {
      const dy6 = run("Reshape", { x: dy }, { shape: [b, oh, 1, ow, 1, co] });
      const spread = run("PadV2", { x: dy6 }, {
        paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]],
        constantValue: 0,
      });
      z = run("Reshape", { x: spread }, { shape: [b, oh * sh, ow * sw, co] });
    }
    // Padding so that a valid stride-1 correlation gives H × W.
    const before = [kh - 1 - info.padInfo.top, kw - 1 - info.padInfo.left];
    const after = [
      h + kh - 1 - before[0] - oh * sh,
      w + kw - 1 - before[1] - ow * sw,
    ];
    if (before.some((p) => p > 0) || after.some((p) => p > 0)) {
      z = run("PadV2", { x: z }, {
        paddings: [
          [0, 0],
          [Math.max(0, before[0]), Math.max(0, after[0])],
          [Math.max(0, before[1]), Math.max(0, after[1])],
          [0, 0],
        ],
        constantValue: 0,
      });
    }
    if (before.some((p) => p < 0) || after.some((p) => p < 0)) {
      z = run("Slice", { x: z }, {
        begin: [0, Math.max(0, -before[0]), Math.max(0, -before[1]), 0],
        size: [b, h + kh - 1, w + kw - 1, co],
      });
    }
    // Filter flipped in space, channels swapped: [KH, KW, Co, Ci].
    const flipped = run("Reverse", { x: filter }, { dims: [0, 1] });
    const swapped = run("Transpose", { x: flipped }, { perm: [0, 1, 3, 2] });
    return runWasmKernel(backend, "Conv2D", { x: z, filter: swapped }, {
      strides: [1, 1],
      pad: "valid",
      dataFormat: "NHWC",
      dilations: [1, 1],
    });
  });
}

/** Kernel config registering {@linkcode conv2DBackpropInput} for `wasm`. */
export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: "Conv2DBackpropInput",
  backendName: "wasm",
  kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
};
