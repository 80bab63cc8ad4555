/**
 * Window taps of a strided, dilated, padded 2-D window over an NHWC tensor,
 * extracted with fast wasm kernels (`PadV2`, `Transpose`, `Slice`) instead of
 * the wasm `StridedSlice`, whose generic C loop is ~60× slower than `Slice`
 * here.
 *
 * The tap (kh, kw) is the [B, OH, OW, C] tensor
 *   tap[b, oh, ow, c] = xPadded[b, oh·sh + kh·dh, ow·sw + kw·dw, c].
 * Splitting the padded rows into stride phases, row oh·sh + kh·dh is phase
 * r = (kh·dh) mod sh of block oh + ⌊kh·dh / sh⌋; one `Transpose` brings the
 * phases to the front ([sh, sw, B, HB, WB, C]) so that every tap becomes one
 * plain `Slice`.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { disposeInfos, runWasmKernel, withTemporaries } from "./wasm_ops.ts";

/** Geometry of a 2-D window (convolution or pooling) over NHWC input. */
export interface TapGeometry {
  /** B */
  batchSize: number;
  /** H */
  inHeight: number;
  /** W */
  inWidth: number;
  /** C */
  inChannels: number;
  /** OH */
  outHeight: number;
  /** OW */
  outWidth: number;
  /** sh */
  strideHeight: number;
  /** sw */
  strideWidth: number;
  /** dh */
  dilationHeight: number;
  /** dw */
  dilationWidth: number;
  /** KH */
  filterHeight: number;
  /** KW */
  filterWidth: number;
  /** Rows of padding before the input. */
  padTop: number;
  /** Columns of padding before the input. */
  padLeft: number;
}

/**
 * Returns the KH·KW taps of `x` (in kh-major order), each [B, OH, OW, C],
 * with positions outside `x` reading `padValue`. The caller owns the taps.
 */
export function extractTaps(
  backend: BackendWasm,
  x: tf.TensorInfo,
  g: TapGeometry,
  padValue: number,
): tf.TensorInfo[] {
  const { batchSize: b, inChannels: c, outHeight: oh, outWidth: ow } = g;
  const { strideHeight: sh, strideWidth: sw } = g;
  // Blocks of `stride` rows: enough for the input and for the last tap.
  const hb = Math.max(
    Math.ceil((g.padTop + g.inHeight) / sh),
    Math.floor((g.filterHeight - 1) * g.dilationHeight / sh) + oh,
  );
  const wb = Math.max(
    Math.ceil((g.padLeft + g.inWidth) / sw),
    Math.floor((g.filterWidth - 1) * g.dilationWidth / sw) + ow,
  );
  return withTemporaries(backend, ({ run }) => {
    const paddings = [
      [0, 0],
      [g.padTop, hb * sh - g.padTop - g.inHeight],
      [g.padLeft, wb * sw - g.padLeft - g.inWidth],
      [0, 0],
    ];
    const xp = paddings.some(([p, q]) => p || q)
      ? run("PadV2", { x }, { paddings, constantValue: padValue })
      : x;
    let phases = xp; // [sh·sw·B, HB, WB, C]
    if (sh > 1 || sw > 1) {
      const split = run("Reshape", { x: xp }, {
        shape: [b, hb, sh, wb, sw, c],
      });
      const moved = run("Transpose", { x: split }, {
        perm: [2, 4, 0, 1, 3, 5],
      });
      phases = run("Reshape", { x: moved }, {
        shape: [sh * sw * b, hb, wb, c],
      });
    }
    // With one block row (1-D windows) a tap is one run of OW·C per batch.
    const flat = hb === 1
      ? run("Reshape", { x: phases }, { shape: [sh * sw * b, wb * c] })
      : phases;
    const taps: tf.TensorInfo[] = [];
    try {
      for (let kh = 0; kh < g.filterHeight; kh++) {
        for (let kw = 0; kw < g.filterWidth; kw++) {
          const rowOff = kh * g.dilationHeight;
          const colOff = kw * g.dilationWidth;
          const p = ((rowOff % sh) * sw + (colOff % sw)) * b;
          const qh = Math.floor(rowOff / sh);
          const qw = Math.floor(colOff / sw);
          if (hb > 1) {
            taps.push(
              runWasmKernel(backend, "Slice", { x: phases }, {
                begin: [p, qh, qw, 0],
                size: [b, oh, ow, c],
              }),
            );
            continue;
          }
          const run1d = run("Slice", { x: flat }, {
            begin: [p, qw * c],
            size: [b, ow * c],
          });
          taps.push(
            runWasmKernel(backend, "Reshape", { x: run1d }, {
              shape: [b, oh, ow, c],
            }),
          );
        }
      }
    } catch (err) {
      disposeInfos(backend, taps);
      throw err;
    }
    return taps;
  });
}
