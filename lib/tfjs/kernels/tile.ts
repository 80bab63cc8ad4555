/**
 * `Tile` for the wasm backend as a broadcasting `Add` (XNNPACK) of the input
 * and zeros. The stock wasm kernel is a generic scalar C loop; tiling is
 * frequent in training (the BatchNormalization gradient tiles per-channel
 * terms over batch × time), where it cost ~10 % of a CNN+LSTM step.
 *
 * Tiling dimension i (size d, reps r) is broadcasting: a size-1 axis is
 * broadcast to r, and an axis with d > 1 is split into [1, d] broadcast to
 * [r, d] (row-major, so the result reshapes to r·d). Adjacent axes of the same
 * kind are merged; the added zeros hold only the broadcast axes. Non-float32
 * tensors, or shapes needing more than six axes (XNNPACK's limit), use the
 * stock kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { runWasmKernel, withTemporaries } from "./wasm_ops.ts";
import { replaceStockKernel, type TrainingKernel } from "./kernel.ts";

const MAX_RANK = 6;

/** Input and output shapes of the broadcast (1 in `from` = broadcast axis). */
function broadcastShapes(
  shape: number[],
  reps: number[],
): { from: number[]; to: number[] } {
  const from: number[] = [];
  const to: number[] = [];
  const push = (f: number, t: number) => {
    const n = from.length;
    const broadcast = f === 1 && t > 1;
    const kept = f === t;
    if (n > 0) {
      const prevBroadcast = from[n - 1] === 1 && to[n - 1] > 1;
      const prevKept = from[n - 1] === to[n - 1];
      if ((broadcast && prevBroadcast) || (kept && prevKept)) {
        from[n - 1] *= f;
        to[n - 1] *= t;
        return;
      }
    }
    from.push(f);
    to.push(t);
  };
  shape.forEach((d, i) => {
    const r = reps[i];
    if (r === 1 || d === 1) push(d, d * r);
    else {
      push(1, r);
      push(d, d);
    }
  });
  return { from, to };
}

/**
 * `Tile` as a broadcasting `Add`, in place of the stock wasm kernel, which
 * runs the tiles this one does not take.
 */
export const tileKernel: TrainingKernel = replaceStockKernel<tf.TileAttrs>(
  tf.Tile,
  (args, stock) => {
    const { x } = args.inputs;
    const { reps } = args.attrs;
    const outShape = x.shape.map((d, i) => d * reps[i]);
    const { from, to } = broadcastShapes(x.shape, reps);
    if (
      x.dtype !== "float32" || to.length > MAX_RANK ||
      tf.util.sizeFromShape(outShape) === 0
    ) {
      return stock();
    }
    return withTemporaries(args.backend, ({ run }) => {
      const xb = run(tf.Reshape, { x }, { shape: from });
      const zeros = run(tf.Fill, {}, {
        shape: to.map((t, j) => (from[j] === 1 ? t : 1)),
        value: 0,
        dtype: "float32",
      });
      const sum = run(tf.Add, { a: xb, b: zeros });
      return runWasmKernel(args.backend, tf.Reshape, { x: sum }, {
        shape: outShape,
      });
    });
  },
);
