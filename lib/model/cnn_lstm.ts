/**
 * Builds the CNN+LSTM classifier from a {@linkcode ModelConfig}, using only
 * stock TF.js layers in the saved topology, so a saved model loads with plain
 * `tf.loadLayersModel` in any TF.js (browser, Node, the Python converter).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "./config.ts";
import { fusedBidirectional, fusedLstm, type LstmLayerArgs } from "./lstm.ts";
import { fusedBatchNormalization } from "./batch_norm.ts";

/** Input geometry of the model: a time-major feature matrix. */
export interface ModelInput {
  /** Frames (time steps) per example. */
  frames: number;
  /** Feature dims per frame (e.g. 40 MFCC, ×3 with deltas). */
  dims: number;
}

/** Options of {@linkcode buildModel}. */
export interface BuildModelOptions {
  /**
   * `fused` (default): {@linkcode FusedLSTM} (the recurrence as one kernel
   * with a hand-written backward pass) and
   * {@linkcode FusedBatchNormalization} (one kernel each way in training),
   * faster to train on wasm; `stock`: `tf.layers.lstm` and
   * `tf.layers.batchNormalization`. Both compute the same function and save
   * as the stock layers.
   */
  layers?: "fused" | "stock";
}

type SymbolicTensor = tf.SymbolicTensor;

function apply(layer: tf.layers.Layer, x: SymbolicTensor): SymbolicTensor {
  return layer.apply(x) as SymbolicTensor;
}

function convBlocks(
  x: SymbolicTensor,
  config: ModelConfig,
  input: ModelInput,
  options: BuildModelOptions,
): SymbolicTensor {
  const batchNorm = (options.layers ?? "fused") === "fused"
    ? fusedBatchNormalization
    : tf.layers.batchNormalization;
  const { conv } = config;
  if (conv.kind === "2d") {
    x = apply(
      tf.layers.reshape({ targetShape: [input.frames, input.dims, 1] }),
      x,
    );
  }
  conv.filters.forEach((filters, i) => {
    const name = `conv${i + 1}`;
    x = apply(
      conv.kind === "1d"
        ? tf.layers.conv1d({
          filters,
          kernelSize: conv.kernelSize,
          padding: "same",
          name,
        })
        : tf.layers.conv2d({
          filters,
          kernelSize: conv.kernelSize,
          padding: "same",
          name,
        }),
      x,
    );
    x = apply(batchNorm({ name: `bn${i + 1}` }), x);
    x = apply(tf.layers.reLU({ name: `relu${i + 1}` }), x);
    if (conv.poolSize > 1) {
      x = apply(
        conv.kind === "1d"
          ? tf.layers.maxPooling1d({
            poolSize: conv.poolSize,
            name: `pool${i + 1}`,
          })
          : tf.layers.maxPooling2d({
            poolSize: conv.poolSize,
            name: `pool${i + 1}`,
          }),
        x,
      );
    }
    if (conv.dropout > 0) {
      x = apply(
        tf.layers.dropout({ rate: conv.dropout, name: `conv_drop${i + 1}` }),
        x,
      );
    }
  });
  if (conv.kind === "2d") {
    const [t, f, c] = x.shape.slice(1) as number[];
    x = apply(
      tf.layers.reshape({ targetShape: [t, f * c], name: "to_sequence" }),
      x,
    );
  }
  return x;
}

function recurrent(
  x: SymbolicTensor,
  config: ModelConfig,
  options: BuildModelOptions,
): SymbolicTensor {
  const fused = (options.layers ?? "fused") === "fused";
  const args: LstmLayerArgs = {
    units: config.rnn.units,
    returnSequences: config.pooling !== "last",
    name: "lstm",
  };
  if (config.rnn.bidirectional) {
    const layer = fused
      ? fusedBidirectional({ layer: args, mergeMode: "concat", name: "bilstm" })
      : tf.layers.bidirectional({
        layer: tf.layers.lstm(args) as tf.RNN,
        mergeMode: "concat",
        name: "bilstm",
      });
    return apply(layer, x);
  }
  return apply(fused ? fusedLstm(args) : tf.layers.lstm(args), x);
}

function poolOverTime(x: SymbolicTensor, config: ModelConfig): SymbolicTensor {
  switch (config.pooling) {
    case "last":
      return x;
    case "mean":
      return apply(tf.layers.globalAveragePooling1d({ name: "mean_pool" }), x);
    case "attention": {
      // score_t = w·h_t (Dense 1), α = softmax over time, context = Σ α_t h_t.
      // TF.js softmax only runs on the last axis: move time there first.
      const scores = apply(
        tf.layers.dense({ units: 1, useBias: false, name: "attention_score" }),
        x,
      );
      const scoresByTime = apply(
        tf.layers.permute({ dims: [2, 1], name: "attention_transpose" }),
        scores,
      );
      const weights = apply(
        tf.layers.softmax({ axis: -1, name: "attention_weights" }),
        scoresByTime,
      );
      const context = tf.layers.dot({ axes: [2, 1], name: "attention_context" })
        .apply([weights, x]) as SymbolicTensor;
      return apply(tf.layers.flatten({ name: "attention_flatten" }), context);
    }
  }
}

/**
 * Builds (uncompiled) the CNN+LSTM for `input` and `numClasses`.
 *
 * Initial weights come from TF.js's initialisers; call inside
 * `withSeededMathRandom(seed, …)` (lib/random.ts) for reproducible weights.
 */
export function buildModel(
  config: ModelConfig,
  input: ModelInput,
  numClasses: number,
  options: BuildModelOptions = {},
): tf.LayersModel {
  if (numClasses < 2) {
    throw new Error(`a classifier needs at least 2 classes, got ${numClasses}`);
  }
  const inputs = tf.input({
    shape: [input.frames, input.dims],
    name: "features",
  });
  let x = convBlocks(inputs, config, input, options);
  x = recurrent(x, config, options);
  x = poolOverTime(x, config);
  if (config.dropout > 0) {
    x = apply(
      tf.layers.dropout({ rate: config.dropout, name: "head_dropout" }),
      x,
    );
  }
  config.dense.forEach((units, i) => {
    x = apply(
      tf.layers.dense({ units, activation: "relu", name: `dense${i + 1}` }),
      x,
    );
  });
  const outputs = apply(
    tf.layers.dense({
      units: numClasses,
      activation: "softmax",
      name: "emotion",
    }),
    x,
  );
  return tf.model({ inputs, outputs, name: "cnn_lstm" });
}
