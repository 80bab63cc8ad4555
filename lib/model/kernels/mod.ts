/**
 * Kernels that TF.js 4.22's wasm backend lacks for training our CNN+LSTM,
 * composed from the wasm backend's own SIMD/XNNPACK kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { conv2DBackpropFilterConfig } from "./conv2d_backprop_filter.ts";

export { conv2DBackpropFilterConfig } from "./conv2d_backprop_filter.ts";
export type { Conv2DBackpropFilterAttrs } from "./conv2d_backprop_filter.ts";

/** The kernel configs that {@linkcode registerWasmTrainingKernels} installs. */
export const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
];

/**
 * Registers the wasm training kernels ({@linkcode WASM_TRAINING_KERNELS}),
 * replacing any other wasm kernel of the same name. Idempotent: repeated calls
 * change nothing. Kernels are looked up when an op runs, so this may be called
 * before or after the wasm backend starts.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of WASM_TRAINING_KERNELS) {
    const current = tf.getKernel(config.kernelName, "wasm");
    if (current === config) continue;
    if (current) tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel(config);
  }
}
export {
  fromPlain,
  onBackend,
  type PlainTensor,
  relativeError,
  toPlain,
} from "./cross_backend.ts";
