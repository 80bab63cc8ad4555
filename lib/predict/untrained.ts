/**
 * An untrained model directory: the real architecture with seeded random
 * weights and a complete card, written exactly as training writes a model
 * (`model.json` + `weights.bin` + `card.json`). The prediction benchmark uses
 * it when no trained model exists, and tests use tiny ones, so both run the
 * same load-and-predict path as a trained model.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import * as path from "node:path";
import { initBackend } from "../tfjs/mod.ts";
import { type FeatureConfig, featureDims } from "../features/mod.ts";
import { DEFAULT_RECIPE } from "../model/recipe.ts";
import { createCard, type ModelCard, writeCard } from "../run/mod.ts";
import { RAVDESS_EMOTIONS } from "../corpora/mod.ts";
import { buildModel } from "../model/cnn_lstm.ts";
import type { ModelConfig } from "../model/config.ts";
import { saveLayersModel } from "../model/io.ts";
import { withSeededMathRandom } from "../random.ts";

/** The eight RAVDESS emotions, in vocabulary order. */
export const RAVDESS_LABELS: readonly string[] = Object.values(
  RAVDESS_EMOTIONS,
);

/** Options of {@linkcode writeUntrainedModel}. */
export interface UntrainedModelOptions {
  /** Feature config of the card (default the default recipe's). */
  featureConfig?: FeatureConfig;
  /** Architecture (default the default recipe's). */
  modelConfig?: ModelConfig;
  /** Class labels (default {@linkcode RAVDESS_LABELS}). */
  labels?: readonly string[];
  /** Normalisation statistics (default mean 0, std 1 for every dim). */
  normalization?: { mean: number[]; std: number[] };
  /** Seed of the random weights (default 0). */
  seed?: number;
  /** The card's `createdAt` (default now). */
  createdAt?: string;
}

/**
 * Writes a model with seeded random weights and its card into `dir`
 * (created if missing) and returns the card. Initialises the TF.js backend.
 */
export async function writeUntrainedModel(
  dir: string,
  options: UntrainedModelOptions = {},
): Promise<ModelCard> {
  await initBackend();
  const featureConfig = options.featureConfig ?? DEFAULT_RECIPE.features;
  const modelConfig = options.modelConfig ?? DEFAULT_RECIPE.model;
  const labels = [...(options.labels ?? RAVDESS_LABELS)];
  const seed = options.seed ?? 0;
  const dims = featureDims(featureConfig);
  const model = await withSeededMathRandom(
    `${seed}:init`,
    () =>
      buildModel(
        modelConfig,
        { frames: featureConfig.frames, dims },
        labels.length,
      ),
  );
  try {
    await saveLayersModel(model, dir);
  } finally {
    model.dispose();
  }
  const card = createCard({
    run: path.basename(path.resolve(dir)),
    labels,
    recipe: {
      ...DEFAULT_RECIPE,
      features: featureConfig,
      model: modelConfig,
      train: { ...DEFAULT_RECIPE.train, seed },
    },
    normalization: options.normalization ?? {
      mean: new Array(dims).fill(0),
      std: new Array(dims).fill(1),
    },
    data: {
      dirs: [],
      corpora: {},
      manifestHash: "",
      synthetic: false,
      labelOptions: {},
    },
    split: {
      kind: "none",
      leaky: false,
      description: "untrained: seeded random weights, no data",
      speakers: { train: [], validation: [], test: [] },
      counts: { train: 0, validation: 0, test: 0 },
      testClips: [],
    },
    training: {
      epochs: 0,
      bestEpoch: 0,
      stopReason: "untrained (random weights)",
      seconds: 0,
    },
    versions: { tfjs: tf.version.tfjs },
    createdAt: options.createdAt ? new Date(options.createdAt) : undefined,
  });
  writeCard(dir, card);
  return card;
}
