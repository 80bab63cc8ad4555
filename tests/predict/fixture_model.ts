/**
 * Test fixture: tiny but complete model directories (real architecture,
 * seeded random weights, full card) written the way training writes them, for
 * prediction tests and any other test that needs a model directory.
 *
 * @module
 */
import {
  DEFAULT_FEATURE_CONFIG,
  type FeatureConfig,
  featureDims,
} from "../../lib/features/mod.ts";
import type { ModelCard } from "../../lib/run/mod.ts";
import {
  CONV1D_MODEL_CONFIG,
  mergeModelConfig,
  type ModelConfig,
} from "../../lib/model/config.ts";
import {
  type UntrainedModelOptions,
  writeUntrainedModel,
} from "../../lib/predict/mod.ts";

/** Feature config of the fixture: 13 MFCC + deltas, 1 s model window (100 frames). */
export const TINY_FEATURE_CONFIG: FeatureConfig = {
  ...DEFAULT_FEATURE_CONFIG,
  nMels: 32,
  nMfcc: 13,
  frames: 100,
};

/** A small CNN+LSTM (one conv block of 8 filters, LSTM 8, dense 8). */
export const TINY_MODEL_CONFIG: ModelConfig = mergeModelConfig(
  CONV1D_MODEL_CONFIG,
  { conv: { filters: [8] }, rnn: { units: 8 }, dense: [8] },
);

/** Four classes. */
export const TINY_LABELS: readonly string[] = [
  "neutral",
  "happy",
  "sad",
  "angry",
];

/** Non-trivial normalisation statistics for `dims` dimensions (mean ≠ 0, std ≠ 1). */
export function fixtureNormalization(
  dims: number,
): { mean: number[]; std: number[] } {
  return {
    mean: Array.from({ length: dims }, (_, d) => 0.2 * Math.sin(d + 1)),
    std: Array.from({ length: dims }, (_, d) => 0.7 + 0.4 * Math.cos(d)),
  };
}

/**
 * Writes a tiny model directory into `dir` (default: a new temporary
 * folder) and returns it with its card. `options` override the tiny
 * defaults (feature config, architecture, labels, normalisation, seed).
 */
export async function writeFixtureModel(
  dir?: string,
  options: UntrainedModelOptions = {},
): Promise<{ dir: string; card: ModelCard }> {
  const target = dir ?? await Deno.makeTempDir({ prefix: "ser-model-" });
  const featureConfig = options.featureConfig ?? TINY_FEATURE_CONFIG;
  const card = await writeUntrainedModel(target, {
    modelConfig: TINY_MODEL_CONFIG,
    labels: TINY_LABELS,
    normalization: fixtureNormalization(featureDims(featureConfig)),
    seed: 7,
    ...options,
    featureConfig,
  });
  return { dir: target, card };
}
