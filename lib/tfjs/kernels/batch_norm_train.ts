/**
 * `BatchNormTrain` and `BatchNormTrainGrad`: training-mode batch
 * normalisation over the rows of `x` [rows, channels] as two wasm kernels
 * (one C pass each, `native/kernels.c`), where TF.js composes moments,
 * `FusedBatchNorm` and a dozen gradient ops. `BatchNormTrain` outputs
 * `[y, mean, variance]` (biased variance, as `tf.moments`) from inputs `x`,
 * `gamma` and `beta` (all required); its gradient,
 * registered for every backend, is `BatchNormTrainGrad` (w.r.t. `x`,
 * `gamma` and `beta`, through the batch statistics; the statistics
 * outputs, used only for the moving averages, take no gradient).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { heapOffset, nativeKernels } from "../native/native.ts";
import { disposeInfos } from "./wasm_ops.ts";
import { type KernelArgs, type TrainingKernel, wasmKernel } from "./kernel.ts";
import { BatchNormTrain, BatchNormTrainGrad } from "../kernel_names.ts";

/** Attributes of `BatchNormTrain` and `BatchNormTrainGrad`. */
export interface BatchNormTrainAttrs {
  /** Added to the variance before its square root. */
  epsilon: number;
}

function shapeOf(x: tf.TensorInfo): [number, number] {
  if (x.shape.length !== 2) {
    throw new Error(
      `BatchNormTrain (wasm): x must be [rows, channels], got [${x.shape}]`,
    );
  }
  return x.shape as [number, number];
}

function batchNormTrain(
  args: KernelArgs<BatchNormTrainAttrs>,
): tf.TensorInfo[] {
  const { backend } = args;
  const { x, gamma, beta } = args.inputs;
  const { epsilon } = args.attrs;
  const [rows, channels] = shapeOf(x);
  const at = (info: tf.TensorInfo) => heapOffset(backend, info);
  const y = backend.makeOutput(x.shape, "float32");
  const mean = backend.makeOutput([channels], "float32");
  const variance = backend.makeOutput([channels], "float32");
  const scale = backend.makeOutput([channels], "float32");
  nativeKernels(backend).batch_norm_forward(
    at(x),
    at(gamma),
    at(beta),
    at(y),
    at(mean),
    at(variance),
    at(scale),
    rows,
    channels,
    epsilon,
  );
  disposeInfos(backend, [scale]);
  return [y, mean, variance];
}

function batchNormTrainGrad(
  args: KernelArgs<BatchNormTrainAttrs>,
): tf.TensorInfo[] {
  const { backend } = args;
  const { dy, x, mean, variance, gamma } = args.inputs;
  const { epsilon } = args.attrs;
  const [rows, channels] = shapeOf(x);
  const at = (info: tf.TensorInfo) => heapOffset(backend, info);
  const dx = backend.makeOutput(x.shape, "float32");
  const dgamma = backend.makeOutput([channels], "float32");
  const dbeta = backend.makeOutput([channels], "float32");
  const rstd = backend.makeOutput([channels], "float32");
  nativeKernels(backend).batch_norm_backward(
    at(dy),
    at(x),
    at(mean),
    at(variance),
    at(gamma),
    at(dx),
    at(dgamma),
    at(dbeta),
    at(rstd),
    rows,
    channels,
    epsilon,
  );
  disposeInfos(backend, [rstd]);
  return [dx, dgamma, dbeta];
}

/** The forward pass, one C call. */
export const batchNormTrainKernel: TrainingKernel = wasmKernel(
  BatchNormTrain,
  batchNormTrain,
);

/** The backward pass, one C call. */
export const batchNormTrainGradKernel: TrainingKernel = wasmKernel(
  BatchNormTrainGrad,
  batchNormTrainGrad,
);

/** Gradient of `BatchNormTrain` (w.r.t. `x`, `gamma` and `beta`). */
export const batchNormTrainGradient: tf.GradConfig = {
  kernelName: BatchNormTrain,
  inputsToSave: ["x", "gamma"],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    const dy = Array.isArray(dys) ? dys[0] : dys;
    const [x, gamma, mean, variance] = saved;
    const [dx, dgamma, dbeta] = tf.engine().runKernel(
      BatchNormTrainGrad,
      { dy, x, mean, variance, gamma },
      attrs,
    ) as tf.Tensor[];
    return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
  },
};
