/**
 * Augmentation during training, on the training fold only (the pipelines of
 * lib/augment accept nothing else):
 *
 * - waveform copies: before training, each training clip gets `copies`
 *   augmented versions (noise, gain, pitch, speed, shift), whose features
 *   join the training set;
 * - SpecAugment: every epoch, each training example's features get fresh
 *   time and frequency masks as its batch is built.
 *
 * @module
 */
import { loadAudio } from "../audio/mod.ts";
import {
  type AugmentConfig,
  createAugmentPipeline,
  mapTrainingFold,
  type TrainingFold,
} from "../augment/mod.ts";
import type { Utterance } from "../corpora/mod.ts";
import {
  extractFeatures,
  type FeatureConfig,
  fixLength,
} from "../features/mod.ts";
import { createProgress, type ProgressOptions } from "../progress.ts";
import type { FixedExample } from "../model/inputs.ts";

/**
 * Makes `config.copies` augmented versions of every clip of the training
 * fold and returns their fixed-length features: `result[c][i]` is copy `c`
 * of item `i`.
 */
export async function augmentedCopies(
  fold: TrainingFold<Utterance>,
  featureConfig: FeatureConfig,
  config: AugmentConfig,
  seed: number,
  progressMode?: ProgressOptions["mode"],
): Promise<TrainingFold<FixedExample>[]> {
  if (config.copies <= 0 || config.waveform.length === 0) return [];
  const progress = createProgress({
    label: "augment",
    total: fold.length * (config.copies + 1),
    mode: progressMode,
  });
  const audio: Float32Array[] = [];
  for (const item of fold) {
    audio.push((await loadAudio(item.path, { sr: featureConfig.sr })).samples);
    progress.tick();
  }
  const waves = mapTrainingFold(
    fold,
    (_, i) => ({ samples: audio[i], sr: featureConfig.sr }),
  );
  const pipeline = createAugmentPipeline(config.waveform, `${seed}:waveform`);
  const copies: TrainingFold<FixedExample>[] = [];
  for (let c = 1; c <= config.copies; c++) {
    const augmented = pipeline.apply(waves, { epoch: c });
    copies.push(mapTrainingFold(augmented, (e) => {
      progress.tick();
      return fixLength(
        extractFeatures(e.samples, featureConfig),
        featureConfig.frames,
      );
    }));
  }
  progress.done();
  return copies;
}

/**
 * Returns the per-example SpecAugment function for the training loop over
 * `folds` (the training fold's features, then each copy's), or undefined
 * when the feature pipeline is empty. Row `r` of the training set is item
 * `r mod n` of fold `⌊r / n⌋`.
 */
export function specAugmenter(
  folds: readonly TrainingFold<{ features: Float32Array; dims: number }>[],
  config: AugmentConfig,
  seed: number,
): ((row: number, epoch: number) => Float32Array) | undefined {
  if (config.features.length === 0 || folds.length === 0) return undefined;
  const pipeline = createAugmentPipeline(config.features, `${seed}:features`);
  const augmenters = folds.map((f) => pipeline.forFold(f));
  const n = folds[0].length;
  return (row, epoch) =>
    augmenters[Math.floor(row / n)].example(row % n, epoch).features;
}
