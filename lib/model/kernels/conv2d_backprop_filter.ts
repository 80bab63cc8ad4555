/**
 * `Conv2DBackpropFilter` for the wasm backend (missing in TF.js 4.22,
 * tfjs #8474), the filter gradient of every Conv1D/Conv2D layer.
 *
 * For each kernel tap (kh, kw) (see `taps.ts`):
 *   dW[kh, kw, :, :] = Σ_{b,oh,ow} x[b, oh·sh + kh·dh − top, ow·sw + kw·dw − left, :]ᵀ
 *                      · dy[b, oh, ow, :]
 * i.e. the tap of the zero-padded input, reshaped to [N, Ci]
 * (N = B·OH·OW), multiplied by dy reshaped to [N, Co]. The product is computed
 * as dyᵀ [Co, N] · slice [N, Ci], the untransposed batch-1 form that the wasm
 * `BatchMatMul` runs on XNNPACK (its transposed forms use a scalar C loop).
 * The per-tap [Co, Ci] blocks are concatenated to [Co, KH·KW·Ci] and
 * transposed once into the [KH, KW, Ci, Co] filter layout. All arithmetic and
 * data movement runs in the wasm backend's own kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { extractTaps } from "./taps.ts";
import { disposeInfos, runWasmKernel } from "./wasm_ops.ts";

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
  const owned: tf.TensorInfo[] = [];
  try {
    // dyᵀ: [Co, N], shared by every tap.
    const dy2d = runWasmKernel(backend, "Reshape", { x: dy }, {
      shape: [n, outChannels],
    });
    owned.push(dy2d);
    const dyT = runWasmKernel(backend, "Transpose", { x: dy2d }, {
      perm: [1, 0],
    });
    owned.push(dyT);
    const dyT3d = runWasmKernel(backend, "Reshape", { x: dyT }, {
      shape: [1, outChannels, n],
    });
    owned.push(dyT3d);

    const taps = extractTaps(backend, x, {
      ...info,
      padTop: info.padInfo.top,
      padLeft: info.padInfo.left,
    }, 0);
    owned.push(...taps);
    const blocks: tf.TensorInfo[] = [];
    for (const tap of taps) {
      const tap3d = runWasmKernel(backend, "Reshape", { x: tap }, {
        shape: [1, n, inChannels],
      });
      owned.push(tap3d);
      const block = runWasmKernel(
        backend,
        "BatchMatMul",
        { a: dyT3d, b: tap3d },
        { transposeA: false, transposeB: false },
      );
      owned.push(block);
      const block2d = runWasmKernel(backend, "Reshape", { x: block }, {
        shape: [outChannels, inChannels],
      });
      owned.push(block2d);
      blocks.push(block2d);
    }
    const all = runWasmKernel(backend, "Concat", blocks, { axis: 1 });
    owned.push(all);
    // [Co, KH·KW·Ci] → [KH·KW·Ci, Co] → [KH, KW, Ci, Co]
    const dwT = runWasmKernel(backend, "Transpose", { x: all }, {
      perm: [1, 0],
    });
    owned.push(dwT);
    return runWasmKernel(backend, "Reshape", { x: dwT }, {
      shape: [filterHeight, filterWidth, inChannels, outChannels],
    });
  } finally {
    disposeInfos(backend, owned);
  }
}

/** Kernel config registering {@linkcode conv2DBackpropFilter} for `wasm`. */
export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: "Conv2DBackpropFilter",
  backendName: "wasm",
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
