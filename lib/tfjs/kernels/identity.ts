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
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

/** Builds the kernel config around the stock wasm `Identity` (`stock`). */
export function createIdentityConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: {
    inputs: tf.NamedTensorInfoMap;
    backend: tf.KernelBackend;
    attrs?: tf.NamedAttrMap;
  }): tf.TensorInfo | tf.TensorInfo[] => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === "string") return stock.kernelFunc(args);
    (args.backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return {
    kernelName: "Identity",
    backendName: "wasm",
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
