/**
 * The CNN+LSTM architecture as a typed, serialisable config. It is saved in
 * every model card, so a model directory always says how it was built.
 *
 * @module
 */

/** Convolution blocks: conv → BatchNorm → ReLU → max-pool → dropout, repeated. */
export interface ConvConfig {
  /**
   * `1d`: convolution over time with the feature dims as channels;
   * `2d`: convolution over the time × frequency plane (one input channel).
   */
  kind: "1d" | "2d";
  /** Filters of each block; the number of blocks is its length (may be 0). */
  filters: number[];
  /** Kernel size (time, and frequency for 2d). */
  kernelSize: number;
  /** Max-pooling size after each block (1 = no pooling). */
  poolSize: number;
  /** Dropout rate after each block. */
  dropout: number;
}

/** The recurrent part. */
export interface RnnConfig {
  /** LSTM units (per direction). */
  units: number;
  /** Wrap the LSTM in a bidirectional layer (outputs concatenated). */
  bidirectional: boolean;
}

/** Full model configuration. */
export interface ModelConfig {
  /** Convolution front end. */
  conv: ConvConfig;
  /** (Bi)LSTM. */
  rnn: RnnConfig;
  /**
   * How the LSTM's sequence becomes one vector: its `last` state, the `mean`
   * over time, or learned `attention` weights over time.
   */
  pooling: "last" | "mean" | "attention";
  /** Hidden units of the dense head, before the softmax layer. */
  dense: number[];
  /** Dropout before the dense head. */
  dropout: number;
}

/**
 * Default architecture, as in `../shared/anchors/torch_cnn_lstm.py`:
 * two Conv1D blocks (64, 128 filters, kernel 5, pool 2), LSTM 128 (last
 * state), dropout 0.3, dense 64, softmax.
 */
export const DEFAULT_MODEL_CONFIG: ModelConfig = {
  conv: {
    kind: "1d",
    filters: [64, 128],
    kernelSize: 5,
    poolSize: 2,
    dropout: 0,
  },
  rnn: { units: 128, bidirectional: false },
  pooling: "last",
  dense: [64],
  dropout: 0.3,
};

/** Merges a partial config (e.g. from a `--config` JSON file) over a base. */
export function mergeModelConfig(
  base: ModelConfig,
  patch: Partial<
    Omit<ModelConfig, "conv" | "rnn"> & {
      conv: Partial<ConvConfig>;
      rnn: Partial<RnnConfig>;
    }
  >,
): ModelConfig {
  return {
    ...base,
    ...patch,
    conv: { ...base.conv, ...patch.conv },
    rnn: { ...base.rnn, ...patch.rnn },
  };
}
