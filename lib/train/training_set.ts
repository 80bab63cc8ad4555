/**
 * The training-set stage: from one split and the clips' features to the
 * three model inputs — the training fold (its clips, then each augmented
 * waveform copy of them), validation and test — normalised with statistics
 * of the training rows only, plus the per-batch SpecAugment function.
 *
 * @module
 */
import { mapTrainingFold, type TrainingFold } from "../augment/mod.ts";
import type { Utterance } from "../corpora/mod.ts";
import { featureDims } from "../features/mod.ts";
import {
  applyNormalization,
  type Dataset,
  type FixedExample,
  type NormalizationStats,
  normalizationStats,
  stackDataset,
} from "../model/inputs.ts";
import type { Recipe } from "../model/recipe.ts";
import type { ProgressOptions } from "../progress.ts";
import { augmentedCopies, specAugmenter } from "./augment.ts";
import type { DataSplit } from "./split.ts";

/** The model inputs of one split. */
export interface TrainingSet {
  /** Training rows: the fold's clips, then each augmented copy (normalised). */
  train: Dataset;
  /** Validation clips (normalised). */
  validation: Dataset;
  /** Test clips (normalised). */
  test: Dataset;
  /** Statistics of the training rows, applied to all three (saved in the card). */
  stats: NormalizationStats;
  /** Augmented waveform copies per training clip. */
  copies: number;
  /** Fresh SpecAugment masks for training row `row` in `epoch`, if enabled. */
  augmentExample?: (row: number, epoch: number) => Float32Array;
}

function datasetOf(
  examples: readonly FixedExample[],
  items: readonly Utterance[],
  labels: readonly string[],
  recipe: Recipe,
): Dataset {
  return stackDataset(
    examples,
    items.map((i) => labels.indexOf(i.emotion)),
    { frames: recipe.features.frames, dims: featureDims(recipe.features) },
  );
}

/**
 * Builds the {@linkcode TrainingSet} of `split` from `features` (by path),
 * making the recipe's augmented copies of the training fold first.
 */
export async function buildTrainingSet(
  split: DataSplit<Utterance>,
  features: ReadonlyMap<string, FixedExample>,
  labels: readonly string[],
  recipe: Recipe,
  progress?: ProgressOptions["mode"],
): Promise<TrainingSet> {
  const featuresOf = (part: readonly Utterance[]) =>
    part.map((i) => features.get(i.path)!);
  const copies = await augmentedCopies(
    split.train,
    recipe.features,
    recipe.augment,
    recipe.train.seed,
    progress,
  );
  const raw = datasetOf(
    [featuresOf(split.train), ...copies].flat(),
    [split.train, ...copies.map(() => split.train)].flat(),
    labels,
    recipe,
  );
  const stats = normalizationStats(raw);
  const train = applyNormalization(raw, stats);
  const normalised = (part: readonly Utterance[]) =>
    applyNormalization(
      datasetOf(featuresOf(part), part, labels, recipe),
      stats,
    );
  const rowSize = train.frames * train.dims;
  const n = split.train.length;
  const augmentExample = specAugmenter(
    [split.train, ...copies].map((fold, c) =>
      mapTrainingFold(fold as TrainingFold<unknown>, (_, i) => ({
        features: train.x.subarray(
          (c * n + i) * rowSize,
          (c * n + i + 1) * rowSize,
        ),
        dims: train.dims,
      }))
    ),
    recipe.augment,
    recipe.train.seed,
  );
  return {
    train,
    validation: normalised(split.validation),
    test: normalised(split.test),
    stats,
    copies: copies.length,
    augmentExample,
  };
}
