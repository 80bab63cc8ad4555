/**
 * `Identity` for the wasm backend that shares the input's data (one more
 * reference) instead of copying it, as TF.js's cpu backend does. The engine
 * clones every tensor it saves for a gradient with `Identity`, so the stock
 * wasm kernel (a heap copy) copied each saved activation on every training
 * step. Sharing is safe because kernels never write into their inputs; the
 * wasm `Reshape` shares data the same way. Strings go to the stock kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { replaceStockKernel, type TrainingKernel } from "./kernel.ts";

/** `Identity` sharing its input's data, in place of the stock wasm kernel. */
export const identityKernel: TrainingKernel = replaceStockKernel(
  tf.Identity,
  (args, stock) => {
    const { x } = args.inputs;
    if (x.dtype === "string") return stock();
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
);
