/**
 * `FusedBatchNormalization`: `tf.layers.batchNormalization` whose training
 * step is one kernel each way (`BatchNormTrain` / `BatchNormTrainGrad`, see
 * `lib/tfjs/kernels/batch_norm_train.ts`) instead of TF.js's moments,
 * `FusedBatchNorm` and a dozen gradient ops.
 *
 * It IS the stock layer class with a faster training `call`: it subclasses
 * TF.js's `BatchNormalization`, builds the same weights and serialises as
 * class `BatchNormalization` with the stock config, so saved models load in
 * plain TF.js. The moving mean and variance are updated exactly as the stock
 * layer does. Inference, normalisation over any axis but the last, and
 * backends without the kernels run the stock implementation.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { stockLayerClass } from "./layer_classes.ts";
import { BatchNormTrain } from "../tfjs/kernel_names.ts";

/** Arguments of the stock `tf.layers.batchNormalization`. */
export type BatchNormalizationArgs = Parameters<
  typeof tf.layers.batchNormalization
>[0];

/** What the fused `call` reads from the stock layer. */
interface BatchNormView {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma: tf.LayerVariable | null;
  beta: tf.LayerVariable | null;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

type StockBatchNormClass = new (
  args?: BatchNormalizationArgs,
) => tf.layers.Layer;

const StockBatchNormalization = stockLayerClass<StockBatchNormClass>(
  "BatchNormalization",
);

/** The stock layer's moving-average update, op for op. */
function movingAverage(
  variable: tf.LayerVariable,
  value: tf.Tensor,
  momentum: number,
): void {
  tf.tidy(() => {
    const decay = 1 - momentum;
    const origValue = variable.read();
    const updateDelta = tf.mul(tf.sub(origValue, value), decay);
    variable.write(tf.sub(origValue, updateDelta));
  });
}

/**
 * Batch normalisation with a fused training step. Construct it with the
 * arguments of `tf.layers.batchNormalization` (or use
 * {@linkcode fusedBatchNormalization}); its class name, config and weights
 * are the stock layer's.
 */
export class FusedBatchNormalization extends StockBatchNormalization {
  /** Same arguments as `tf.layers.batchNormalization`. */
  constructor(args?: BatchNormalizationArgs) {
    super(args);
  }

  /** Normalises with the batch statistics in training, else as stock. */
  override call(
    inputs: tf.Tensor | tf.Tensor[],
    kwargs: Record<string, unknown>,
  ): tf.Tensor | tf.Tensor[] {
    const args = kwargs ?? {};
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const view = this as unknown as BatchNormView;
    const axis = view.axis >= 0 ? view.axis : view.axis + x.rank;
    const fused = args["training"] === true && axis === x.rank - 1 &&
      (!Array.isArray(inputs) || inputs.length === 1) &&
      tf.getKernel(BatchNormTrain, tf.getBackend()) !== undefined;
    if (!fused) return super.call(inputs, args);
    return tf.tidy(() => {
      const channels = x.shape[axis];
      const [y, mean, variance] = tf.engine().runKernel(
        BatchNormTrain,
        {
          x: tf.reshape(x, [-1, channels]),
          gamma: view.gamma ? view.gamma.read() : tf.ones([channels]),
          beta: view.beta ? view.beta.read() : tf.zeros([channels]),
        },
        { epsilon: view.epsilon } as unknown as tf.NamedAttrMap,
      ) as tf.Tensor[];
      movingAverage(view.movingMean, mean, view.momentum);
      movingAverage(view.movingVariance, variance, view.momentum);
      return tf.reshape(y, x.shape);
    });
  }
}

/** Creates a {@linkcode FusedBatchNormalization}. */
export function fusedBatchNormalization(
  args?: BatchNormalizationArgs,
): FusedBatchNormalization {
  return new FusedBatchNormalization(args);
}
