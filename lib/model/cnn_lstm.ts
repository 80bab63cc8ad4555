/**
 * Builds the CNN+LSTM classifier from a {@linkcode ModelConfig}, using only
 * stock TF.js layers in the saved topology, so a saved model loads with plain
 * `tf.loadLayersModel` in any TF.js (browser, Node, the Python converter).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  checkModelInput,
  type ConvConfig,
  type ModelConfig,
  type ModelInput,
  poolWindow,
} from "./config.ts";
import { fusedBidirectional, fusedLstm, type LstmLayerArgs } from "./lstm.ts";
import { fusedBatchNormalization } from "./batch_norm.ts";

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

/** Makes the layers of one convolution kind. */
interface ConvLayers {
  conv(
    args: { filters: number; kernelSize: number; name: string },
  ): tf.layers.Layer;
  pool(name: string): tf.layers.Layer;
  batchNorm(name: string): tf.layers.Layer;
}

function convLayers(conv: ConvConfig, options: BuildModelOptions): ConvLayers {
  const batchNorm = (options.layers ?? "fused") === "fused"
    ? fusedBatchNormalization
    : tf.layers.batchNormalization;
  const [poolTime, poolFreq] = poolWindow(conv);
  return {
    conv: (args) =>
      conv.kind === "1d"
        ? tf.layers.conv1d({ ...args, padding: "same" })
        : tf.layers.conv2d({ ...args, padding: "same" }),
    pool: (name) =>
      conv.kind === "1d"
        ? tf.layers.maxPooling1d({ poolSize: poolTime, name })
        : tf.layers.maxPooling2d({ poolSize: [poolTime, poolFreq], name }),
    batchNorm: (name) => batchNorm({ name }),
  };
}

/**
 * Block `i` (from 1): `plain` conv → BN → ReLU, or `residual` conv → BN →
 * ReLU → conv → BN, + the input (1×1 conv → BN where the width changes),
 * → ReLU.
 */
function convBlock(
  x: SymbolicTensor,
  conv: ConvConfig,
  make: ConvLayers,
  filters: number,
  i: number,
): SymbolicTensor {
  const { kernelSize } = conv;
  if (conv.block === "plain") {
    x = apply(make.conv({ filters, kernelSize, name: `conv${i}` }), x);
    x = apply(make.batchNorm(`bn${i}`), x);
    return apply(tf.layers.reLU({ name: `relu${i}` }), x);
  }
  let y = apply(make.conv({ filters, kernelSize, name: `conv${i}a` }), x);
  y = apply(make.batchNorm(`bn${i}a`), y);
  y = apply(tf.layers.reLU({ name: `relu${i}a` }), y);
  y = apply(make.conv({ filters, kernelSize, name: `conv${i}b` }), y);
  y = apply(make.batchNorm(`bn${i}b`), y);
  let skip = x;
  if (x.shape.at(-1) !== filters) {
    skip = apply(make.conv({ filters, kernelSize: 1, name: `skip${i}` }), x);
    skip = apply(make.batchNorm(`skip_bn${i}`), skip);
  }
  const sum = tf.layers.add({ name: `residual${i}` }).apply([y, skip]);
  return apply(tf.layers.reLU({ name: `relu${i}` }), sum as SymbolicTensor);
}

/**
 * The convolution stack. 2d: the `frames × dims` input becomes a
 * `frames × bands × inputChannels` image (the frame's [base | Δ | ΔΔ]
 * blocks as channels), and the stack's output one vector of bands ×
 * filters per time step.
 */
function convBlocks(
  x: SymbolicTensor,
  config: ModelConfig,
  input: ModelInput,
  options: BuildModelOptions,
): SymbolicTensor {
  const { conv } = config;
  const make = convLayers(conv, options);
  const [poolTime, poolFreq] = poolWindow(conv);
  if (conv.kind === "2d") {
    const channels = conv.inputChannels;
    x = apply(
      tf.layers.reshape({
        targetShape: channels === 1
          ? [input.frames, input.dims, 1]
          : [input.frames, channels, input.dims / channels],
        name: "to_image",
      }),
      x,
    );
    if (channels > 1) {
      x = apply(
        tf.layers.permute({ dims: [1, 3, 2], name: "channels_last" }),
        x,
      );
    }
  }
  conv.filters.forEach((filters, index) => {
    const i = index + 1;
    x = convBlock(x, conv, make, filters, i);
    if (poolTime > 1 || (conv.kind === "2d" && poolFreq > 1)) {
      x = apply(make.pool(`pool${i}`), x);
    }
    if (conv.dropout > 0) {
      x = apply(
        tf.layers.dropout({ rate: conv.dropout, name: `conv_drop${i}` }),
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

/** ε of the `stats` pooling's standard deviation √(σ² + ε). */
export const STATS_EPSILON = 1e-5;

function poolOverTime(x: SymbolicTensor, config: ModelConfig): SymbolicTensor {
  switch (config.pooling) {
    case "last":
      return x;
    case "mean":
      return apply(tf.layers.globalAveragePooling1d({ name: "mean_pool" }), x);
    case "stats": {
      // The std without a square-root layer (TF.js has none): with
      // ĥ = (h − μ)/√(σ² + ε) over time per feature (LayerNormalization over
      // the time axis), mean_t(h·ĥ) = σ²/√(σ² + ε) ≈ σ; smooth at σ = 0.
      const mean = apply(
        tf.layers.globalAveragePooling1d({ name: "stats_mean" }),
        x,
      );
      const normalized = apply(
        tf.layers.layerNormalization({
          axis: 1,
          center: false,
          scale: false,
          epsilon: STATS_EPSILON,
          name: "stats_normalize",
        }),
        x,
      );
      const product = tf.layers.multiply({ name: "stats_product" })
        .apply([x, normalized]) as SymbolicTensor;
      const std = apply(
        tf.layers.globalAveragePooling1d({ name: "stats_std" }),
        product,
      );
      return tf.layers.concatenate({ name: "stats_pool" })
        .apply([mean, std]) as SymbolicTensor;
    }
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
 * Throws an Error naming the field when the architecture cannot take
 * `input` ({@linkcode checkModelInput}). Initial weights come from TF.js's
 * initialisers; call inside
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
  checkModelInput(config, input);
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
