/**
 * Inference: class probabilities of a trained model for model inputs, in
 * batches, and the arg max that turns probabilities into a class. Training
 * (validation scores), evaluation, prediction and the report all go through
 * these functions, so every part of the toolkit predicts the same way (the
 * arg max itself is in `argmax.ts`, free of TF.js for the metric code).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
export { argmax, argmaxRows } from "./argmax.ts";
import {
  applyNormalization,
  batchTensor,
  type Dataset,
  type FixedExample,
  type NormalizationStats,
  stackDataset,
} from "./inputs.ts";

/**
 * Predicted class probabilities (row-major `[n, classes]`) for all of
 * `data`, `batchSize` examples per model call.
 */
export function predictProbabilities(
  model: tf.LayersModel,
  data: Dataset,
  batchSize = 64,
): Float32Array {
  const out = new Float32Array(data.n * (model.outputs[0].shape[1] as number));
  let offset = 0;
  for (let start = 0; start < data.n; start += batchSize) {
    const idx = Array.from(
      { length: Math.min(batchSize, data.n - start) },
      (_, i) => start + i,
    );
    const probs = tf.tidy(() =>
      model.predict(batchTensor(data, idx)) as tf.Tensor
    );
    const values = probs.dataSync() as Float32Array;
    out.set(values, offset);
    offset += values.length;
    probs.dispose();
  }
  return out;
}

/**
 * Class probabilities (row-major `[examples, classes]`) of fixed-length
 * feature matrices, normalised with `normalization` (the card's statistics)
 * exactly as in training, in one pass of `batchSize`-example model calls.
 */
export function predictExamples(
  model: tf.LayersModel,
  examples: readonly FixedExample[],
  normalization: NormalizationStats,
  batchSize = 64,
): Float32Array {
  if (examples.length === 0) return new Float32Array(0);
  const { frames, dims } = examples[0];
  const data = applyNormalization(
    stackDataset(examples, new Array(examples.length).fill(0), {
      frames,
      dims,
    }),
    normalization,
  );
  return predictProbabilities(model, data, batchSize);
}
