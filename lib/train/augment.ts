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
  createAugmentPipeline,
  type FeatureStep,
  mapTrainingFold,
  type TrainingFold,
  type WaveformStep,
} from "../augment/mod.ts";
import type { Utterance } from "../corpora/mod.ts";
import {
  extractFeatures,
  type FeatureConfig,
  fixLength,
} from "../features/mod.ts";
import { createProgress } from "../progress.ts";
import type { FixedExample } from "../model/inputs.ts";

/** How training data is augmented (saved in the model card). */
export interface AugmentConfig {
  /** Augmented waveform copies of each training clip (0 = none). */
  copies: number;
  /** Steps of the waveform pipeline that makes the copies. */
  waveform: WaveformStep[];
  /** Steps of the feature pipeline run on every training batch (empty = off). */
  features: FeatureStep[];
}

/**
 * Defaults: one copy per clip with pink noise (10–30 dB SNR), gain (±6 dB),
 * pitch shift (±2 semitones), speed (0.9–1.1) and a small time shift; and
 * SpecAugment with two time masks (≤ 20 frames) and two frequency masks
 * (≤ 8 dims) per example.
 */
export const DEFAULT_AUGMENT_CONFIG: AugmentConfig = {
  copies: 1,
  waveform: [
    { transform: "pinkNoise", probability: 0.5, ranges: { snrDb: [10, 30] } },
    { transform: "gain", probability: 0.5, ranges: { gainDb: [-6, 6] } },
    {
      transform: "pitchShift",
      probability: 0.3,
      ranges: { semitones: [-2, 2] },
    },
    {
      transform: "speedPerturb",
      probability: 0.3,
      ranges: { factor: [0.9, 1.1] },
    },
    {
      transform: "timeShift",
      probability: 0.3,
      ranges: { shiftSeconds: [-0.1, 0.1] },
    },
  ],
  features: [
    {
      transform: "timeMask",
      probability: 0.5,
      options: { count: 2 },
      ranges: { width: { int: [1, 20] } },
    },
    {
      transform: "freqMask",
      probability: 0.5,
      options: { count: 2 },
      ranges: { width: { int: [1, 8] } },
    },
  ],
};

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
): Promise<TrainingFold<FixedExample>[]> {
  if (config.copies <= 0 || config.waveform.length === 0) return [];
  const progress = createProgress({
    label: "augment",
    total: fold.length * (config.copies + 1),
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
