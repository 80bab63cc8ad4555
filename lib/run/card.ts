/**
 * The model card (`card.json`) saved beside every model: everything needed to
 * use the model correctly (labels, the exact feature config, normalisation
 * statistics) and to know what it is (the recipe, seed, data, split and its
 * test clips, training outcome, metrics, versions). {@linkcode createCard} is
 * the one builder; {@linkcode readCard} the one reader, which checks a card
 * before anything trusts it.
 *
 * @module
 */
import * as path from "node:path";
import type { AugmentConfig } from "../augment/mod.ts";
import type { LabelOptions } from "../corpora/mod.ts";
import type {
  CrossValidationJson,
  LabelledClip,
  MetricsJson,
} from "../evaluate/mod.ts";
import {
  type FeatureConfig,
  featureConfigHash,
  featureDims,
  validateFeatureConfig,
} from "../features/mod.ts";
import type { ModelConfig } from "../model/config.ts";
import type { NormalizationStats } from "../model/inputs.ts";
import type { Recipe, TrainConfig } from "../model/recipe.ts";
import { exists, writeFileAtomic } from "../paths.ts";
import { CARD_JSON } from "./layout.ts";

/** Format version written by this code; older or newer cards are refused. */
export const CARD_VERSION = 1;

/** The toolkit's version, recorded in every card. */
export const TOOLKIT_VERSION = "0.1.0";

/** `training.stopReason` of a card written while training still runs. */
export const IN_PROGRESS = "in progress";

/** Metrics of one evaluated part, as saved in the card (the `--json` shape). */
export type CardMetrics = MetricsJson;

/** Training hyper-parameters with the augmentation, as the card saves them. */
export type CardTrainConfig = TrainConfig & { augment: AugmentConfig };

/** Where the data came from and what it held. */
export interface CardData {
  /** Corpus folders scanned. */
  dirs: string[];
  /** Corpora found and their clip counts. */
  corpora: Record<string, number>;
  /** SHA-256 of the manifest (paths, labels, speakers) used for training. */
  manifestHash: string;
  /** True when the data is the synthetic demo corpus. */
  synthetic: boolean;
  /** Label merges / selection applied. */
  labelOptions: LabelOptions;
  /** Licence of each corpus trained on, where the toolkit knows it. */
  licences?: Record<string, string>;
}

/** How the data was split. */
export interface CardSplit {
  /** `speaker`, `random`, or `none` (no data). */
  kind: string;
  /** True when speakers were shared across parts (random split). */
  leaky: boolean;
  /** Human-readable description. */
  description: string;
  /** Speakers of each part. */
  speakers: { train: string[]; validation: string[]; test: string[] };
  /** Clips per part. */
  counts: { train: number; validation: number; test: number };
  /** The held-out test clips, in the order they were scored. */
  testClips: LabelledClip[];
  /** Cross-validation fold (1-based) when part of `--folds`. */
  fold?: number;
}

/** Training outcome. */
export interface CardTraining {
  /** Epochs run. */
  epochs: number;
  /** Epoch whose weights were kept. */
  bestEpoch: number;
  /** Why training stopped ({@linkcode IN_PROGRESS} while it runs). */
  stopReason: string;
  /** Wall time in seconds. */
  seconds: number;
}

/** Everything `card.json` holds. */
export interface ModelCard {
  /** Always `ser-model-card`. */
  format: "ser-model-card";
  /** Card format version ({@linkcode CARD_VERSION}). */
  version: number;
  /** Run name (the model directory's name). */
  run: string;
  /** ISO time the model was saved. */
  createdAt: string;
  /** Class labels in output order. */
  labels: string[];
  /** The exact feature config used in training; prediction must use it. */
  featureConfig: FeatureConfig;
  /** Hash of `featureConfig` (see featureConfigHash); checked on reading. */
  featureConfigHash: string;
  /** Per-dimension statistics applied to features before the model. */
  normalization: NormalizationStats;
  /** Architecture. */
  modelConfig: ModelConfig;
  /** Training hyper-parameters and augmentation. */
  trainConfig: CardTrainConfig;
  /** Seed of the run. */
  seed: number;
  /** Where the data came from and what it held. */
  data: CardData;
  /** How the data was split. */
  split: CardSplit;
  /** Training outcome. */
  training: CardTraining;
  /** Metrics per evaluated part. */
  metrics: {
    validation?: CardMetrics;
    test?: CardMetrics;
    /**
     * A model refitted on every speaker (no test part): the held-out scores
     * of the cross-validation folds it was refitted after — its estimate.
     */
    crossValidation?: CrossValidationJson;
  };
  /** Library and runtime versions. */
  versions: Record<string, string>;
}

/** What {@linkcode createCard} needs; the rest it derives. */
export interface CardFields {
  /** Run name (default: the directory's name, see {@linkcode writeCard}). */
  run: string;
  /** Class labels in output order. */
  labels: readonly string[];
  /** The recipe the model was made with. */
  recipe: Recipe;
  /** Normalisation statistics of the training fold. */
  normalization: NormalizationStats;
  /** Where the data came from. */
  data: CardData;
  /** How it was split. */
  split: CardSplit;
  /** Training outcome. */
  training: CardTraining;
  /** Metrics per evaluated part (default none). */
  metrics?: ModelCard["metrics"];
  /** Runtime versions beyond the toolkit's and Deno's (e.g. tfjs, backend). */
  versions?: Record<string, string>;
  /** The card's time (default now). */
  createdAt?: Date;
}

/** Builds a card: format, version, time, feature-config hash, versions filled in. */
export function createCard(fields: CardFields): ModelCard {
  const { recipe } = fields;
  return {
    format: "ser-model-card",
    version: CARD_VERSION,
    run: fields.run,
    createdAt: (fields.createdAt ?? new Date()).toISOString(),
    labels: [...fields.labels],
    featureConfig: { ...recipe.features },
    featureConfigHash: featureConfigHash(recipe.features),
    normalization: fields.normalization,
    modelConfig: recipe.model,
    trainConfig: { ...recipe.train, augment: recipe.augment },
    seed: recipe.train.seed,
    data: fields.data,
    split: fields.split,
    training: fields.training,
    metrics: fields.metrics ?? {},
    versions: {
      toolkit: TOOLKIT_VERSION,
      deno: Deno.version.deno,
      ...fields.versions,
    },
  };
}

/** True when training finished (or was interrupted and kept its best epoch). */
export function isFinished(card: ModelCard): boolean {
  return card.training?.stopReason !== IN_PROGRESS;
}

/** Writes `card.json` into `dir` atomically. */
export function writeCard(dir: string, card: ModelCard): void {
  writeFileAtomic(
    path.join(dir, CARD_JSON),
    JSON.stringify(card, null, 2) + "\n",
  );
}

/**
 * Reads and checks `card.json` in `dir`. Throws an Error naming the file and
 * the reason when it is missing, malformed, from an incompatible version,
 * or inconsistent: labels, a feature config that fails validation or no
 * longer matches its recorded hash (edited by hand), normalisation
 * statistics that are not one finite mean and positive std per feature
 * dimension.
 */
export function readCard(dir: string): ModelCard {
  const file = path.join(dir, CARD_JSON);
  if (!exists(file)) {
    throw new Error(
      `${dir}: no ${CARD_JSON} (incomplete model directory, or not a model)`,
    );
  }
  let card: ModelCard;
  try {
    card = JSON.parse(Deno.readTextFileSync(file));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const fail = (reason: string): never => {
    throw new Error(`${file}: ${reason}`);
  };
  if (card?.format !== "ser-model-card") {
    fail(`not a model card (format is ${String(card?.format)})`);
  }
  if (card.version !== CARD_VERSION) {
    fail(
      `card version ${card.version} is incompatible with this toolkit (reads version ${CARD_VERSION}); retrain the model`,
    );
  }
  if (
    !Array.isArray(card.labels) || card.labels.length < 2 ||
    !card.labels.every((l) => typeof l === "string")
  ) fail("labels missing, not strings, or fewer than 2");
  card.featureConfig = validateFeatureConfig(
    card.featureConfig,
    `${file} featureConfig`,
  );
  const hash = featureConfigHash(card.featureConfig);
  if (card.featureConfigHash !== hash) {
    fail(
      `featureConfig does not match its recorded featureConfigHash (${
        String(card.featureConfigHash)
      }, the config hashes to ${hash}): the card was edited; the model only works with the features it was trained on`,
    );
  }
  const dims = featureDims(card.featureConfig);
  const { mean, std } = card.normalization ?? {};
  if (
    !Array.isArray(mean) || !Array.isArray(std) || mean.length !== dims ||
    std.length !== dims
  ) {
    fail(
      `normalization statistics missing or not ${dims} dims (the feature config's)`,
    );
  }
  if (
    !mean.every(Number.isFinite) ||
    !std.every((s) => Number.isFinite(s) && s > 0)
  ) fail("normalization statistics hold non-finite values or a std ≤ 0");
  return card;
}

/**
 * The model's held-out test clips, as recorded in its card. Throws an Error
 * saying why they cannot be used: none recorded (an untrained model), or
 * their audio is not on this machine.
 */
export function testClipsOf(card: ModelCard): LabelledClip[] {
  const clips = card.split?.testClips ?? [];
  if (clips.length === 0) {
    throw new Error(
      card.metrics.crossValidation
        ? `${card.run} was refitted on every speaker: it has no held-out clips (its estimate is the cross-validation in its card)`
        : `the card of ${card.run} records no test clips`,
    );
  }
  const missing = clips.filter((c) => !exists(c.path));
  if (missing.length > 0) {
    throw new Error(
      `${missing.length} of the ${clips.length} test clips recorded in the card of ${card.run} are not on this machine (first: ${
        missing[0].path
      })`,
    );
  }
  return clips;
}

/** The recipe a card records (e.g. to train the same recipe again). */
export function recipeOf(card: ModelCard): Recipe {
  const { augment, ...train } = card.trainConfig;
  return {
    features: card.featureConfig,
    model: card.modelConfig,
    train,
    augment,
  };
}
