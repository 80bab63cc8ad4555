/**
 * `MaxPoolGrad` for the wasm backend. TF.js 4.22's wasm kernel starts its
 * running maximum at `std::numeric_limits<float>::min()` (the smallest
 * *positive* float), so a window whose values are all ≤ 0 gets no gradient
 * (or sends it to the wrong element): on random inputs 74–83 % of the
 * gradient is wrong compared with the cpu kernel. This replacement follows
 * the cpu kernel: each window's gradient goes to its first maximum.
 *
 * Composed from wasm kernels: the window maxima are the running `Maximum` of
 * the −∞-padded input's taps (kh, kw) (see `taps.ts`); per
 * tap:
 *   hit   = (slice at the tap) == maximum
 *   first = hit ∧ ¬(hit at an earlier tap)
 *   part  = first ? dy : 0, spread back to input positions by zero-inserting
 *           (stride − 1) rows/columns and offsetting by the tap (one `PadV2`)
 * and dx is the sum (`AddN`) of the parts, cropped to the unpadded input.
 * Windows that tile the input (stride = pool size, no padding before it,
 * e.g. our MaxPooling1D) take a fast path without the per-tap spreading.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { extractTaps } from "./taps.ts";
import { runWasmKernel, withTemporaries } from "./wasm_ops.ts";

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
  const {
    batchSize: b,
    inHeight: h,
    inWidth: w,
    inChannels: c,
    outHeight: oh,
    outWidth: ow,
    strideHeight: sh,
    strideWidth: sw,
    filterHeight: fh,
    filterWidth: fw,
  } = info;
  const { top, left } = info.padInfo;
  if (sh === fh && sw === fw && top === 0 && left === 0) {
    return nonOverlappingGrad(backend, input, dy, info);
  }
  // Canvas: padded input, long enough for every tap's zero-inserted rows,
  // a whole number of stride blocks.
  const hc = sh * Math.ceil(
    Math.max(top + h + info.padInfo.bottom, fh - 1 + oh * sh) / sh,
  );
  const wc = sw * Math.ceil(
    Math.max(left + w + info.padInfo.right, fw - 1 + ow * sw) / sw,
  );
  return withTemporaries(backend, ({ run, track }) => {
    const zeros = run("ZerosLike", { x: dy });
    const dy6 = [b, oh, 1, ow, 1, c];
    const taps = extractTaps(backend, input, {
      ...info,
      padTop: top,
      padLeft: left,
    }, -Infinity);
    track(...taps);
    let max = taps[0];
    for (const tap of taps.slice(1)) max = run("Maximum", { a: max, b: tap });
    let taken: tf.TensorInfo | undefined;
    const parts: tf.TensorInfo[] = [];
    for (let kh = 0; kh < fh; kh++) {
      for (let kw = 0; kw < fw; kw++) {
        const hit = run("Equal", { a: taps[kh * fw + kw], b: max });
        let first = hit;
        if (taken) {
          const notTaken = run("LogicalNot", { x: taken });
          first = run("LogicalAnd", { a: hit, b: notTaken });
          const last = kh === fh - 1 && kw === fw - 1;
          if (!last) taken = run("LogicalOr", { a: taken, b: hit });
        } else {
          taken = hit;
        }
        const part = run("Select", { condition: first, t: dy, e: zeros });
        const part6 = run("Reshape", { x: part }, { shape: dy6 });
        const qh = Math.floor(kh / sh);
        const qw = Math.floor(kw / sw);
        const spread = run("PadV2", { x: part6 }, {
          paddings: [
            [0, 0],
            [qh, hc / sh - qh - oh],
            [kh % sh, sh - 1 - (kh % sh)],
            [qw, wc / sw - qw - ow],
            [kw % sw, sw - 1 - (kw % sw)],
            [0, 0],
          ],
          constantValue: 0,
        });
        parts.push(run("Reshape", { x: spread }, { shape: [b, hc, wc, c] }));
      }
    }
    const sum = parts.length > 1 ? run("AddN", parts) : parts[0];
    if (top === 0 && left === 0 && hc === h && wc === w) {
      return runWasmKernel(backend, "Identity", { x: sum });
    }
    return runWasmKernel(backend, "Slice", { x: sum }, {
      begin: [0, top, left, 0],
      size: [b, h, w, c],
    });
  });
}

/**
 * Fast path for windows that tile the input (stride = pool size, no padding
 * before the input): the input, cropped or −∞-padded at the end to
 * [B, OH·fh, OW·fw, C], is one `Transpose` away from its taps stacked as
 * [fh·fw, B·OH·OW·C], and the per-tap gradients go back to their input
 * positions with one `Concat` and the inverse `Transpose` (no zero-inserting
 * `PadV2` and `AddN` per tap).
 */
function nonOverlappingGrad(
  backend: BackendWasm,
  input: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const {
    batchSize: b,
    inHeight: h,
    inWidth: w,
    inChannels: c,
    outHeight: oh,
    outWidth: ow,
    filterHeight: fh,
    filterWidth: fw,
  } = info;
  const hc = oh * fh;
  const wc = ow * fw;
  const taps = fh * fw;
  const m = b * oh * ow * c;
  return withTemporaries(backend, ({ run }) => {
    let canvas = input;
    if (h > hc || w > wc) {
      canvas = run("Slice", { x: canvas }, {
        begin: [0, 0, 0, 0],
        size: [b, Math.min(h, hc), Math.min(w, wc), c],
      });
    }
    if (h < hc || w < wc) {
      canvas = run("PadV2", { x: canvas }, {
        paddings: [[0, 0], [0, Math.max(0, hc - h)], [
          0,
          Math.max(0, wc - w),
        ], [0, 0]],
        constantValue: -Infinity,
      });
    }
    const split = run("Reshape", { x: canvas }, {
      shape: [b, oh, fh, ow, fw, c],
    });
    const stacked = run("Transpose", { x: split }, {
      perm: [2, 4, 0, 1, 3, 5],
    });
    const rows = run("Reshape", { x: stacked }, { shape: [taps, m] });
    const tapList: tf.TensorInfo[] = [];
    for (let k = 0; k < taps; k++) {
      tapList.push(
        run("Slice", { x: rows }, { begin: [k, 0], size: [1, m] }),
      );
    }
    let max = tapList[0];
    for (const tap of tapList.slice(1)) {
      max = run("Maximum", { a: max, b: tap });
    }
    const dyRow = run("Reshape", { x: dy }, { shape: [1, m] });
    const zeros = run("ZerosLike", { x: dyRow });
    let taken: tf.TensorInfo | undefined;
    const parts: tf.TensorInfo[] = [];
    for (let k = 0; k < taps; k++) {
      const hit = run("Equal", { a: tapList[k], b: max });
      let first = hit;
      if (taken) {
        const notTaken = run("LogicalNot", { x: taken });
        first = run("LogicalAnd", { a: hit, b: notTaken });
        if (k < taps - 1) taken = run("LogicalOr", { a: taken, b: hit });
      } else {
        taken = hit;
      }
      parts.push(run("Select", { condition: first, t: dyRow, e: zeros }));
    }
    const all = parts.length > 1 ? run("Concat", parts, { axis: 0 }) : parts[0];
    const all6 = run("Reshape", { x: all }, { shape: [fh, fw, b, oh, ow, c] });
    const back = run("Transpose", { x: all6 }, { perm: [2, 3, 0, 4, 1, 5] });
    const dxc = run("Reshape", { x: back }, { shape: [b, hc, wc, c] });
    if (hc === h && wc === w) {
      return runWasmKernel(backend, "Identity", { x: dxc });
    }
    let dx = dxc;
    if (hc > h || wc > w) {
      dx = run("Slice", { x: dx }, {
        begin: [0, 0, 0, 0],
        size: [b, Math.min(h, hc), Math.min(w, wc), c],
      });
    }
    if (hc >= h && wc >= w) {
      return runWasmKernel(backend, "Identity", { x: dx });
    }
    return runWasmKernel(backend, "PadV2", { x: dx }, {
      paddings: [[0, 0], [0, Math.max(0, h - hc)], [0, Math.max(0, w - wc)], [
        0,
        0,
      ]],
      constantValue: 0,
    });
  });
}

/** Kernel config registering {@linkcode maxPoolGrad} for `wasm`. */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: "MaxPoolGrad",
  backendName: "wasm",
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
