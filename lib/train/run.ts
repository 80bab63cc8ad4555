/**
 * One training run end to end, as named stages:
 *
 * 1. **recipe** — the options merged over the default recipe and validated
 *    (lib/model/recipe.ts) before anything is read;
 * 2. **run directory** — locked for the run; a finished model is not
 *    overwritten without `force`, `resume` needs a checkpoint (lib/run);
 * 3. **data** — corpus folders scanned into clips (lib/corpora);
 * 4. **features** — every clip's fixed-length features (examples.ts);
 * 5. **split** — speaker-independent (or random, or k folds; split.ts);
 * 6. per split: **training set** (training_set.ts), **fit** with a
 *    checkpoint after every epoch (loop.ts, lib/run), **evaluation** on the
 *    held-out part and the **card** (lib/run);
 * 7. for `folds`: the **ensemble** of the fold models, and with `refit` one
 *    more model trained on every speaker, its card carrying the folds'
 *    cross-validation figures.
 *
 * The CLI (`deno task train`), the notebooks and the benchmarks call
 * {@linkcode trainRun}. It never exits the process: cancel it with
 * `signal` (the CLI aborts on Ctrl-C); it then stops within one batch and
 * keeps the best model so far.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import * as path from "node:path";
import { createHash } from "node:crypto";
import type { AugmentConfig } from "../augment/mod.ts";
import { describeBackend, initBackend } from "../tfjs/mod.ts";
import {
  EMOTIONS,
  type LabelOptions,
  scanCorpus,
  type Utterance,
} from "../corpora/mod.ts";
import {
  type ClassificationMetrics,
  classificationReport,
  crossValidationToJson,
  evaluate,
  summarizeFolds,
  toJson,
} from "../evaluate/mod.ts";
import { type FeatureConfig, featureDims } from "../features/mod.ts";
import { buildModel } from "../model/cnn_lstm.ts";
import { argmaxRows } from "../model/inference.ts";
import type { FixedExample } from "../model/inputs.ts";
import { saveLayersModel } from "../model/io.ts";
import {
  DEFAULT_RECIPE,
  type Recipe,
  type RecipePatch,
  resolveRecipe,
  type TrainConfig,
} from "../model/recipe.ts";
import { ensureDir, MODELS_DIR } from "../paths.ts";
import { withSeededMathRandom } from "../random.ts";
import {
  type CardData,
  type CardSplit,
  claimRunDir,
  createCard,
  defaultRunName,
  type EpochRecord,
  hasCheckpoint,
  IN_PROGRESS,
  loadCheckpoint,
  type ModelCard,
  modelDirsOf,
  REFIT_DIR,
  type RunIdentity,
  saveCheckpoint,
  type TrainState,
  writeCard,
  writeEnsemble,
  writeHistory,
} from "../run/mod.ts";
import { SOURCES } from "../data/mod.ts";
import { resolveTrainingData } from "./data.ts";
import { clipFeatures } from "./examples.ts";
import { fit, type FitResult, probabilitiesOf } from "./loop.ts";
import {
  buildStreamedTrainingSet,
  type ClipRows,
  streamClipFeatures,
} from "./streamed_set.ts";
import type { Rows } from "./stream.ts";
import {
  type DataSplit,
  randomSplit,
  refitSplit,
  speakerFolds,
  speakerSplit,
} from "./split.ts";
import { buildTrainingSet, type TrainingSet } from "./training_set.ts";
import type { FoldRequest, FoldResponse } from "./fold_worker.ts";

/** Everything a training run can be told. */
export interface TrainRunOptions {
  /** Corpus folders or CSV manifests; default: real corpora in data/, else the synthetic demo. */
  data?: string[];
  /** Model directory; default `models/<timestamp>`. */
  out?: string;
  /** The recipe to start from (default {@linkcode DEFAULT_RECIPE}), e.g. a `--config` file's. */
  recipe?: Recipe;
  /** Feature fields over the recipe's. */
  featureConfig?: Partial<FeatureConfig>;
  /** Architecture fields over the recipe's (nested `conv` / `rnn` partial too). */
  modelConfig?: RecipePatch["model"];
  /** Hyper-parameters over the recipe's. */
  trainConfig?: Partial<TrainConfig>;
  /** Augmentation fields over the recipe's. */
  augment?: Partial<AugmentConfig>;
  /** `speaker` (default, speaker-independent) or `random` (leaky). */
  split?: "speaker" | "random";
  /** Speakers held out for test (speaker split). */
  testSpeakers?: string[];
  /** K-fold leave-speakers-out cross-validation instead of one split. */
  folds?: number;
  /**
   * With `folds`: after the fold models, train one more on every speaker
   * into `refit/` (the model to ship; the folds' held-out scores, saved in
   * its card, are its estimate).
   */
  refit?: boolean;
  /**
   * Seed of the split (which speakers test and validate; for `folds`, the
   * sex-balanced groups); default the recipe's training seed. Fixing it
   * while varying the training seed separates the spread over seeds from
   * the choice of speakers.
   */
  splitSeed?: number;
  /** Label merges / selection (e.g. calm→neutral). */
  labelOptions?: LabelOptions;
  /** Feature-extraction workers (default 2). */
  workers?: number;
  /**
   * Cross-validation folds trained at once, each in a Web Worker (default:
   * one per core); 1 trains them one after the other in this thread.
   */
  parallel?: number;
  /**
   * Web Workers sharing each batch's gradients (data-parallel training,
   * lib/train/data_parallel.ts); default {@linkcode defaultTrainWorkers}. A
   * seed and a worker count give the same model every time; another count
   * gives another (equally good) one.
   */
  trainWorkers?: number;
  /**
   * Stream the training data from disk (features in row files, batches read
   * through a prefetch queue: memory flat in corpus size) instead of holding
   * it in memory; default: only when the corpus's features would take more
   * than a quarter of the machine's memory ({@linkcode streamsByDefault})
   * and the recipe does not normalise by speaker (which needs every clip of
   * a speaker at once; `true` with it is an error). Same model either way.
   */
  stream?: boolean;
  /** Continue the run saved in `out` (its checkpoints) instead of starting anew. */
  resume?: boolean;
  /** Replace a finished model already in `out`. */
  force?: boolean;
  /** Stops training within one batch, keeping the best model so far. */
  signal?: AbortSignal;
  /** Writes log lines (default: stderr). */
  log?: (line: string) => void;
  /** Progress display mode for every stage (features, augmentation, epochs). */
  progress?: "tty" | "plain" | "silent";
  /**
   * LSTM and batch-norm layers: `fused` (default, fast to train on wasm) or
   * `stock` (the TF.js layers, for comparison); same maths, same saved model.
   */
  layers?: "fused" | "stock";
  /**
   * Called after every epoch with the history so far (e.g. to redraw live
   * training curves in a notebook); `fold` is 1-based for `folds` runs.
   */
  onEpoch?: (
    history: readonly EpochRecord[],
    fold?: number,
  ) => void | Promise<void>;
}

/** Outcome of one trained model. */
export interface TrainedModel {
  /** Model directory. */
  dir: string;
  /** The saved card. */
  card: ModelCard;
  /** Test metrics (held-out speakers, or the random split's test part). */
  test: ClassificationMetrics;
}

/** A trained model with or without a held-out part (the refit has none). */
interface Trained {
  dir: string;
  card: ModelCard;
  test: ClassificationMetrics | null;
}

function tested(t: Trained | null): TrainedModel | null {
  if (t && !t.test) throw new Error(`${t.dir}: no held-out part was scored`);
  return t as TrainedModel | null;
}

/** What {@linkcode trainRun} returns. */
export interface TrainRunResult {
  /** The run's directory (for `--folds`, the parent of `fold-<i>/`). */
  dir: string;
  /** One entry per trained model (one, or one per fold; fewer if interrupted). */
  models: TrainedModel[];
  /** With `refit`: the model trained on every speaker. */
  refit?: { dir: string; card: ModelCard };
  /** Test metrics (mean over the trained models). */
  test: { accuracy: number; uar: number; macroF1: number };
  /** True when `signal` stopped the run (the models kept their best epoch). */
  interrupted: boolean;
}

/** Thrown by {@linkcode trainRun} when `signal` stopped it before any model had an epoch to keep. */
export class TrainingInterrupted extends Error {
  constructor(dir: string) {
    super(`interrupted before the first epoch finished: no model in ${dir}`);
    this.name = "TrainingInterrupted";
  }
}

/** What every model of a run shares. */
interface RunContext {
  recipe: Recipe;
  labels: string[];
  items: Utterance[];
  /** Every clip's features in memory, or (streaming) in a row file. */
  features: ReadonlyMap<string, FixedExample> | ClipRows;
  /** Folder of the run's row files (streaming), removed at the end. */
  streamDir: string | null;
  manifestHash: string;
  data: CardData;
  versions: Record<string, string>;
  options: TrainRunOptions;
  log: (line: string) => void;
  /** Gradient workers of each fit (1: in this thread). */
  trainWorkers: number;
}

function manifestHash(items: readonly Utterance[]): string {
  const h = createHash("sha256");
  for (const it of items) {
    h.update(`${it.path}\t${it.speaker}\t${it.emotion}\n`);
  }
  return h.digest("hex");
}

/**
 * Whether a corpus of `clips` clips streams by default: when its
 * fixed-length features, with the recipe's waveform copies of the training
 * part, would take more than a quarter of the machine's memory (the
 * in-memory stages hold about three copies of them).
 */
export function streamsByDefault(clips: number, recipe: Recipe): boolean {
  const rows = clips * (1 + recipe.augment.copies);
  const bytes = 3 * 4 * rows * recipe.features.frames *
    featureDims(recipe.features);
  return bytes > Deno.systemMemoryInfo().total / 4;
}

/** Stage "data": the clips of the corpus folders that gave features. */
async function loadData(
  options: TrainRunOptions,
  recipe: Recipe,
  out: string,
  log: (line: string) => void,
) {
  const data = await resolveTrainingData(options.data);
  log(
    `data: ${data.dirs.join(", ")}${
      data.synthetic ? " (SYNTHETIC demo corpus: no real corpus found)" : ""
    }`,
  );
  const scan = await scanCorpus(data.dirs, options.labelOptions ?? {});
  if (scan.errorList.length > 0) {
    log(
      `${scan.errorList.length} file(s) could not be indexed and are left out:`,
    );
    for (const e of scan.errorList.slice(0, 10)) {
      log(`  ${e.path}: ${e.reason}`);
    }
  }
  if (scan.items.length === 0) {
    throw new Error(`no usable clips in ${data.dirs.join(", ")}`);
  }
  const stream = options.stream ??
    streamsByDefault(scan.items.length, recipe);
  const streamDir = stream
    ? (ensureDir(out), Deno.makeTempDirSync({ dir: out, prefix: ".stream-" }))
    : null;
  const features = streamDir
    ? await streamClipFeatures(scan.items, recipe.features, {
      workers: options.workers ?? 2,
      dir: streamDir,
      log,
      progress: options.progress,
    })
    : await clipFeatures(scan.items, recipe.features, {
      workers: options.workers ?? 2,
      log,
      progress: options.progress,
    });
  const has = (p: string) =>
    "rowOf" in features ? features.rowOf.has(p) : features.has(p);
  const items = scan.items.filter((i) => has(i.path));
  if (items.length === 0) {
    throw new Error(`no clip of ${data.dirs.join(", ")} gave features`);
  }
  return { data, items, features, streamDir };
}

/** Stage "split": one split, or one per cross-validation fold. */
function splitsOf(
  items: readonly Utterance[],
  options: TrainRunOptions,
  train: TrainConfig,
): DataSplit<Utterance>[] {
  const seed = options.splitSeed ?? train.seed;
  const validationCount = train.validationSpeakers === "auto"
    ? undefined
    : train.validationSpeakers;
  if (options.folds) {
    return speakerFolds(items, options.folds, seed, { validationCount });
  }
  return [
    options.split === "random"
      ? randomSplit(items, {
        seed,
        ...(validationCount === 0 ? { validationFraction: 0 } : {}),
      })
      : speakerSplit(items, {
        seed,
        testSpeakers: options.testSpeakers,
        validationCount,
      }),
  ];
}

/** What defines a run, for refusing a resume that changes it. */
function identityOf(
  ctx: RunContext,
  split: DataSplit<Utterance>,
): RunIdentity {
  const { epochs: _budget, ...train } = ctx.recipe.train;
  return {
    manifestHash: ctx.manifestHash,
    labels: ctx.labels,
    speakers: split.speakers,
    recipe: {
      features: ctx.recipe.features,
      model: ctx.recipe.model,
      train,
      augment: ctx.recipe.augment,
      layers: ctx.options.layers ?? "fused",
    },
  };
}

async function scores(
  model: tf.LayersModel,
  data: Rows,
  labels: readonly string[],
): Promise<ClassificationMetrics> {
  return evaluate(
    Array.from(data.y),
    argmaxRows(await probabilitiesOf(model, data), labels.length),
    { labels },
  );
}

/**
 * Stages "training set", "fit" (with checkpoints), "evaluation" and "card"
 * for one split into `dir`. Returns null when stopped before the first
 * epoch finished (nothing to keep).
 */
async function trainOne(
  ctx: RunContext,
  split: DataSplit<Utterance>,
  dir: string,
  fold?: number,
  crossValidation?: ModelCard["metrics"]["crossValidation"],
): Promise<Trained | null> {
  const { recipe, labels, log, options } = ctx;
  ensureDir(dir);
  log(split.description);
  const set: TrainingSet = "rowOf" in ctx.features
    ? await buildStreamedTrainingSet(
      split,
      ctx.features,
      labels,
      recipe,
      ctx.streamDir!,
      options.progress,
      options.workers ?? 2,
    )
    : await buildTrainingSet(
      split,
      ctx.features,
      labels,
      recipe,
      options.progress,
      options.workers ?? 2,
    );
  if (set.copies > 0 || set.augmentExample) {
    log(
      `augmentation (training fold only): ${set.copies} waveform cop${
        set.copies === 1 ? "y" : "ies"
      } per clip${set.augmentExample ? ", SpecAugment on every batch" : ""}`,
    );
  }
  const model = await withSeededMathRandom(
    `${recipe.train.seed}:init`,
    () =>
      buildModel(
        recipe.model,
        { frames: set.train.frames, dims: set.train.dims },
        labels.length,
        { layers: options.layers },
      ),
  );
  const optimizer = tf.train.adam(recipe.train.learningRate);
  try {
    const identity = identityOf(ctx, split);
    let resume: TrainState | undefined;
    if (options.resume && hasCheckpoint(dir)) {
      resume = await loadCheckpoint(dir, model, optimizer, identity);
      log(
        `resuming ${dir} after epoch ${resume.epoch} (best val UAR ${
          resume.bestValUar.toFixed(3)
        } at epoch ${resume.bestEpoch})`,
      );
    }
    const started = performance.now();
    const splitInfo: CardSplit = {
      kind: split.kind,
      leaky: split.leaky,
      description: split.description,
      speakers: split.speakers,
      counts: {
        train: set.train.n,
        validation: set.validation.n,
        test: set.test.n,
      },
      testClips: split.test.map(({ path, corpus, speaker, emotion }) => ({
        path,
        corpus,
        speaker,
        emotion,
      })),
      ...(fold ? { fold } : {}),
    };
    const card = (
      state: TrainState,
      stopReason: string,
      metrics: ModelCard["metrics"] = {},
    ) =>
      createCard({
        run: path.basename(dir),
        labels,
        recipe,
        normalization: set.stats,
        ...(set.speakerPrior
          ? {
            speakerPrior: {
              mean: Array.from(set.speakerPrior.mean),
              std: Array.from(set.speakerPrior.std),
            },
          }
          : {}),
        data: ctx.data,
        split: splitInfo,
        training: {
          epochs: state.epoch,
          bestEpoch: state.bestEpoch,
          stopReason,
          seconds: (performance.now() - started) / 1000,
        },
        metrics,
        versions: ctx.versions,
      });
    const result = await fit(model, set.train, set.validation, {
      labels,
      config: recipe.train,
      optimizer,
      resume,
      progress: options.progress,
      signal: options.signal,
      augmentExample: set.augmentExample,
      trainWorkers: ctx.trainWorkers,
      onEpochEnd: async (state, improved) => {
        await options.onEpoch?.(state.history, fold);
        writeHistory(dir, state.history);
        if (improved) {
          await saveLayersModel(model, dir);
          writeCard(dir, card(state, IN_PROGRESS));
        }
        await saveCheckpoint(dir, model, optimizer, { state, identity });
      },
    });
    if (result.parallel) log(describeParallel(result.parallel));
    if (result.state.bestEpoch === 0) {
      log(`stopped before the first epoch finished: nothing kept in ${dir}`);
      return null;
    }
    // The model now holds the best epoch's weights.
    const test = set.test.n > 0 ? await scores(model, set.test, labels) : null;
    await saveLayersModel(model, dir);
    const saved = card(result.state, result.stopReason, {
      ...(set.validation.n > 0
        ? {
          validation: toJson(await scores(model, set.validation, labels)),
        }
        : {}),
      ...(test ? { test: toJson(test) } : {}),
      ...(crossValidation ? { crossValidation } : {}),
    });
    writeCard(dir, saved);
    log(
      `stopped: ${result.stopReason}; kept epoch ${result.state.bestEpoch}${
        result.state.bestValUar >= 0
          ? ` (val UAR ${result.state.bestValUar.toFixed(3)})`
          : ""
      }`,
    );
    if (test) {
      log(
        `test (${
          split.leaky
            ? "random split, speaker-dependent: LEAKY"
            : "held-out speakers " + split.speakers.test.join(", ")
        }):`,
      );
      log(classificationReport(test, { digits: 3 }));
    }
    return { dir, card: saved, test };
  } finally {
    model.dispose();
    optimizer.dispose();
    set.close?.();
  }
}

/** The resolved recipe and output folder of `options`. */
function recipeAndOut(
  options: TrainRunOptions,
): { recipe: Recipe; out: string } {
  const recipe = resolveRecipe(
    [{
      features: options.featureConfig,
      model: options.modelConfig,
      train: options.trainConfig,
      augment: options.augment,
    }],
    "training options",
    options.recipe ?? DEFAULT_RECIPE,
  );
  const out = path.resolve(
    options.out ?? path.join(MODELS_DIR, defaultRunName()),
  );
  return { recipe, out };
}

/** Stages "data" and "split": what every model of the run shares. */
async function prepareRun(
  options: TrainRunOptions,
  recipe: Recipe,
  out: string,
  log: (line: string) => void,
) {
  const backend = await initBackend();
  log(describeBackend(backend));
  const { data, items, features, streamDir } = await loadData(
    options,
    recipe,
    out,
    log,
  );
  const labels = [...new Set(items.map((i) => i.emotion))];
  const order: readonly string[] = EMOTIONS;
  labels.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  log(
    `${items.length} clips, ${
      new Set(items.map((i) => i.speaker)).size
    } speakers, classes: ${labels.join(", ")}`,
  );
  const splits = splitsOf(items, options, recipe.train);
  const corpora: Record<string, number> = {};
  for (const it of items) corpora[it.corpus] = (corpora[it.corpus] ?? 0) + 1;
  const hash = manifestHash(items);
  const licences: Record<string, string> = {};
  for (const corpus of Object.keys(corpora)) {
    const source = (SOURCES as Partial<Record<string, { licence: string }>>)[
      corpus
    ];
    if (source) licences[corpus] = source.licence;
  }
  const ctx: RunContext = {
    recipe,
    labels,
    items,
    features,
    streamDir,
    manifestHash: hash,
    data: {
      dirs: data.dirs,
      corpora,
      manifestHash: hash,
      synthetic: data.synthetic,
      labelOptions: { ...options.labelOptions },
      licences,
    },
    versions: { tfjs: tf.version.tfjs, backend: describeBackend(backend) },
    options,
    log,
    trainWorkers: options.trainWorkers ??
      defaultTrainWorkers(1, recipe.train.batchSize),
  };
  return { ctx, splits, dirs: modelDirsOf(out, splits.length) };
}

/**
 * Trains fold `fold` (1-based) of the `options.folds`-fold run into its
 * `fold-<i>/` directory — what a fold worker does. The caller holds the
 * run directory's lock. Returns null when stopped before its first epoch.
 */
export async function trainFold(
  options: TrainRunOptions,
  fold: number,
): Promise<TrainedModel | null> {
  const log = options.log ?? ((s: string) => console.error(s));
  const { recipe, out } = recipeAndOut(options);
  const { ctx, splits, dirs } = await prepareRun(options, recipe, out, log);
  try {
    if (!(fold >= 1 && fold <= splits.length)) {
      throw new Error(`fold ${fold} is not one of the run's ${splits.length}`);
    }
    return tested(
      await trainOne(ctx, splits[fold - 1], dirs[fold - 1], fold),
    );
  } finally {
    closeRun(ctx);
  }
}

/** Closes and removes the run's row files (streaming). */
function closeRun(ctx: RunContext): void {
  if ("rowOf" in ctx.features) ctx.features.file.close();
  if (ctx.streamDir) Deno.removeSync(ctx.streamDir, { recursive: true });
}

/** Fewest rows of a batch per gradient worker by default. */
const MIN_SHARD_ROWS = 8;

/**
 * Gradient workers per training by default: the cores left per model when
 * `modelsAtOnce` train at once (all of them for one model, 1 when folds
 * already train in parallel, one per core), but no more than leave each
 * worker {@linkcode MIN_SHARD_ROWS} rows of a `batchSize` batch (smaller
 * shards cost more in copies and messages than they save).
 */
export function defaultTrainWorkers(
  modelsAtOnce: number,
  batchSize: number,
): number {
  const cores = Math.floor(
    navigator.hardwareConcurrency / Math.max(modelsAtOnce, 1),
  );
  return Math.max(1, Math.min(cores, Math.floor(batchSize / MIN_SHARD_ROWS)));
}

/** One log line: where the time of data-parallel training went. */
function describeParallel(p: NonNullable<FitResult["parallel"]>): string {
  const per = (ms: number) => (ms / Math.max(p.steps, 1)).toFixed(1);
  return `data-parallel: ${p.workers} workers, ${p.steps} steps, per step ${
    per(p.totalMs)
  } ms = compute ${per(p.computeMs)} (slowest worker) + worker copies ${
    per(p.workerCopyMs)
  } + other waiting ${per(p.waitMs - p.computeMs - p.workerCopyMs)} + send ${
    per(p.sendMs)
  } + reduce ${per(p.reduceMs)} + optimizer ${per(p.applyMs)}`;
}

/** Folds trained at once by default: one per core. */
export function defaultFoldParallelism(folds: number): number {
  return Math.max(1, Math.min(folds, navigator.hardwareConcurrency));
}

/**
 * Trains every fold, `parallel` at a time, each in a Web Worker with its own
 * TF.js backend; log lines come back prefixed with the fold, an abort of
 * `options.signal` is passed on. Results are in fold order (null for a fold
 * stopped before its first epoch).
 */
async function trainFoldsInWorkers(
  options: TrainRunOptions,
  folds: number,
  parallel: number,
  batchSize: number,
  log: (line: string) => void,
): Promise<(TrainedModel | null)[]> {
  const results: (TrainedModel | null)[] = new Array(folds).fill(null);
  const shared: TrainRunOptions = {
    ...options,
    log: undefined,
    onEpoch: undefined,
    signal: undefined,
    // Every clip's features are cached by now: no extraction pool per worker.
    workers: 1,
    trainWorkers: options.trainWorkers ??
      defaultTrainWorkers(parallel, batchSize),
    progress: options.progress === "silent" ? "silent" : "plain",
  };
  let next = 1;
  const runOne = async (): Promise<void> => {
    while (next <= folds && !options.signal?.aborted) {
      const fold = next++;
      const worker = new Worker(new URL("./fold_worker.ts", import.meta.url), {
        type: "module",
      });
      const abort = () => worker.postMessage({ type: "abort" });
      options.signal?.addEventListener("abort", abort);
      try {
        results[fold - 1] = await new Promise((resolve, reject) => {
          worker.onmessage = async (e: MessageEvent<FoldResponse>) => {
            const m = e.data;
            if (m.type === "log") log(`[fold ${fold}] ${m.line}`);
            else if (m.type === "epoch") {
              await options.onEpoch?.(m.history, fold);
            } else if (m.type === "done") resolve(m.model);
            else reject(new Error(`fold ${fold}: ${m.message}`));
          };
          worker.onerror = (e) => {
            e.preventDefault();
            reject(new Error(`fold ${fold}: worker crashed: ${e.message}`));
          };
          worker.postMessage(
            { type: "train", options: shared, fold } satisfies FoldRequest,
          );
        });
      } finally {
        options.signal?.removeEventListener("abort", abort);
        worker.terminate();
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, runOne));
  return results;
}

/** Runs training as described by `options`; see the module documentation. */
export async function trainRun(
  options: TrainRunOptions = {},
): Promise<TrainRunResult> {
  const log = options.log ?? ((s: string) => console.error(s));
  const { recipe, out } = recipeAndOut(options);
  if (options.refit && !(options.folds && options.folds > 1)) {
    throw new Error(
      "refit trains after cross-validation: it needs --folds (2 or more)",
    );
  }
  const lock = claimRunDir(out, {
    resume: options.resume,
    force: options.force,
    folds: options.folds,
    purpose: `deno task train --out ${out}`,
  });
  let opened: RunContext | undefined;
  try {
    const { ctx, splits, dirs } = await prepareRun(options, recipe, out, log);
    opened = ctx;
    const parallel = Math.min(
      options.parallel ?? defaultFoldParallelism(splits.length),
      splits.length,
    );
    let trained: (TrainedModel | null)[] = [];
    if (splits.length > 1 && parallel > 1) {
      log(`training ${splits.length} folds, ${parallel} at a time`);
      trained = await trainFoldsInWorkers(
        options,
        splits.length,
        parallel,
        recipe.train.batchSize,
        log,
      );
    } else {
      for (let i = 0; i < splits.length; i++) {
        if (options.signal?.aborted) break;
        if (splits.length > 1) log(`\nfold ${i + 1}/${splits.length}`);
        trained.push(tested(
          await trainOne(
            ctx,
            splits[i],
            dirs[i],
            splits.length > 1 ? i + 1 : undefined,
          ),
        ));
      }
    }
    const models = trained.filter((m): m is TrainedModel => m !== null);
    const interrupted = options.signal?.aborted ?? false;
    if (models.length === 0) {
      if (interrupted) throw new TrainingInterrupted(out);
      throw new Error(`no model was trained in ${out}`);
    }
    let refit: TrainRunResult["refit"];
    if (splits.length > 1 && models.length === splits.length) {
      // The fold models, used together as one model by predict, evaluate
      // and the report; their held-out scores are the run's CV figures.
      const crossValidation = crossValidationToJson(
        summarizeFolds(models.map((m, i) => ({
          name: `fold-${i + 1} (${m.card.split.speakers.test.join(",")})`,
          metrics: m.test,
        }))),
      );
      writeEnsemble(out, {
        members: dirs.map((d) => path.relative(out, d)),
        description:
          `${splits.length} cross-validation fold models (split seed ${
            options.splitSeed ?? recipe.train.seed
          }, training seed ${recipe.train.seed}); each was tested on speakers the others trained on`,
        metrics: { crossValidation },
      });
      log(`ensemble of the ${splits.length} fold models: ${out}`);
      if (options.refit && !options.signal?.aborted) {
        log(`\nrefit: one model on every speaker`);
        const validationCount = recipe.train.validationSpeakers === "auto"
          ? undefined
          : recipe.train.validationSpeakers;
        const t = await trainOne(
          ctx,
          refitSplit(
            ctx.items,
            options.splitSeed ?? recipe.train.seed,
            { validationCount },
          ),
          path.join(out, REFIT_DIR),
          undefined,
          crossValidation,
        );
        if (t) {
          refit = { dir: t.dir, card: t.card };
          log(
            `refitted model (cross-validated UAR ${
              crossValidation.uar.mean.toFixed(3)
            } ± ${(crossValidation.uar.std ?? 0).toFixed(3)}): ${t.dir}`,
          );
        }
      }
    }
    const mean = (f: (m: ClassificationMetrics) => number) =>
      models.reduce((s, m) => s + f(m.test), 0) / models.length;
    return {
      dir: out,
      models,
      ...(refit ? { refit } : {}),
      test: {
        accuracy: mean((m) => m.accuracy),
        uar: mean((m) => m.uar),
        macroF1: mean((m) => m.macroAvg.f1),
      },
      interrupted,
    };
  } finally {
    if (opened) closeRun(opened);
    lock.release();
  }
}
