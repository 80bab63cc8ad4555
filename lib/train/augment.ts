/**
 * Augmentation during training, on the training fold only (the pipelines of
 * lib/augment accept nothing else):
 *
 * - waveform copies: before training, each training clip gets `copies`
 *   augmented versions (noise, gain, pitch, speed, shift, band limit), whose
 *   features — extracted by the batch extractor and cached — join the
 *   training set;
 * - SpecAugment: every epoch, each training example's features get fresh
 *   time and frequency masks as its batch is built.
 *
 * @module
 */
import { loadAudio } from "../audio/mod.ts";
import {
  type AugmentConfig,
  createAugmentPipeline,
  type FeatureExample,
  mapTrainingFold,
  markTrainingFold,
  type TrainingFold,
} from "../augment/mod.ts";
import type { Utterance } from "../corpora/mod.ts";
import {
  contentHash,
  DEFAULT_CACHE_DIR,
  extractBatch,
  type FeatureConfig,
  type FeatureMatrix,
  fixLength,
  readCachedFeatures,
  type SamplesInput,
} from "../features/mod.ts";
import { createProgress, type ProgressOptions } from "../progress.ts";
import type { FixedExample } from "../model/inputs.ts";

/** Options of {@linkcode augmentedCopies}. */
export interface AugmentedCopiesOptions {
  /** Extraction workers for the copies' features (default 1). */
  workers?: number;
  /** Feature cache (default `data/cache/features`; `null` = none). */
  cacheDir?: string | null;
  /** Progress display mode (default: detect). */
  progress?: ProgressOptions["mode"];
  /**
   * Only the fold's items `[start, end)` (default: all): what streaming
   * training asks for, a part at a time; copies are the same as when the
   * whole fold is augmented at once.
   */
  range?: readonly [number, number];
}

/**
 * Makes `config.copies` augmented versions of every clip of the training
 * fold (or of its items `options.range`) and returns their fixed-length
 * features: `result[c][j]` is copy `c` of item `start + j`. A copy's features are cached under a key naming exactly what
 * it is (the source audio's content hash, the waveform steps, the seed, the
 * copy and the item), so a rerun neither augments nor extracts it again;
 * the rest are augmented here and extracted by the batch extractor's
 * workers.
 */
export async function augmentedCopies(
  fold: TrainingFold<Utterance>,
  featureConfig: FeatureConfig,
  config: AugmentConfig,
  seed: number,
  options: AugmentedCopiesOptions = {},
): Promise<TrainingFold<FixedExample>[]> {
  if (config.copies <= 0 || config.waveform.length === 0) return [];
  const [start, end] = options.range ?? [0, fold.length];
  if (!(0 <= start && start <= end && end <= fold.length)) {
    throw new Error(
      `augmentedCopies: range [${start}, ${end}) is outside the fold of ${fold.length}`,
    );
  }
  const inRange = (i: number) => i >= start && i < end;
  const cacheDir = options.cacheDir === undefined
    ? DEFAULT_CACHE_DIR
    : options.cacheDir;
  const count = end - start;
  const progress = createProgress({
    label: "augment",
    total: count * config.copies,
    mode: options.progress,
  });
  const steps = JSON.stringify(config.waveform);
  const keys = await Promise.all(fold.map(async (item, i) => {
    if (!inRange(i)) return [];
    const sha = contentHash(await Deno.readFile(item.path));
    return Array.from(
      { length: config.copies },
      (_, c) =>
        contentHash(
          new TextEncoder().encode(
            `augmented copy\n${sha}\n${steps}\n${seed}\n${c + 1}\n${i}`,
          ),
        ),
    );
  }));
  const found: (FeatureMatrix | null)[][] = keys.map((k) =>
    k.map((key) => {
      if (cacheDir === null) return null;
      try {
        return readCachedFeatures(cacheDir, key, featureConfig)?.matrix ??
          null;
      } catch {
        return null; // the extractor reports an unusable cache
      }
    })
  );
  // Only the clips with a copy missing are decoded and augmented.
  const needed = new Set(
    fold.flatMap((_, i) => found[i].some((m) => m === null) ? [i] : []),
  );
  const audio = new Map<number, Float32Array>();
  for (const i of needed) {
    audio.set(
      i,
      (await loadAudio(fold[i].path, { sr: featureConfig.sr })).samples,
    );
  }
  const waves = mapTrainingFold(
    fold,
    (_, i) => ({ samples: audio.get(i) ?? EMPTY, sr: featureConfig.sr }),
  );
  const augmenter = createAugmentPipeline(config.waveform, `${seed}:waveform`)
    .forFold(waves);
  const inputs: SamplesInput[] = [];
  const at: [number, number][] = [];
  for (let c = 0; c < config.copies; c++) {
    for (const i of needed) {
      if (found[i][c] !== null) continue;
      inputs.push({
        samples: augmenter.example(i, c + 1).samples,
        key: keys[i][c],
        label: `${fold[i].path} (augmented copy ${c + 1})`,
      });
      at.push([c, i]);
    }
  }
  progress.tick(count * config.copies - inputs.length);
  let reported = 0;
  const batch = await extractBatch(inputs, featureConfig, {
    workers: options.workers ?? 1,
    cacheDir,
    onProgress: (done) => {
      progress.tick(done - reported);
      reported = done;
    },
  });
  batch.features.forEach((m, j) => {
    if (!m) {
      throw new Error(
        `${inputs[j].label}: ${
          batch.errors.find((e) => e.path === inputs[j].label)?.reason
        }`,
      );
    }
    const [c, i] = at[j];
    found[i][c] = m;
  });
  progress.done(`${count * config.copies - inputs.length} from cache`);
  return Array.from(
    { length: config.copies },
    (_, c) =>
      markTrainingFold(
        found.slice(start, end).map((m) =>
          fixLength(m[c]!, featureConfig.frames)
        ),
      ),
  );
}

const EMPTY = new Float32Array(0);

/**
 * Returns the per-example SpecAugment function for the training loop over
 * `folds` (the training fold's features, then each copy's), or undefined
 * when the feature pipeline is empty. Row `r` of the training set is item
 * `r mod n` of fold `⌊r / n⌋`.
 */
export function specAugmenter(
  folds: readonly TrainingFold<FeatureExample>[],
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
