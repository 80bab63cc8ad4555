/**
 * Kernels that TF.js 4.22's wasm backend lacks, or runs slowly, for training
 * our CNN+LSTM: our C kernels on the backend's heap (`native/`) and
 * compositions of the backend's own SIMD kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { TrainingKernel } from "./kernels/kernel.ts";
import { batchMatMulKernel } from "./kernels/batch_mat_mul.ts";
import {
  conv2DBackpropFilterKernel,
  conv2DBackpropInputKernel,
  conv2DKernel,
} from "./kernels/conv2d.ts";
import { maxPoolGradKernel } from "./kernels/max_pool_grad.ts";
import { tileKernel } from "./kernels/tile.ts";
import { identityKernel } from "./kernels/identity.ts";
import {
  batchNormTrainGradient,
  batchNormTrainGradKernel,
  batchNormTrainKernel,
} from "./kernels/batch_norm_train.ts";
import { sliceKernel, splitVKernel, unpackKernel } from "./kernels/slice.ts";
import { meanKernel, sumKernel } from "./kernels/reduce_leading.ts";
import {
  lstmSequenceGradKernel,
  lstmSequenceKernel,
} from "./kernels/lstm_sequence.ts";
import { BatchNormTrain } from "./kernel_names.ts";

/** The kernels {@linkcode registerWasmTrainingKernels} installs, in order. */
const KERNELS: readonly TrainingKernel[] = [
  conv2DKernel,
  conv2DBackpropFilterKernel,
  conv2DBackpropInputKernel,
  maxPoolGradKernel,
  batchMatMulKernel,
  tileKernel,
  identityKernel,
  sliceKernel,
  splitVKernel,
  unpackKernel,
  sumKernel,
  meanKernel,
  lstmSequenceKernel,
  lstmSequenceGradKernel,
  batchNormTrainKernel,
  batchNormTrainGradKernel,
];

/**
 * Names of the kernels {@linkcode registerWasmTrainingKernels} installs on
 * `wasm`, in order: `Conv2D` and `BatchMatMul` on our relaxed-SIMD matrix
 * product (about twice XNNPACK's throughput here; the stock `BatchMatMul`
 * also runs transposed products, i.e. every matmul gradient, in scalar C),
 * `Conv2DBackpropFilter` (missing in TF.js 4.22), `Conv2DBackpropInput` (the
 * stock kernel is a scalar C loop), `MaxPoolGrad` (the stock kernel loses the
 * gradient of windows whose values are all ≤ 0), `Identity` (the stock kernel
 * copies, and the engine clones every tensor saved for a gradient), `Tile` (a
 * generic scalar C loop; BatchNormalization's gradient tiles), `Slice`,
 * `SplitV` and `Unpack` (the stock kernels copy their whole input out of the
 * heap), `Sum` and `Mean` over leading axes (the stock kernels transpose
 * first), plus `LstmSequence` / `LstmSequenceGrad`, the fused LSTM
 * recurrence, and `BatchNormTrain` / `BatchNormTrainGrad`, training-mode
 * batch normalisation.
 */
export const WASM_TRAINING_KERNEL_NAMES: readonly string[] = KERNELS.map(
  (k) => k.kernelName,
);

let configs: tf.KernelConfig[] | undefined;

/**
 * Registers the wasm training kernels ({@linkcode WASM_TRAINING_KERNEL_NAMES}),
 * replacing the stock wasm kernel of the same name where there is one.
 * Idempotent: repeated calls change nothing. May be called before or after
 * the wasm backend starts (replacements keep the stock `setupFunc`).
 *
 * @throws Error when the wasm backend package has not been imported.
 */
export function registerWasmTrainingKernels(): void {
  configs ??= KERNELS.map((k) => k.config(tf.getKernel(k.kernelName, "wasm")));
  for (const config of configs) {
    const current = tf.getKernel(config.kernelName, "wasm");
    if (current === config) continue;
    if (current) tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel(config);
  }
  if (tf.getGradient(BatchNormTrain) !== batchNormTrainGradient) {
    tf.registerGradient(batchNormTrainGradient);
  }
}
