/**
 * The recipe: everything that defines how a model is made — features,
 * architecture, training hyper-parameters and augmentation — as one typed,
 * validated object. `deno task train --config file.json` takes any subset of
 * its four sections (`features`, `model`, `train`, `augment`), merged over
 * {@linkcode DEFAULT_RECIPE} and checked here, at the door, against the real
 * schema (unknown keys, types, ranges), before any audio is read. The model
 * card saves the resolved recipe.
 *
 * @module
 */
import {
  type AugmentConfig,
  DEFAULT_AUGMENT_CONFIG,
  validateAugmentConfig,
} from "../augment/mod.ts";
import {
  DEFAULT_FEATURE_CONFIG,
  type FeatureConfig,
  featureDims,
  validateFeatureConfig,
} from "../features/mod.ts";
import {
  expectBoolean,
  expectInt,
  expectNumber,
  expectObject,
  expectOneOf,
  fail,
  rejectUnknownKeys,
} from "../schema.ts";
import { MAX_BATCH_SIZE, MAX_EPOCHS } from "../limits.ts";
import {
  checkModelInput,
  DEFAULT_MODEL_CONFIG,
  mergeModelConfig,
  type ModelConfig,
  validateModelConfig,
} from "./config.ts";

/** Hyper-parameters of a training run (saved in the model card). */
export interface TrainConfig {
  /** Maximum number of epochs. */
  epochs: number;
  /** Examples per gradient step. */
  batchSize: number;
  /** Initial Adam learning rate. */
  learningRate: number;
  /**
   * `plateau`: halve the rate after `patience / 2` epochs without a better
   * validation UAR; `cosine`: cosine decay to 5 % over `epochs`;
   * `constant`: never change it. Both of the latter start with
   * `warmupEpochs` of linear warm-up.
   */
  schedule: "plateau" | "cosine" | "constant";
  /**
   * Epochs of linear learning-rate warm-up (`cosine` and `constant`); a run
   * with fewer epochs warms up for all but its last.
   */
  warmupEpochs: number;
  /**
   * Which weights the model keeps: the epoch with the `best` validation UAR
   * (early stopping after `patience` epochs without a better one), or the
   * `last` epoch of a fixed budget (averaged over `averageLast` epochs).
   */
  keep: "best" | "last";
  /** Stop after this many epochs without a better validation UAR (`keep: "best"`). */
  patience: number;
  /**
   * With `keep: "last"`: average the weights of the last N epochs (1: the
   * last one's; all of them when the run is shorter). `keep: "best"` keeps
   * one epoch and ignores it.
   */
  averageLast: number;
  /**
   * Speakers of the training part held out for validation: a number, or
   * `auto` (15 %, at least one). `keep: "best"` needs at least one.
   */
  validationSpeakers: number | "auto";
  /** Weight the loss by scikit-learn's "balanced" class weights. */
  classWeights: boolean;
  /** Label smoothing ε: targets are (1 − ε)·one-hot + ε / classes. */
  labelSmoothing: number;
  /** Mixup α: each batch is mixed with a shuffled copy of itself by λ ~ Beta(α, α); 0 = off. */
  mixup: number;
  /** Decoupled (AdamW-style) weight decay of every kernel, per step × learning rate; 0 = off. */
  weightDecay: number;
  /** Seed for initial weights, shuffling, mixup and dropout. */
  seed: number;
}

/**
 * Defaults for {@linkcode TrainConfig}: a fixed budget of 30 epochs (3 of
 * warm-up, cosine decay), the average of the last 3 epochs' weights kept,
 * no validation speakers (early stopping on a few speakers is noise; the
 * budget is scored by cross-validation instead), mixup 0.2, label smoothing 0.05,
 * weight decay 0.01.
 */
export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  epochs: 30,
  batchSize: 32,
  learningRate: 1e-3,
  schedule: "cosine",
  warmupEpochs: 3,
  keep: "last",
  patience: 10,
  averageLast: 3,
  validationSpeakers: 0,
  classWeights: true,
  labelSmoothing: 0.05,
  mixup: 0.2,
  weightDecay: 0.01,
  seed: 42,
};

/**
 * Checks training hyper-parameters and returns them typed: known keys only,
 * `epochs` and `patience` in 1…{@linkcode MAX_EPOCHS}, `batchSize` in
 * 1…{@linkcode MAX_BATCH_SIZE}, a learning rate in (0, 1], known schedule
 * and kept weights, warm-up and averaged epochs up to the maximum, label
 * smoothing in [0, 0.5], mixup α in [0, 10], weight decay in [0, 1), and a
 * non-negative integer seed.
 */
export function validateTrainConfig(
  value: unknown,
  where = "train",
): TrainConfig {
  const o = expectObject(value, where);
  rejectUnknownKeys(o, Object.keys(DEFAULT_TRAIN_CONFIG), where);
  expectInt(o.epochs, `${where}.epochs`, { min: 1, max: MAX_EPOCHS });
  expectInt(o.batchSize, `${where}.batchSize`, { min: 1, max: MAX_BATCH_SIZE });
  expectNumber(o.learningRate, `${where}.learningRate`, { above: 0, max: 1 });
  expectOneOf(
    o.schedule,
    ["plateau", "cosine", "constant"],
    `${where}.schedule`,
  );
  expectInt(o.warmupEpochs, `${where}.warmupEpochs`, {
    min: 0,
    max: MAX_EPOCHS,
  });
  const keep = expectOneOf(o.keep, ["best", "last"], `${where}.keep`);
  expectInt(o.patience, `${where}.patience`, { min: 1, max: MAX_EPOCHS });
  expectInt(o.averageLast, `${where}.averageLast`, { min: 1, max: MAX_EPOCHS });
  if (o.validationSpeakers !== "auto") {
    expectInt(o.validationSpeakers, `${where}.validationSpeakers`, {
      min: keep === "best" ? 1 : 0,
      max: 1000,
    });
  }
  expectBoolean(o.classWeights, `${where}.classWeights`);
  expectNumber(o.labelSmoothing, `${where}.labelSmoothing`, {
    min: 0,
    max: 0.5,
  });
  expectNumber(o.mixup, `${where}.mixup`, { min: 0, max: 10 });
  expectNumber(o.weightDecay, `${where}.weightDecay`, { min: 0, below: 1 });
  expectInt(o.seed, `${where}.seed`, { min: 0, max: 2 ** 32 - 1 });
  return o as unknown as TrainConfig;
}

/** The four sections of a recipe. */
export interface Recipe {
  /** Feature extraction (saved as the card's `featureConfig`). */
  features: FeatureConfig;
  /** Architecture. */
  model: ModelConfig;
  /** Training hyper-parameters. */
  train: TrainConfig;
  /** Augmentation of the training fold. */
  augment: AugmentConfig;
}

/** Any subset of a recipe (nested `conv` / `rnn` partial too), e.g. a `--config` file. */
export interface RecipePatch {
  /** Feature fields to change. */
  features?: Partial<FeatureConfig>;
  /** Architecture fields to change. */
  model?: Parameters<typeof mergeModelConfig>[1];
  /** Training fields to change. */
  train?: Partial<TrainConfig>;
  /** Augmentation fields to change. */
  augment?: Partial<AugmentConfig>;
}

/**
 * The default recipe: what `deno task train` trains, chosen by
 * `deno task bench quality` (speaker-independent cross-validation on 16
 * RAVDESS actors; the alternatives and their figures are in the README).
 * Features: 40 log-mel bands with Δ and ΔΔ every 20 ms (25 ms windows),
 * silence trimmed at 30 dB, standardised per speaker, 100 frames (2 s).
 */
export const DEFAULT_RECIPE: Recipe = {
  features: {
    ...DEFAULT_FEATURE_CONFIG,
    kind: "logmel",
    nMels: 40,
    hopLength: 320,
    trimTopDb: 30,
    normalize: "speaker",
    frames: 100,
  },
  model: DEFAULT_MODEL_CONFIG,
  train: DEFAULT_TRAIN_CONFIG,
  augment: DEFAULT_AUGMENT_CONFIG,
};

const SECTIONS = ["features", "model", "train", "augment"] as const;

/**
 * Merges `patches` (applied in order; e.g. a `--config` file, then command
 * line flags) over `base` (default {@linkcode DEFAULT_RECIPE}) and validates
 * the result. Throws an Error naming `source`, the section and the field on
 * an unknown key, a wrong type or a value out of range.
 */
export function resolveRecipe(
  patches: readonly unknown[],
  source = "recipe",
  base: Recipe = DEFAULT_RECIPE,
): Recipe {
  let recipe: Recipe = structuredClone(base);
  for (const value of patches) {
    const patch = expectObject(value, source);
    rejectUnknownKeys(patch, SECTIONS, source);
    for (const key of SECTIONS) {
      if (patch[key] !== undefined) {
        expectObject(patch[key], `${source} ${key}`);
      }
    }
    const model = patch.model as Record<string, unknown> | undefined;
    for (const key of ["conv", "rnn"]) {
      if (model?.[key] !== undefined) {
        expectObject(model[key], `${source} model.${key}`);
      }
    }
    const p = patch as RecipePatch;
    recipe = {
      features: { ...recipe.features, ...p.features },
      model: p.model ? mergeModelConfig(recipe.model, p.model) : recipe.model,
      train: { ...recipe.train, ...p.train },
      augment: { ...recipe.augment, ...p.augment },
    };
  }
  const resolved: Recipe = {
    features: validateFeatureConfig(recipe.features, `${source} features`),
    model: validateModelConfig(recipe.model, `${source} model`),
    train: validateTrainConfig(recipe.train, `${source} train`),
    augment: validateAugmentConfig(recipe.augment, `${source} augment`),
  };
  checkModelFeatures(resolved.model, resolved.features, `${source} model`);
  return resolved;
}

/**
 * Checks that `model` can take the features of `features`: 2d input
 * channels are one (the whole frame) or the base features and their
 * deltas (`1 + deltaOrder`), and the pooling leaves time steps and
 * frequency bands ({@linkcode checkModelInput}). Errors name `where`.
 */
export function checkModelFeatures(
  model: ModelConfig,
  features: FeatureConfig,
  where = "model",
): void {
  const channels = model.conv.inputChannels;
  if (channels !== 1 && channels !== 1 + features.deltaOrder) {
    fail(
      `${where}.conv.inputChannels`,
      `must be 1 or 1 + features.deltaOrder (${
        1 + features.deltaOrder
      }: the base features and their deltas as channels), got ${channels}`,
    );
  }
  checkModelInput(
    model,
    { frames: features.frames, dims: featureDims(features) },
    where,
  );
}

/** Reads a `--config` JSON file and resolves it (see {@linkcode resolveRecipe}). */
export function readRecipeFile(file: string, base?: Recipe): Recipe {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Deno.readTextFileSync(file));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  return resolveRecipe([parsed], file, base);
}
