/**
 * TensorFlow.js on the WASM SIMD backend with the project's training
 * kernels: backend set-up ({@linkcode initBackend}, which registers the
 * kernels) and the kernels that replace or complete TF.js 4.22's wasm
 * kernels (TypeScript in `kernels/`, C in `native/`).
 *
 * The layers in `lib/model/` import `lstm_op.ts` (the fused LSTM op) and
 * `kernel_names.ts` directly: this module imports
 * `@tensorflow/tfjs-backend-wasm`, which registers the wasm backend as a side
 * effect, and building a model must not do that.
 *
 * @module
 */
export { initBackend, wasmDir } from "./backend.ts";
export { type BackendInfo, describeBackend, startBackend } from "./start.ts";
export { heapFloats } from "./heap.ts";
export {
  registerWasmTrainingKernels,
  WASM_TRAINING_KERNEL_NAMES,
} from "./registry.ts";
