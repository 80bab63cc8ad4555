/**
 * Kernels that TF.js 4.22's wasm backend lacks, or runs slowly, for training
 * our CNN+LSTM: our C kernels on the backend's heap (`native/`) and
 * compositions of the backend's own SIMD kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createBatchMatMulConfig } from "./kernels/batch_mat_mul.ts";
import {
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  conv2DConfig,
} from "./kernels/conv2d.ts";
import { maxPoolGradConfig } from "./kernels/max_pool_grad.ts";
import { createTileConfig } from "./kernels/tile.ts";
import { createIdentityConfig } from "./kernels/identity.ts";
import {
  batchNormTrainConfig,
  batchNormTrainGradConfig,
  batchNormTrainGradient,
} from "./kernels/batch_norm_train.ts";
import {
  createSliceConfig,
  createSplitVConfig,
  createUnpackConfig,
} from "./kernels/slice.ts";
import { createLeadingReduceConfig } from "./kernels/reduce_leading.ts";
import {
  lstmSequenceConfig,
  lstmSequenceGradConfig,
} from "./kernels/lstm_sequence.ts";

/**
 * Kernels that {@linkcode registerWasmTrainingKernels} installs on `wasm`:
 * `Conv2D` and `BatchMatMul` on our relaxed-SIMD matrix product (about
 * twice XNNPACK's throughput here; the stock `BatchMatMul` also runs
 * transposed products, i.e. every matmul gradient, in scalar C),
 * `Conv2DBackpropFilter` (missing in TF.js 4.22), `Conv2DBackpropInput` (the
 * stock kernel is a scalar C loop), `MaxPoolGrad` (the stock kernel loses the
 * gradient of windows whose values are all ≤ 0), `Identity` (the stock kernel
 * copies, and the engine clones every tensor saved for a gradient) and `Tile` (a generic scalar C loop; BatchNormalization's gradient tiles),
 * plus `LstmSequence` / `LstmSequenceGrad`, the fused LSTM recurrence, and
 * `BatchNormTrain` / `BatchNormTrainGrad`, training-mode batch normalisation.
 */
export const WASM_TRAINING_KERNEL_NAMES: readonly string[] = [
  "Conv2D",
  "Conv2DBackpropFilter",
  "Conv2DBackpropInput",
  "MaxPoolGrad",
  "BatchMatMul",
  "Tile",
  "Identity",
  "Slice",
  "SplitV",
  "Unpack",
  "Sum",
  "Mean",
  "LstmSequence",
  "LstmSequenceGrad",
  "BatchNormTrain",
  "BatchNormTrainGrad",
];

let configs: tf.KernelConfig[] | undefined;

function buildConfigs(): tf.KernelConfig[] {
  const stockMatMul = tf.getKernel("BatchMatMul", "wasm");
  const stockTile = tf.getKernel("Tile", "wasm");
  if (!stockMatMul || !stockTile) {
    throw new Error(
      "registerWasmTrainingKernels: the wasm backend's kernels are not loaded " +
        "(import @tensorflow/tfjs-backend-wasm first)",
    );
  }
  return [
    conv2DConfig,
    conv2DBackpropFilterConfig,
    conv2DBackpropInputConfig,
    maxPoolGradConfig,
    createBatchMatMulConfig(stockMatMul),
    createTileConfig(stockTile),
    createIdentityConfig(tf.getKernel("Identity", "wasm")!),
    createSliceConfig(tf.getKernel("Slice", "wasm")!),
    createSplitVConfig(tf.getKernel("SplitV", "wasm")!),
    createUnpackConfig(tf.getKernel("Unpack", "wasm")!),
    createLeadingReduceConfig("Sum", tf.getKernel("Sum", "wasm")!),
    createLeadingReduceConfig("Mean", tf.getKernel("Mean", "wasm")!),
    lstmSequenceConfig,
    lstmSequenceGradConfig,
    batchNormTrainConfig,
    batchNormTrainGradConfig,
  ];
}

/**
 * Registers the wasm training kernels ({@linkcode WASM_TRAINING_KERNEL_NAMES}),
 * replacing the stock wasm kernel of the same name where there is one.
 * Idempotent: repeated calls change nothing. May be called before or after
 * the wasm backend starts (replacements keep the stock `setupFunc`).
 *
 * @throws Error when the wasm backend package has not been imported.
 */
export function registerWasmTrainingKernels(): void {
  configs ??= buildConfigs();
  for (const config of configs) {
    const current = tf.getKernel(config.kernelName, "wasm");
    if (current === config) continue;
    if (current) tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel(config);
  }
  if (tf.getGradient("BatchNormTrain") !== batchNormTrainGradient) {
    tf.registerGradient(batchNormTrainGradient);
  }
}
