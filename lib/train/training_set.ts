/**
 * The training-set stage: from one split and the clips' features to the
 * three model inputs — the training fold (its clips, then each augmented
 * waveform copy of them), validation and test — with speaker-level
 * normalisation first when the recipe asks for it (each speaker's clips by
 * that speaker's own statistics, test speakers included: unlabelled), then
 * normalised with statistics of the training rows only; plus the per-batch
 * SpecAugment function.
 *
 * @module
 */
import { mapTrainingFold, type TrainingFold } from "../augment/mod.ts";
import type { Utterance } from "../corpora/mod.ts";
import {
  featureDims,
  type FrameStats,
  frameStats,
  normalizeGroups,
  typicalStats,
} from "../features/mod.ts";
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
import type { Rows } from "./stream.ts";

/** The model inputs of one split (in memory, or streamed from disk). */
export interface TrainingSet {
  /** Training rows: the fold's clips, then each augmented copy (normalised). */
  train: Rows;
  /** Validation clips (normalised). */
  validation: Rows;
  /** Test clips (normalised). */
  test: Rows;
  /** Statistics of the training rows, applied to all three (saved in the card). */
  stats: NormalizationStats;
  /**
   * Speaker-normalised recipe: the training speakers' typical statistics
   * (see `typicalStats`), saved in the card for a lone recording.
   */
  speakerPrior?: FrameStats;
  /** Augmented waveform copies per training clip. */
  copies: number;
  /**
   * Fresh SpecAugment masks for training row `row` in `epoch`, if enabled
   * (in memory; a streamed training set augments as it reads).
   */
  augmentExample?: (row: number, epoch: number) => Float32Array;
  /** Releases what the set holds on disk (streamed sets). */
  close?: () => void;
}

/**
 * The group a clip is normalised with under speaker-level normalisation:
 * its speaker and session (the augmented copy it belongs to, or "" outside
 * the training fold).
 */
export function speakerGroup(speaker: string, session = ""): string {
  return `${speaker}\u0000${session}`;
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
 * making the recipe's augmented copies of the training fold first (their
 * features extracted by `workers` threads).
 */
export async function buildTrainingSet(
  split: DataSplit<Utterance>,
  features: ReadonlyMap<string, FixedExample>,
  labels: readonly string[],
  recipe: Recipe,
  progress?: ProgressOptions["mode"],
  workers = 1,
): Promise<TrainingSet> {
  const featuresOf = (part: readonly Utterance[]) =>
    part.map((i) => features.get(i.path)!);
  const copies = await augmentedCopies(
    split.train,
    recipe.features,
    recipe.augment,
    recipe.train.seed,
    { progress, workers },
  );
  // Speaker-level normalisation: each speaker's clips by that speaker's own
  // statistics (each augmented copy of the fold counted as its own session).
  const bySpeaker = recipe.features.normalize === "speaker";
  const grouped = (
    examples: readonly FixedExample[],
    items: readonly Utterance[],
    session: (i: number) => string = () => "",
  ) =>
    bySpeaker
      ? normalizeGroups(
        examples,
        (i) => speakerGroup(items[i].speaker, session(i)),
      )
      : [...examples];
  const n = split.train.length;
  const trainItems = [split.train, ...copies.map(() => split.train)].flat();
  const raw = datasetOf(
    grouped(
      [featuresOf(split.train), ...copies].flat(),
      trainItems,
      (i) => String(Math.floor(i / n)),
    ),
    trainItems,
    labels,
    recipe,
  );
  const stats = normalizationStats(raw);
  const train = applyNormalization(raw, stats);
  const normalised = (part: readonly Utterance[]) =>
    applyNormalization(
      datasetOf(grouped(featuresOf(part), part), part, labels, recipe),
      stats,
    );
  const rowSize = train.frames * train.dims;
  const augmentExample = specAugmenter(
    [split.train, ...copies].map((fold, c) =>
      mapTrainingFold(fold as TrainingFold<unknown>, (_, i) => ({
        features: train.x.subarray(
          (c * n + i) * rowSize,
          (c * n + i + 1) * rowSize,
        ),
        dims: train.dims,
        // [base | Δ | ΔΔ]: a frequency mask blanks the same bands in each.
        channels: 1 + recipe.features.deltaOrder,
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
    ...(bySpeaker ? { speakerPrior: speakerPrior(split.train, features) } : {}),
    copies: copies.length,
    augmentExample,
  };
}

/** The typical statistics of the speakers of `items` (their clips, unaugmented). */
function speakerPrior(
  items: readonly Utterance[],
  features: ReadonlyMap<string, FixedExample>,
): FrameStats {
  const bySpeaker = new Map<string, FixedExample[]>();
  for (const i of items) {
    const clips = bySpeaker.get(i.speaker);
    if (clips) clips.push(features.get(i.path)!);
    else bySpeaker.set(i.speaker, [features.get(i.path)!]);
  }
  return typicalStats(
    [...bySpeaker.values()].map((clips) => frameStats(clips)),
  );
}
