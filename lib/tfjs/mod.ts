/**
 * TensorFlow.js on the WASM SIMD backend with the project's training
 * kernels: backend set-up ({@linkcode initBackend}), the kernels that
 * replace or complete TF.js 4.22's wasm kernels (TypeScript in `kernels/`,
 * C in `native/`) and the fused LSTM op over them.
 *
 * The layers in `lib/model/` import `lstm_op.ts` directly: importing this
 * module imports `@tensorflow/tfjs-backend-wasm`, which registers the wasm
 * backend, and building a model must not do that.
 *
 * @module
 */
export {
  type BackendInfo,
  describeBackend,
  initBackend,
  wasmDir,
} from "./backend.ts";
export {
  registerWasmTrainingKernels,
  WASM_TRAINING_KERNEL_NAMES,
} from "./registry.ts";
export {
  hasLstmKernels,
  lstmSequence,
  type LstmSequenceOptions,
  RECURRENT_ACTIVATIONS,
  type RecurrentActivation,
} from "./lstm_op.ts";
