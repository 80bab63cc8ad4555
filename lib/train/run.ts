/**
 * One training run end to end: corpus → features → speaker-independent split
 * → CNN+LSTM training on WASM → evaluation on held-out speakers → model
 * directory (`model.json` + weights, `card.json`, `history.json`).
 *
 * The CLI (`deno task train`) and the notebooks call {@linkcode trainRun};
 * each stage lives in its own module.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import * as path from "node:path";
import { createHash } from "node:crypto";
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
  evaluate,
  toJson,
} from "../evaluate/metrics.ts";
import {
  DEFAULT_FEATURE_CONFIG,
  type FeatureConfig,
  featureConfigHash,
  featureDims,
  fixLength,
} from "../features/mod.ts";
import { extractBatch } from "../features/batch.ts";
import { type ModelCard, writeCard } from "../model/card.ts";
import { buildModel } from "../model/cnn_lstm.ts";
import { DEFAULT_MODEL_CONFIG, type ModelConfig } from "../model/config.ts";
import { loadLayersModelDir, saveLayersModel } from "../model/io.ts";
import { ensureDir, exists, MODELS_DIR, writeFileAtomic } from "../paths.ts";
import { createProgress } from "../progress.ts";
import { withSeededMathRandom } from "../random.ts";
import {
  type AugmentConfig,
  augmentedCopies,
  DEFAULT_AUGMENT_CONFIG,
  specAugmenter,
} from "./augment.ts";
import { resolveTrainingData } from "./data.ts";
import { mapTrainingFold, type TrainingFold } from "../augment/mod.ts";
import {
  applyNormalization,
  type Dataset,
  type FixedExample,
  type NormalizationStats,
  normalizationStats,
  stackDataset,
} from "./dataset.ts";
import {
  argmaxRows,
  DEFAULT_TRAIN_CONFIG,
  type EpochRecord,
  fit,
  predictProbabilities,
  type TrainConfig,
  type TrainState,
} from "./loop.ts";
import {
  type DataSplit,
  randomSplit,
  speakerFolds,
  speakerSplit,
} from "./split.ts";

/** Everything a training run can be told. */
export interface TrainRunOptions {
  /** Corpus folders or CSV manifests; default: real corpora in data/, else the synthetic demo. */
  data?: string[];
  /** Model directory; default `models/<timestamp>`. */
  out?: string;
  /** Feature parameters over {@linkcode DEFAULT_FEATURE_CONFIG}. */
  featureConfig?: Partial<FeatureConfig>;
  /** Architecture (default {@linkcode DEFAULT_MODEL_CONFIG}). */
  modelConfig?: ModelConfig;
  /** Hyper-parameters over {@linkcode DEFAULT_TRAIN_CONFIG}. */
  trainConfig?: Partial<TrainConfig>;
  /** Augmentation of the training fold over {@linkcode DEFAULT_AUGMENT_CONFIG}. */
  augment?: Partial<AugmentConfig>;
  /** `speaker` (default, speaker-independent) or `random` (leaky). */
  split?: "speaker" | "random";
  /** Speakers held out for test (speaker split). */
  testSpeakers?: string[];
  /** K-fold leave-speakers-out cross-validation instead of one split. */
  folds?: number;
  /** Label merges / selection (e.g. calm→neutral). */
  labelOptions?: LabelOptions;
  /** Feature-extraction workers (default 2). */
  workers?: number;
  /** Continue the run saved in `out` (its checkpoint) instead of starting anew. */
  resume?: boolean;
  /** Writes log lines (default: stderr). */
  log?: (line: string) => void;
  /** Progress display mode for epochs. */
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

/** What {@linkcode trainRun} returns. */
export interface TrainRunResult {
  /** The run's directory (for `--folds`, the parent of `fold-<i>/`). */
  dir: string;
  /** One entry per trained model (one, or one per fold). */
  models: TrainedModel[];
  /** Test metrics (mean over folds for `--folds`). */
  test: { accuracy: number; uar: number; macroF1: number };
}

const CHECKPOINT = "checkpoint";

function defaultRunName(): string {
  return new Date().toISOString().replace(/[:.]/g, "-").replace(/Z$/, "");
}

function manifestHash(items: readonly Utterance[]): string {
  const h = createHash("sha256");
  for (const it of items) {
    h.update(`${it.path}\t${it.speaker}\t${it.emotion}\n`);
  }
  return h.digest("hex");
}

/** Fixed-length features of each item (null where extraction failed). */
async function featuresFor(
  items: readonly Utterance[],
  config: FeatureConfig,
  workers: number,
  log: (s: string) => void,
): Promise<Map<string, FixedExample>> {
  const progress = createProgress({ label: "features", total: items.length });
  let reported = 0;
  const batch = await extractBatch(items.map((i) => i.path), config, {
    workers,
    onProgress: (done) => {
      progress.tick(done - reported);
      reported = done;
    },
  });
  progress.done(`${batch.cacheHits} from cache`);
  for (const e of batch.errors) log(`skipping ${e.path}: ${e.reason}`);
  const out = new Map<string, FixedExample>();
  batch.features.forEach((m, i) => {
    if (m) out.set(items[i].path, fixLength(m, config.frames));
  });
  log(
    `features: ${out.size} clips, ${batch.audioS.toFixed(0)} s of audio in ${
      batch.wallS.toFixed(1)
    } s (${
      (batch.audioS / Math.max(batch.wallS, 1e-9)).toFixed(0)
    }× real time)`,
  );
  return out;
}

function datasetOf(
  examples: readonly FixedExample[],
  items: readonly Utterance[],
  labels: readonly string[],
  config: FeatureConfig,
): Dataset {
  return stackDataset(
    examples,
    items.map((i) => labels.indexOf(i.emotion)),
    { frames: config.frames, dims: featureDims(config) },
  );
}

async function saveOptimizer(
  optimizer: tf.Optimizer,
  dir: string,
): Promise<void> {
  const weights = await optimizer.getWeights();
  const specs = weights.map((w) => ({ name: w.name, shape: w.tensor.shape }));
  const total = weights.reduce((n, w) => n + w.tensor.size, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const w of weights) {
    data.set(w.tensor.dataSync(), offset);
    offset += w.tensor.size;
  }
  writeFileAtomic(path.join(dir, "optimizer.bin"), new Uint8Array(data.buffer));
  writeFileAtomic(path.join(dir, "optimizer.json"), JSON.stringify(specs));
}

async function loadOptimizer(
  optimizer: tf.Optimizer,
  dir: string,
): Promise<void> {
  const specs: { name: string; shape: number[] }[] = JSON.parse(
    Deno.readTextFileSync(path.join(dir, "optimizer.json")),
  );
  const bytes = Deno.readFileSync(path.join(dir, "optimizer.bin"));
  const data = new Float32Array(
    bytes.buffer,
    bytes.byteOffset,
    bytes.byteLength / 4,
  );
  let offset = 0;
  await optimizer.setWeights(specs.map((s) => {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const tensor = tf.tensor(data.slice(offset, offset + size), s.shape);
    offset += size;
    return { name: s.name, tensor };
  }));
}

interface OneModelInput {
  dir: string;
  split: DataSplit<Utterance>;
  fold?: number;
  features: Map<string, FixedExample>;
  labels: string[];
  featureConfig: FeatureConfig;
  modelConfig: ModelConfig;
  trainConfig: TrainConfig;
  augment: AugmentConfig;
  cardBase: Omit<
    ModelCard,
    "run" | "createdAt" | "normalization" | "split" | "training" | "metrics"
  >;
  resume: boolean;
  log: (s: string) => void;
  progress?: TrainRunOptions["progress"];
  layers?: TrainRunOptions["layers"];
  onEpoch?: TrainRunOptions["onEpoch"];
}

async function trainOne(input: OneModelInput): Promise<TrainedModel> {
  const { dir, split, labels, featureConfig, trainConfig, log } = input;
  ensureDir(dir);
  log(split.description);
  const featuresOf = (part: readonly Utterance[]) =>
    part.map((i) => input.features.get(i.path)!);
  // Training rows: the fold's clips, then each augmented copy of them.
  const copies = await augmentedCopies(
    split.train,
    featureConfig,
    input.augment,
    trainConfig.seed,
  );
  const trainItems = [split.train, ...copies.map(() => split.train)].flat();
  const rawTrain = datasetOf(
    [featuresOf(split.train), ...copies].flat(),
    trainItems,
    labels,
    featureConfig,
  );
  const stats: NormalizationStats = normalizationStats(rawTrain);
  const train = applyNormalization(rawTrain, stats);
  const validation = applyNormalization(
    datasetOf(
      featuresOf(split.validation),
      split.validation,
      labels,
      featureConfig,
    ),
    stats,
  );
  const test = applyNormalization(
    datasetOf(featuresOf(split.test), split.test, labels, featureConfig),
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
    input.augment,
    trainConfig.seed,
  );
  if (copies.length > 0 || augmentExample) {
    log(
      `augmentation (training fold only): ${copies.length} waveform cop${
        copies.length === 1 ? "y" : "ies"
      } per clip${augmentExample ? ", SpecAugment on every batch" : ""}`,
    );
  }

  const model = await withSeededMathRandom(
    `${trainConfig.seed}:init`,
    () =>
      buildModel(
        input.modelConfig,
        {
          frames: featureConfig.frames,
          dims: featureDims(featureConfig),
        },
        labels.length,
        { layers: input.layers },
      ),
  );
  const optimizer = tf.train.adam(trainConfig.learningRate);
  const checkpointDir = path.join(dir, CHECKPOINT);
  let resumeState: TrainState | undefined;
  if (input.resume && exists(path.join(checkpointDir, "state.json"))) {
    const saved = await loadLayersModelDir(checkpointDir);
    model.setWeights(saved.getWeights());
    saved.dispose();
    await loadOptimizer(optimizer, checkpointDir);
    resumeState = JSON.parse(
      Deno.readTextFileSync(path.join(checkpointDir, "state.json")),
    );
    log(
      `resuming ${dir} after epoch ${resumeState!.epoch} (best val UAR ${
        resumeState!.bestValUar.toFixed(3)
      } at epoch ${resumeState!.bestEpoch})`,
    );
  }

  const started = performance.now();
  const splitInfo: ModelCard["split"] = {
    kind: split.kind,
    leaky: split.leaky,
    description: split.description,
    speakers: split.speakers,
    counts: { train: train.n, validation: validation.n, test: test.n },
    ...(input.fold ? { fold: input.fold } : {}),
  };
  const makeCard = (
    state: TrainState,
    stopReason: string,
    metrics: ModelCard["metrics"],
  ): ModelCard => ({
    ...input.cardBase,
    run: path.basename(dir),
    createdAt: new Date().toISOString(),
    normalization: stats,
    split: splitInfo,
    training: {
      epochs: state.epoch,
      bestEpoch: state.bestEpoch,
      stopReason,
      seconds: (performance.now() - started) / 1000,
    },
    metrics,
  });

  let interrupted = false;
  const onSigint = () => {
    if (interrupted) Deno.exit(130);
    interrupted = true;
    log(
      "\ninterrupted: finishing with the best model so far (Ctrl-C again to quit at once)",
    );
  };
  Deno.addSignalListener("SIGINT", onSigint);
  let result;
  try {
    result = await fit(model, train, validation, {
      labels,
      config: trainConfig,
      optimizer,
      resume: resumeState,
      progress: input.progress,
      shouldStop: () => interrupted,
      augmentExample,
      onEpochEnd: async (state, improved) => {
        await input.onEpoch?.(state.history, input.fold);
        writeFileAtomic(
          path.join(dir, "history.json"),
          JSON.stringify(state.history, null, 2),
        );
        if (improved) {
          await saveLayersModel(model, dir);
          writeCard(dir, makeCard(state, "in progress", {}));
        }
        await saveLayersModel(model, checkpointDir);
        await saveOptimizer(optimizer, checkpointDir);
        writeFileAtomic(
          path.join(checkpointDir, "state.json"),
          JSON.stringify(state),
        );
      },
    });
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
  }
  // The model now holds the best epoch's weights.
  const valMetrics = evaluate(
    Array.from(validation.y),
    argmaxRows(predictProbabilities(model, validation), labels.length),
    { labels },
  );
  const testMetrics = evaluate(
    Array.from(test.y),
    argmaxRows(predictProbabilities(model, test), labels.length),
    { labels },
  );
  await saveLayersModel(model, dir);
  const card = makeCard(result.state, result.stopReason, {
    validation: toJson(valMetrics),
    test: toJson(testMetrics),
  });
  writeCard(dir, card);
  log(
    `stopped: ${result.stopReason}; kept epoch ${result.state.bestEpoch} (val UAR ${
      result.state.bestValUar.toFixed(3)
    })`,
  );
  log(
    `test (${
      split.leaky
        ? "random split, speaker-dependent: LEAKY"
        : "held-out speakers " + split.speakers.test.join(", ")
    }):`,
  );
  log(classificationReport(testMetrics, { digits: 3 }));
  model.dispose();
  optimizer.dispose();
  return { dir, card, test: testMetrics };
}

/** Runs training as described by `options`; see the module documentation. */
export async function trainRun(
  options: TrainRunOptions = {},
): Promise<TrainRunResult> {
  const log = options.log ?? ((s: string) => console.error(s));
  const trainConfig: TrainConfig = {
    ...DEFAULT_TRAIN_CONFIG,
    ...options.trainConfig,
  };
  const featureConfig: FeatureConfig = {
    ...DEFAULT_FEATURE_CONFIG,
    ...options.featureConfig,
  };
  const modelConfig = options.modelConfig ?? DEFAULT_MODEL_CONFIG;
  const backend = await initBackend();
  log(describeBackend(backend));

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
  const features = await featuresFor(
    scan.items,
    featureConfig,
    options.workers ?? 2,
    log,
  );
  const items = scan.items.filter((i) => features.has(i.path));
  if (items.length === 0) {
    throw new Error(`no clip of ${data.dirs.join(", ")} gave features`);
  }
  const labels = [...new Set(items.map((i) => i.emotion))];
  const order: readonly string[] = EMOTIONS;
  labels.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  log(
    `${items.length} clips, ${
      new Set(items.map((i) => i.speaker)).size
    } speakers, classes: ${labels.join(", ")}`,
  );
  const splits: DataSplit<Utterance>[] = options.folds
    ? speakerFolds(items, options.folds, trainConfig.seed)
    : [
      options.split === "random"
        ? randomSplit(items, { seed: trainConfig.seed })
        : speakerSplit(items, {
          seed: trainConfig.seed,
          testSpeakers: options.testSpeakers,
        }),
    ];
  const augment: AugmentConfig = {
    ...DEFAULT_AUGMENT_CONFIG,
    ...options.augment,
  };

  const corpora: Record<string, number> = {};
  for (const it of items) corpora[it.corpus] = (corpora[it.corpus] ?? 0) + 1;
  const cardBase = {
    format: "ser-model-card" as const,
    version: 1,
    labels,
    featureConfig,
    featureConfigHash: featureConfigHash(featureConfig),
    modelConfig,
    trainConfig: { ...trainConfig, augment },
    seed: trainConfig.seed,
    data: {
      dirs: data.dirs,
      corpora,
      manifestHash: manifestHash(items),
      synthetic: data.synthetic,
      labelOptions: { ...options.labelOptions },
    },
    versions: {
      toolkit: "0.1.0",
      deno: Deno.version.deno,
      tfjs: tf.version.tfjs,
      backend: describeBackend(backend),
    },
  };
  const out = path.resolve(
    options.out ?? path.join(MODELS_DIR, defaultRunName()),
  );
  const models: TrainedModel[] = [];
  for (let i = 0; i < splits.length; i++) {
    const dir = splits.length > 1 ? path.join(out, `fold-${i + 1}`) : out;
    if (splits.length > 1) log(`\nfold ${i + 1}/${splits.length}`);
    models.push(
      await trainOne({
        dir,
        split: splits[i],
        fold: splits.length > 1 ? i + 1 : undefined,
        features,
        labels,
        featureConfig,
        modelConfig,
        trainConfig,
        augment,
        cardBase,
        resume: options.resume ?? false,
        log,
        progress: options.progress,
        layers: options.layers,
        onEpoch: options.onEpoch,
      }),
    );
  }
  const mean = (f: (m: ClassificationMetrics) => number) =>
    models.reduce((s, m) => s + f(m.test), 0) / models.length;
  return {
    dir: out,
    models,
    test: {
      accuracy: mean((m) => m.accuracy),
      uar: mean((m) => m.uar),
      macroF1: mean((m) => m.macroAvg.f1),
    },
  };
}
