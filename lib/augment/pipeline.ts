/**
 * Augmentation pipelines: a list of steps, each applied to an example with
 * its own probability, with parameters drawn from ranges — and applied only
 * to the training fold.
 *
 * ```ts
 * const pipeline = createAugmentPipeline([
 *   { transform: "pinkNoise", probability: 0.5, ranges: { snrDb: [5, 25] } },
 *   { transform: "pitchShift", probability: 0.3, ranges: { semitones: [-2, 2] } },
 *   { transform: "gain", probability: 0.5, ranges: { gainDb: [-6, 6] } },
 * ], seed);
 * const augmented = pipeline.apply(split.train, { epoch }); // split.train: TrainingFold
 * ```
 *
 * Why `apply` takes a {@linkcode TrainingFold} and nothing else: augmenting
 * validation or test clips (or augmenting before splitting, which puts
 * near-copies of one clip on both sides) inflates the scores. A
 * `TrainingFold` exists only as the training part the split in `lib/train`
 * returns (see `training_fold.ts`): the type system rejects a plain array,
 * and a cast is rejected at run time. The only per-example entry point,
 * `forFold(fold).example(i, epoch)`, is bound to a training fold too and
 * reaches nothing but its items, so "augment this test clip" cannot be
 * written without going through the split.
 *
 * Steps are plain data (a transform name, a probability, fixed `options`
 * and `ranges`), so a pipeline can be written into a model card as JSON
 * (all but a noise bank's clips). A pipeline is either waveform-level
 * (examples `{ samples, sr }`) or feature-level (SpecAugment on
 * `{ features, dims }`), never both: they run at different stages (before and
 * after feature extraction), so mixing them in one list is an error.
 *
 * Randomness: example `i` of epoch `e` draws everything (which steps run,
 * their parameters, the noise) from `createRng(\`${seed}:${e}:${i}\`)`, so
 * results do not depend on the order or number of other examples, the same
 * seed and epoch give identical output and each epoch gives new variants.
 *
 * @module
 */
import { createRng, type Rng } from "../random.ts";
import {
  FEATURE_TRANSFORMS,
  type FeatureContext,
  type FeatureTransformOptions,
  type TransformEntry,
  WAVEFORM_TRANSFORMS,
  type WaveformContext,
  type WaveformTransformOptions,
} from "./transforms.ts";
import {
  assertTrainingFold,
  markTrainingFold,
  type TrainingFold,
} from "./training_fold.ts";

/**
 * Where a numeric parameter is drawn from: `[lo, hi]` uniformly as a float
 * in [lo, hi), or `{ int: [lo, hi] }` uniformly as an integer from lo to hi
 * inclusive.
 */
export type ParamRange =
  | readonly [number, number]
  | { readonly int: readonly [number, number] };

/** The keys of the options object `O` whose values are numbers. */
export type NumericKeys<O> = {
  [K in keyof O]-?: NonNullable<O[K]> extends number ? K : never;
}[keyof O];

/** One step of a pipeline for transform `K` of the options table `P`. */
export interface StepSpec<P, K extends keyof P> {
  /** Transform name. */
  transform: K;
  /** Chance in [0, 1] that the step runs on a given example. */
  probability: number;
  /** Fixed options. */
  options?: Partial<P[K]>;
  /** Numeric options drawn afresh for every example the step runs on. */
  ranges?: { [Q in NumericKeys<P[K]>]?: ParamRange };
}

/** A step of a waveform pipeline. */
export type WaveformStep = {
  [K in keyof WaveformTransformOptions]: StepSpec<WaveformTransformOptions, K>;
}[keyof WaveformTransformOptions];

/** A step of a feature-level (SpecAugment) pipeline. */
export type FeatureStep = {
  [K in keyof FeatureTransformOptions]: StepSpec<FeatureTransformOptions, K>;
}[keyof FeatureTransformOptions];

/** What a waveform pipeline augments: the samples, at their rate. */
export interface WaveformExample {
  /** Mono samples. */
  readonly samples: Float32Array;
  /** Their sample rate in Hz. */
  readonly sr: number;
}

/** What a feature pipeline augments: a time-major `frames × dims` matrix. */
export interface FeatureExample {
  /** Row-major features. */
  readonly features: Float32Array;
  /** Dimensions per frame. */
  readonly dims: number;
  /**
   * Equal blocks of the same bands per frame ([base | Δ | ΔΔ]: 3), masked
   * together by `freqMask` unless its step says otherwise (default 1).
   */
  readonly channels?: number;
}

/** Options for {@linkcode AugmentPipeline.apply}. */
export interface ApplyOptions {
  /** Training epoch (default 0): each epoch draws new variants. */
  epoch?: number;
}

/**
 * Augments single examples of one training fold, e.g. batch by batch inside a
 * training loop. It can only reach the items of the fold it was made for.
 */
export interface FoldAugmenter<T> {
  /** Number of items in the fold. */
  readonly size: number;
  /**
   * Item `index` of the fold augmented for `epoch` (default 0): the same
   * value {@linkcode AugmentPipeline.apply} gives for that item and epoch.
   */
  example(index: number, epoch?: number): T;
}

/** A pipeline made by {@linkcode createAugmentPipeline}. */
export interface AugmentPipeline<E> {
  /** `waveform` or `features`. */
  readonly domain: "waveform" | "features";
  /** The seed all draws derive from. */
  readonly seed: number | string;
  /** The steps, in the order they run. */
  readonly steps: readonly (WaveformStep | FeatureStep)[];
  /**
   * Returns a new training fold whose items are copies of the input items
   * with their `samples` (or `features`) augmented by a random subset of the
   * steps. Items no step ran on keep their original array. Throws unless
   * `fold` is a {@linkcode TrainingFold}.
   */
  apply<T extends E>(
    fold: TrainingFold<T>,
    options?: ApplyOptions,
  ): TrainingFold<T>;
  /**
   * An augmenter for single items of `fold` (lazy, per batch). Throws unless
   * `fold` is a {@linkcode TrainingFold}.
   */
  forFold<T extends E>(fold: TrainingFold<T>): FoldAugmenter<T>;
}

type AnyStep = {
  transform: string;
  probability: number;
  options?: Record<string, unknown>;
  ranges?: Record<string, ParamRange>;
};

type AnyEntry<C> = TransformEntry<Record<string, unknown>, C>;

function checkRange(where: string, key: string, range: ParamRange): void {
  const pair = Array.isArray(range)
    ? range
    : (range as { int?: readonly [number, number] }).int;
  const ok = Array.isArray(pair) && pair.length === 2 &&
    pair.every((v) => typeof v === "number" && Number.isFinite(v)) &&
    pair[0] <= pair[1] &&
    (Array.isArray(range) || pair.every((v) => Number.isInteger(v)));
  if (!ok) {
    throw new Error(
      `${where}: range for ${key} must be [lo, hi] or { int: [lo, hi] } with finite lo ≤ hi (integers for int), got ${
        JSON.stringify(range)
      }`,
    );
  }
}

function checkStep<C>(
  step: AnyStep,
  index: number,
  entry: AnyEntry<C>,
): void {
  const where = `augment pipeline step ${index} (${step.transform})`;
  const p = step.probability;
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    throw new Error(
      `${where}: probability must be in [0, 1], got ${String(p)}`,
    );
  }
  const fixed = Object.keys(step.options ?? {});
  const ranged = Object.keys(step.ranges ?? {});
  for (const key of fixed) {
    if (!entry.keys.includes(key)) {
      throw new Error(
        `${where}: unknown option ${key} (options: ${entry.keys.join(", ")})`,
      );
    }
  }
  for (const key of ranged) {
    if (!entry.numeric.includes(key)) {
      throw new Error(
        `${where}: ${key} cannot be drawn from a range (numeric options: ${
          entry.numeric.join(", ")
        })`,
      );
    }
    if (fixed.includes(key)) {
      throw new Error(`${where}: ${key} is both fixed and ranged`);
    }
    checkRange(where, key, step.ranges![key]);
  }
  for (const key of entry.required) {
    if (!fixed.includes(key) && !ranged.includes(key)) {
      throw new Error(`${where}: option ${key} is required (fixed or ranged)`);
    }
  }
}

function draw(rng: Rng, range: ParamRange): number {
  if (Array.isArray(range)) {
    const [lo, hi] = range as readonly [number, number];
    return rng.uniform(lo, hi);
  }
  const [lo, hi] = (range as { int: readonly [number, number] }).int;
  return rng.int(lo, hi + 1);
}

function runSteps<C extends { rng: Rng }>(
  input: Float32Array,
  steps: readonly AnyStep[],
  entries: readonly AnyEntry<C>[],
  context: C,
): Float32Array {
  let x = input;
  const { rng } = context;
  steps.forEach((step, s) => {
    if (rng.next() >= step.probability) return;
    const options: Record<string, unknown> = { ...step.options };
    for (const [key, range] of Object.entries(step.ranges ?? {})) {
      options[key] = draw(rng, range);
    }
    x = entries[s].run(x, options, context);
  });
  return x;
}

/** Creates a waveform pipeline (see the module notes). */
export function createAugmentPipeline(
  steps: readonly WaveformStep[],
  seed: number | string,
): AugmentPipeline<WaveformExample>;
/** Creates a feature-level (SpecAugment) pipeline (see the module notes). */
export function createAugmentPipeline(
  steps: readonly FeatureStep[],
  seed: number | string,
): AugmentPipeline<FeatureExample>;
/**
 * Creates a pipeline from `steps` (all waveform or all feature-level) and a
 * seed. Throws on an unknown transform, a probability outside [0, 1], an
 * unknown, doubly given or missing option, or a malformed range.
 */
export function createAugmentPipeline(
  steps: readonly (WaveformStep | FeatureStep)[],
  seed: number | string,
): AugmentPipeline<WaveformExample> | AugmentPipeline<FeatureExample> {
  if (!Array.isArray(steps)) {
    throw new Error("augment pipeline: steps must be an array");
  }
  if (
    !(typeof seed === "number" && Number.isFinite(seed)) &&
    typeof seed !== "string"
  ) {
    throw new Error(
      `augment pipeline: seed must be a number or string, got ${String(seed)}`,
    );
  }
  // Private frozen copies: changing the caller's step objects later cannot
  // change the pipeline.
  const list = (steps as readonly AnyStep[]).map((s) =>
    Object.freeze({
      ...s,
      options: Object.freeze({ ...s.options }),
      ranges: Object.freeze({ ...s.ranges }),
    })
  );
  const waveform = WAVEFORM_TRANSFORMS as unknown as Record<
    string,
    AnyEntry<WaveformContext>
  >;
  const feature = FEATURE_TRANSFORMS as unknown as Record<
    string,
    AnyEntry<FeatureContext>
  >;
  const isWave = list.map((s) => Object.hasOwn(waveform, s.transform));
  const isFeature = list.map((s) => Object.hasOwn(feature, s.transform));
  list.forEach((s, i) => {
    if (!isWave[i] && !isFeature[i]) {
      throw new Error(
        `augment pipeline step ${i}: unknown transform ${
          String(s.transform)
        } (waveform: ${Object.keys(waveform).join(", ")}; features: ${
          Object.keys(feature).join(", ")
        })`,
      );
    }
  });
  if (isWave.some((w) => w) && isFeature.some((f) => f)) {
    throw new Error(
      "augment pipeline: steps mix waveform and feature-level transforms; make one pipeline for each",
    );
  }
  const frozen = Object.freeze(list) as readonly (
    | WaveformStep
    | FeatureStep
  )[];
  if (list.length > 0 && isFeature[0]) {
    const entries = list.map((s) => feature[s.transform]);
    list.forEach((s, i) => checkStep(s, i, entries[i]));
    return buildPipeline<FeatureExample>(
      "features",
      seed,
      frozen,
      (item, i, rng) => {
        if (!(item.features instanceof Float32Array)) {
          throw new Error(
            `augment pipeline: training item ${i} has no Float32Array features`,
          );
        }
        const features = runSteps(item.features, list, entries, {
          dims: item.dims,
          channels: item.channels,
          rng,
        });
        return features === item.features ? item : { ...item, features };
      },
    );
  }
  const entries = list.map((s) => waveform[s.transform]);
  list.forEach((s, i) => checkStep(s, i, entries[i]));
  return buildPipeline<WaveformExample>(
    "waveform",
    seed,
    frozen,
    (item, i, rng) => {
      if (!(item.samples instanceof Float32Array)) {
        throw new Error(
          `augment pipeline: training item ${i} has no Float32Array samples`,
        );
      }
      const samples = runSteps(item.samples, list, entries, {
        sr: item.sr,
        rng,
      });
      return samples === item.samples ? item : { ...item, samples };
    },
  );
}

/**
 * The pipeline object around `augmentItem`, which returns item `index`
 * (a copy if changed) augmented with draws from `rng`.
 */
function buildPipeline<E>(
  domain: "waveform" | "features",
  seed: number | string,
  steps: readonly (WaveformStep | FeatureStep)[],
  augmentItem: <T extends E>(item: T, index: number, rng: Rng) => T,
): AugmentPipeline<E> {
  const forFold = <T extends E>(fold: TrainingFold<T>): FoldAugmenter<T> => {
    assertTrainingFold(fold, "augment pipeline");
    return {
      size: fold.length,
      example(index: number, epoch = 0): T {
        if (!Number.isInteger(index) || index < 0 || index >= fold.length) {
          throw new Error(
            `augment pipeline: example index ${index} is outside the training fold (0 … ${
              fold.length - 1
            })`,
          );
        }
        if (!Number.isInteger(epoch) || epoch < 0) {
          throw new Error(
            `augment pipeline: epoch must be an integer >= 0, got ${epoch}`,
          );
        }
        const rng = createRng(`${seed}:${epoch}:${index}`);
        return augmentItem(fold[index], index, rng);
      },
    };
  };
  return {
    domain,
    seed,
    steps,
    forFold,
    apply<T extends E>(
      fold: TrainingFold<T>,
      options: ApplyOptions = {},
    ): TrainingFold<T> {
      const augmenter = forFold(fold);
      return markTrainingFold(
        fold.map((_, i) => augmenter.example(i, options.epoch)),
      );
    },
  };
}
