/**
 * The CNN+LSTM architecture as a typed, serialisable config. It is saved in
 * every model card, so a model directory always says how it was built.
 *
 * @module
 */
import {
  expectBoolean,
  expectInt,
  expectIntArray,
  expectNumber,
  expectObject,
  expectOneOf,
  fail,
  rejectUnknownKeys,
} from "../schema.ts";
import { MAX_LAYER_UNITS, MAX_LAYERS } from "../limits.ts";

/**
 * Convolution blocks, repeated: `plain` conv → BatchNorm → ReLU, or
 * `residual` (conv → BatchNorm → ReLU → conv → BatchNorm, plus the block's
 * input — through a 1×1 conv + BatchNorm where the width changes — then
 * ReLU); each followed by max-pool and dropout.
 */
export interface ConvConfig {
  /**
   * `1d`: convolution over time with the feature dims as channels;
   * `2d`: convolution over the time × frequency plane.
   */
  kind: "1d" | "2d";
  /** Filters of each block; the number of blocks is its length (may be 0). */
  filters: number[];
  /** Kernel size (time, and frequency for 2d). */
  kernelSize: number;
  /**
   * Max-pooling after each block (1 = no pooling): one size for every axis,
   * or (2d) `[time, frequency]`, e.g. `[1, 2]` pools frequency only.
   */
  poolSize: number | [number, number];
  /** Dropout rate after each block. */
  dropout: number;
  /** `plain` or `residual` blocks (see {@linkcode ConvConfig}). */
  block: "plain" | "residual";
  /**
   * 2d only: input channels of the time × frequency plane. 1: the frame's
   * feature dims are one frequency axis (with deltas, [base | Δ | ΔΔ] side
   * by side); `1 + deltaOrder`: each frame is split into its base, Δ and ΔΔ
   * blocks as channels over a frequency axis of the base dims (the layout of
   * `extractFeatures`). 1d: must be 1.
   */
  inputChannels: number;
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
   * over time, learned `attention` weights over time, or `stats`: the mean
   * and the standard deviation over time side by side (twice the width).
   */
  pooling: "last" | "mean" | "attention" | "stats";
  /** Hidden units of the dense head, before the softmax layer. */
  dense: number[];
  /** Dropout before the dense head. */
  dropout: number;
}

/**
 * The 1-D network: the convolution blocks of
 * `../shared/anchors/torch_cnn_lstm.py` (two Conv1D blocks over time with
 * the frame's feature dims as channels, 64 and 128 filters, kernel 5, pool
 * 2), LSTM 128 with mean pooling over time, dropout 0.3, dense 64, softmax.
 * Small and quick; the default before the 2-D network (see the README's
 * real-speech quality table for how the two compare).
 */
export const CONV1D_MODEL_CONFIG: ModelConfig = {
  conv: {
    kind: "1d",
    filters: [64, 128],
    kernelSize: 5,
    poolSize: 2,
    dropout: 0,
    block: "plain",
    inputChannels: 1,
  },
  rnn: { units: 128, bidirectional: false },
  pooling: "mean",
  dense: [64],
  dropout: 0.3,
};

/**
 * The default architecture, chosen by speaker-independent cross-validation
 * on 16 RAVDESS actors (`deno task bench quality`, figures in the README):
 * for log-mel + Δ + ΔΔ features, the three as input channels over the mel
 * bands, four Conv2D blocks (3×3, 16/32/64/128 filters, BatchNorm, ReLU,
 * 2×2 max-pool, dropout 0.2), bands × filters per time step into a BiLSTM
 * (128 per direction), attention pooling, dropout 0.3, softmax.
 */
export const DEFAULT_MODEL_CONFIG: ModelConfig = {
  conv: {
    kind: "2d",
    filters: [16, 32, 64, 128],
    kernelSize: 3,
    poolSize: 2,
    dropout: 0.2,
    block: "plain",
    inputChannels: 3,
  },
  rnn: { units: 128, bidirectional: true },
  pooling: "attention",
  dense: [],
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

/** Most 2d input channels (base features and two orders of deltas). */
export const MAX_INPUT_CHANNELS = 3;

/** The keys of {@linkcode ConvConfig} added after the first model cards. */
const LATER_CONV_KEYS: Pick<ConvConfig, "block" | "inputChannels"> = {
  block: "plain",
  inputChannels: 1,
};

/**
 * Checks an architecture (e.g. a `--config` file's `model` section merged
 * over the default, or a card's) and returns it typed: known keys only,
 * every field of the right type and within bounds that keep the model a
 * size this toolkit trains (at most {@linkcode MAX_LAYERS} blocks of at most
 * {@linkcode MAX_LAYER_UNITS} units). `conv.block` and `conv.inputChannels`
 * may be absent (cards written before they existed): they default to
 * `plain` and 1, what such a model was built with. Errors name `where` and
 * the field. Whether the architecture fits an input size is
 * {@linkcode checkModelInput}'s question.
 */
export function validateModelConfig(
  value: unknown,
  where = "model",
): ModelConfig {
  const o = expectObject(value, where);
  rejectUnknownKeys(o, ["conv", "rnn", "pooling", "dense", "dropout"], where);
  const conv: Record<string, unknown> = {
    ...LATER_CONV_KEYS,
    ...expectObject(o.conv, `${where}.conv`),
  };
  const at = (key: string) => `${where}.conv.${key}`;
  rejectUnknownKeys(conv, [
    "kind",
    "filters",
    "kernelSize",
    "poolSize",
    "dropout",
    "block",
    "inputChannels",
  ], `${where}.conv`);
  const kind = expectOneOf(conv.kind, ["1d", "2d"], at("kind"));
  const units = { min: 1, max: MAX_LAYER_UNITS };
  expectIntArray(conv.filters, at("filters"), units, MAX_LAYERS);
  expectInt(conv.kernelSize, at("kernelSize"), { min: 1, max: 31 });
  const pool = { min: 1, max: 8 };
  if (Array.isArray(conv.poolSize)) {
    if (kind === "1d" || conv.poolSize.length !== 2) {
      fail(
        at("poolSize"),
        kind === "1d"
          ? "must be one number for 1d convolution"
          : `must be one number or [time, frequency], got ${conv.poolSize.length} entries`,
      );
    }
    expectIntArray(conv.poolSize, at("poolSize"), pool, 2);
  } else {
    expectInt(conv.poolSize, at("poolSize"), pool);
  }
  expectNumber(conv.dropout, at("dropout"), { min: 0, below: 1 });
  expectOneOf(conv.block, ["plain", "residual"], at("block"));
  expectInt(conv.inputChannels, at("inputChannels"), {
    min: 1,
    max: kind === "1d" ? 1 : MAX_INPUT_CHANNELS,
  });
  const rnn = expectObject(o.rnn, `${where}.rnn`);
  rejectUnknownKeys(rnn, ["units", "bidirectional"], `${where}.rnn`);
  expectInt(rnn.units, `${where}.rnn.units`, units);
  expectBoolean(rnn.bidirectional, `${where}.rnn.bidirectional`);
  expectOneOf(
    o.pooling,
    ["last", "mean", "attention", "stats"],
    `${where}.pooling`,
  );
  expectIntArray(o.dense, `${where}.dense`, units, MAX_LAYERS);
  expectNumber(o.dropout, `${where}.dropout`, { min: 0, below: 1 });
  return { ...o, conv } as unknown as ModelConfig;
}

/** Input geometry of the model: a time-major feature matrix. */
export interface ModelInput {
  /** Frames (time steps) per example. */
  frames: number;
  /** Feature dims per frame (e.g. 40 MFCC, ×3 with deltas). */
  dims: number;
}

/** The max-pooling window of every block as `[time, frequency]`. */
export function poolWindow(conv: ConvConfig): [number, number] {
  return typeof conv.poolSize === "number"
    ? [conv.poolSize, conv.poolSize]
    : conv.poolSize;
}

/**
 * The shape of the convolution stack's output for `input`: `steps` time
 * steps of `width` features each (what the LSTM reads). Throws an Error
 * naming `where` when the architecture cannot take the input: 2d input
 * channels that do not divide the frame's dims, or pooling that leaves no
 * time step or no frequency band.
 */
export function checkModelInput(
  config: ModelConfig,
  input: ModelInput,
  where = "model",
): { steps: number; width: number } {
  const { conv } = config;
  const { inputChannels } = conv;
  if (input.dims % inputChannels !== 0) {
    fail(
      `${where}.conv.inputChannels`,
      `${inputChannels} channels do not divide the ${input.dims} feature dims per frame`,
    );
  }
  const [poolTime, poolFreq] = conv.kind === "2d"
    ? poolWindow(conv)
    : [poolWindow(conv)[0], 1];
  let steps = input.frames;
  let bands = conv.kind === "2d" ? input.dims / inputChannels : 1;
  conv.filters.forEach((_, i) => {
    steps = Math.floor(steps / poolTime);
    bands = Math.floor(bands / poolFreq);
    if (steps === 0 || bands === 0) {
      fail(
        `${where}.conv.poolSize`,
        `after block ${i + 1} of ${conv.filters.length}, pooling by ${
          JSON.stringify(conv.poolSize)
        } leaves no ${
          steps === 0
            ? `time step of the ${input.frames} frames`
            : `frequency band of the ${input.dims / inputChannels}`
        }`,
      );
    }
  });
  const channels = conv.filters.at(-1) ??
    (conv.kind === "2d" ? inputChannels : input.dims);
  return { steps, width: conv.kind === "2d" ? bands * channels : channels };
}
