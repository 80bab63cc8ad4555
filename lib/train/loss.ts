/**
 * The training loss: class-weighted cross-entropy of soft targets, averaged
 * over the batch — for the whole batch in one thread, and for one shard of
 * it in data-parallel training, scaled so the shards' losses (and
 * gradients) add up to the whole batch's.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Mean over rows of `w · −Σ y·log(clip(probs))`: `probs` and `y` are
 * `[rows, classes]`, `w` `[rows]`.
 */
export function batchLoss(
  probs: tf.Tensor,
  y: tf.Tensor,
  w: tf.Tensor,
): tf.Scalar {
  const ce = tf.neg(
    tf.sum(tf.mul(y, tf.log(tf.clipByValue(probs, 1e-7, 1))), -1),
  );
  return tf.mean(tf.mul(ce, w)) as tf.Scalar;
}

/**
 * The share of a `rows`-row batch's loss of a shard of `n` of its rows:
 * {@linkcode batchLoss} × n / rows (exactly `batchLoss` when the shard is
 * the whole batch).
 */
export function shardLoss(
  probs: tf.Tensor,
  y: tf.Tensor,
  w: tf.Tensor,
  n: number,
  rows: number,
): tf.Scalar {
  const loss = batchLoss(probs, y, w);
  return n === rows ? loss : tf.mul(loss, n / rows) as tf.Scalar;
}
