/**
 * The training loop: Adam with a learning-rate schedule (plateau, or warm-up
 * then cosine / constant), decoupled weight decay, class weights, label
 * smoothing and mixup, seeded shuffling and dropout; it keeps either the
 * epoch with the best validation UAR (early stopping) or the last epoch of a
 * fixed budget (optionally the average of the last few), shows a progress
 * bar per epoch, and calls a hook after each epoch for history and
 * checkpoints. Stopping on request (Ctrl-C) keeps the weights kept so far.
 * Batches come through a bounded prefetch queue, from memory or streamed
 * from disk (stream.ts); their gradients are computed in this thread or by
 * data-parallel gradient workers (data_parallel.ts).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { evaluate } from "../evaluate/metrics.ts";
import { createProgress, type ProgressOptions } from "../progress.ts";
import { createRng, withSeededMathRandom } from "../random.ts";
import { argmaxRows, predictProbabilities } from "../model/inference.ts";
import type { Dataset } from "../model/inputs.ts";
import type { TrainConfig } from "../model/recipe.ts";
import type { EpochRecord, TrainState } from "../run/mod.ts";
import {
  createDataParallel,
  type DataParallel,
  type ParallelTimings,
} from "./data_parallel.ts";
import { batchLoss } from "./loss.ts";
import {
  isStreamed,
  prefetchBatches,
  type Rows,
  streamedProbabilities,
} from "./stream.ts";

/** Options of {@linkcode fit}. */
export interface FitOptions {
  /** Class names, indexed by the labels in the datasets. */
  labels: readonly string[];
  /** Hyper-parameters. */
  config: TrainConfig;
  /** Continue from a saved state (the model must hold that state's weights). */
  resume?: TrainState;
  /** Adam optimizer to use (e.g. with restored moments on resume). */
  optimizer?: tf.Optimizer;
  /**
   * Features of training row `row` for `epoch`, replacing the stored ones
   * when batching (e.g. SpecAugment from lib/train/augment.ts).
   */
  augmentExample?: (row: number, epoch: number) => Float32Array;
  /** Called after every epoch; `improved` when it is the best so far. */
  onEpochEnd?: (state: TrainState, improved: boolean) => Promise<void> | void;
  /**
   * Stops training between batches when aborted (e.g. by Ctrl-C): the
   * loop yields to the event loop after every batch, so an abort from a
   * signal handler or a timer is seen within one batch.
   */
  signal?: AbortSignal;
  /** Progress display mode (default: detect). */
  progress?: ProgressOptions["mode"];
  /** Batches read ahead of the one training (default 2; streamed data reads from disk). */
  prefetch?: number;
  /**
   * Web Workers computing each batch's gradients in parallel (data-parallel
   * training, lib/train/data_parallel.ts); 1 (default) computes them in this
   * thread. A seed and a worker count give the same result every time.
   */
  trainWorkers?: number;
}

/** What {@linkcode fit} returns. */
export interface FitResult {
  /** The final state (best epoch, history). */
  state: TrainState;
  /** Why training ended. */
  stopReason: "epochs" | "early-stopping" | "interrupted";
  /** Where the time of data-parallel steps went (with `trainWorkers` > 1). */
  parallel?: ParallelTimings & { workers: number };
}

/**
 * "Balanced" class weights as scikit-learn computes them:
 * `n / (classes × count[c])`; classes without examples get weight 0.
 */
export function balancedClassWeights(
  y: Int32Array,
  numClasses: number,
): number[] {
  const counts = new Array(numClasses).fill(0);
  for (const c of y) counts[c]++;
  const present = counts.filter((c) => c > 0).length;
  return counts.map((c) => (c > 0 ? y.length / (present * c) : 0));
}

function crossEntropy(probs: Float32Array, y: Int32Array, k: number): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    sum -= Math.log(Math.max(probs[i * k + y[i]], 1e-7));
  }
  return sum / Math.max(y.length, 1);
}

/** Class probabilities of every example of `data` (in memory or streamed). */
export async function probabilitiesOf(
  model: tf.LayersModel,
  data: Rows,
): Promise<Float32Array> {
  return isStreamed(data)
    ? await streamedProbabilities(model, data)
    : predictProbabilities(model, data);
}

/** Validation loss, accuracy and UAR of `model` on `data`. */
export async function validationScores(
  model: tf.LayersModel,
  data: Rows,
  labels: readonly string[],
): Promise<{ loss: number; accuracy: number; uar: number }> {
  const probs = await probabilitiesOf(model, data);
  const pred = argmaxRows(probs, labels.length);
  const m = evaluate(Array.from(data.y), pred, { labels });
  return {
    loss: crossEntropy(probs, data.y, labels.length),
    accuracy: m.accuracy,
    uar: m.uar,
  };
}

function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = lr;
}

/** The learning rate of the epoch after `state` (1-based `state.epoch + 1`). */
export function scheduledRate(config: TrainConfig, state: TrainState): number {
  if (config.schedule === "plateau") return state.learningRate;
  const e = state.epoch; // 0-based index of the coming epoch
  // A short run (e.g. `--epochs 2` over the default recipe) warms up for
  // all but its last epoch.
  const warmup = Math.min(config.warmupEpochs, config.epochs - 1);
  if (e < warmup) {
    return config.learningRate * (e + 1) / (warmup + 1);
  }
  if (config.schedule === "constant") return config.learningRate;
  const span = Math.max(config.epochs - warmup - 1, 1);
  const t = Math.min((e - warmup) / span, 1);
  return config.learningRate *
    (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * t)));
}

/**
 * Soft targets of a batch, row-major `[rows, k]`: label smoothing
 * `(1 − ε)·one-hot + ε / k`, and with mixup `λ·t(y) + (1 − λ)·t(y[pair])`.
 */
export function batchTargets(
  labels: readonly number[],
  k: number,
  smoothing: number,
  mix?: { lambda: number; pair: readonly number[] },
): Float32Array {
  const t = new Float32Array(labels.length * k).fill(smoothing / k);
  labels.forEach((c, i) => {
    if (!mix) {
      t[i * k + c] += 1 - smoothing;
      return;
    }
    t[i * k + c] += mix.lambda * (1 - smoothing);
    t[i * k + labels[mix.pair[i]]] += (1 - mix.lambda) * (1 - smoothing);
  });
  return t;
}

/** `x` (row-major `[rows, size]`) mixed with its rows in `pair` order: λ·x + (1 − λ)·x[pair]. */
function mixRows(
  x: Float32Array,
  size: number,
  lambda: number,
  pair: readonly number[],
): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < pair.length; i++) {
    const a = i * size;
    const b = pair[i] * size;
    for (let j = 0; j < size; j++) {
      out[a + j] = lambda * x[a + j] + (1 - lambda) * x[b + j];
    }
  }
  return out;
}

/** Kernels (not biases, not batch-norm parameters) that weight decay shrinks. */
function decayed(variables: readonly tf.Variable[]): tf.Variable[] {
  return variables.filter((v) => /kernel/.test(v.name));
}

/** Running sum of weights over the epochs being averaged. */
class WeightAverage {
  #sum: tf.Tensor[] | null = null;
  count = 0;

  add(weights: tf.Tensor[]): void {
    if (!this.#sum) {
      this.#sum = weights.map((w) => w.clone());
    } else {
      const old = this.#sum;
      this.#sum = old.map((s, i) => tf.add(s, weights[i]));
      tf.dispose(old);
    }
    this.count++;
  }

  /** The mean, as new tensors (null before any epoch was added). */
  mean(): tf.Tensor[] | null {
    const n = this.count;
    return this.#sum ? this.#sum.map((s) => tf.div(s, n)) : null;
  }

  dispose(): void {
    tf.dispose(this.#sum ?? []);
    this.#sum = null;
  }
}

/**
 * Trains `model` on `train`. With `keep: "best"` it selects the epoch with
 * the best UAR on `validation` (stopping after `patience` epochs without a
 * better one); with `keep: "last"` it trains the whole budget and keeps the
 * last epoch, or the average of the last `averageLast` epochs' weights
 * (`validation` may then be empty: it is only monitored). At the end the
 * model holds the kept weights.
 */
export async function fit(
  model: tf.LayersModel,
  train: Rows,
  validation: Rows,
  options: FitOptions,
): Promise<FitResult> {
  const { config } = options;
  if (train.n === 0) throw new Error("the training set is empty");
  if (config.keep === "best" && validation.n === 0) {
    throw new Error(
      'the validation set is empty: keeping the best epoch needs validation speakers (or use keep "last")',
    );
  }
  const pool = (options.trainWorkers ?? 1) > 1
    ? await createDataParallel(model, options.trainWorkers!, {
      maxRows: config.batchSize,
      frames: train.frames,
      dims: train.dims,
      classes: options.labels.length,
    })
    : null;
  try {
    return await fitEpochs(model, train, validation, options, pool);
  } finally {
    pool?.close();
  }
}

/** {@linkcode fit}'s epochs, the steps computed by `pool` when given. */
async function fitEpochs(
  model: tf.LayersModel,
  train: Rows,
  validation: Rows,
  options: FitOptions,
  pool: DataParallel | null,
): Promise<FitResult> {
  const { config, labels } = options;
  const k = labels.length;
  const keepBest = config.keep === "best";
  const optimizer = options.optimizer ?? tf.train.adam(config.learningRate);
  const weights = config.classWeights
    ? balancedClassWeights(train.y, k)
    : new Array(k).fill(1);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const shrink = config.weightDecay > 0 ? decayed(variables) : [];
  const state: TrainState = options.resume ? structuredClone(options.resume) : {
    epoch: 0,
    history: [],
    bestEpoch: 0,
    bestValUar: -1,
    learningRate: config.learningRate,
    wait: 0,
  };
  let best: tf.Tensor[] | null = options.resume && keepBest
    ? model.getWeights().map((w) => w.clone())
    : null;
  // Averaging restarts on resume: the running sum is not checkpointed.
  const average = new WeightAverage();
  const averageFrom = Math.max(config.epochs - config.averageLast + 1, 1);
  let stopReason: FitResult["stopReason"] = "epochs";
  const batches = Math.ceil(train.n / config.batchSize);
  const size = train.frames * train.dims;

  while (state.epoch < config.epochs) {
    if (keepBest && state.wait >= config.patience) {
      // A resumed run that had already stopped early.
      stopReason = "early-stopping";
      break;
    }
    const epoch = state.epoch + 1;
    const lr = scheduledRate(config, state);
    setLearningRate(optimizer, lr);
    const order = createRng(`${config.seed}:shuffle:${epoch}`).shuffle(
      Array.from({ length: train.n }, (_, i) => i),
    );
    const progress = createProgress({
      label: `epoch ${epoch}/${config.epochs}`,
      total: batches,
      mode: options.progress,
    });
    const started = performance.now();
    let lossSum = 0;
    let correct = 0;
    let interrupted = false;
    const slices = Array.from(
      { length: batches },
      (_, b) => order.slice(b * config.batchSize, (b + 1) * config.batchSize),
    );
    const queue = prefetchBatches(
      slices,
      (idx) =>
        isStreamed(train) ? train.gather(idx, epoch) : Promise.resolve(
          gatherRows(train, idx, epoch, options.augmentExample),
        ),
      options.prefetch ?? 2,
    );
    await withSeededMathRandom(`${config.seed}:dropout:${epoch}`, async () => {
      for (let b = 0; b < batches; b++) {
        // Let signal handlers and timers run (Ctrl-C must be seen).
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (options.signal?.aborted) {
          interrupted = true;
          await queue.drain();
          return;
        }
        const idx = slices[b];
        const labelIdx = idx.map((i) => train.y[i]);
        let xs = await queue.next();
        let mix: { lambda: number; pair: number[] } | undefined;
        if (config.mixup > 0) {
          const rng = createRng(`${config.seed}:mixup:${epoch}:${b}`);
          mix = {
            lambda: rng.beta(config.mixup, config.mixup),
            pair: rng.shuffle(idx.map((_, i) => i)),
          };
          xs = mixRows(xs, size, mix.lambda, mix.pair);
        }
        const rowWeights = labelIdx.map((c, i) =>
          mix
            ? mix.lambda * weights[c] +
              (1 - mix.lambda) * weights[labelIdx[mix.pair[i]]]
            : weights[c]
        );
        const targets = batchTargets(
          labelIdx,
          k,
          config.labelSmoothing,
          mix,
        );
        const { loss: lossValue, predicted: pred } = pool
          ? await pool.step(
            {
              x: xs,
              targets,
              rowWeights,
              rows: idx.length,
              dropoutSeed: `${config.seed}:dropout:${epoch}:${b}`,
            },
            optimizer,
            variables,
          )
          : localStep(model, optimizer, variables, {
            x: tf.tensor3d(xs, [idx.length, train.frames, train.dims]),
            y: tf.tensor2d(targets, [idx.length, k]),
            w: tf.tensor1d(rowWeights),
          });
        if (shrink.length > 0) {
          tf.tidy(() => {
            const factor = 1 - lr * config.weightDecay;
            for (const v of shrink) v.assign(tf.mul(v, factor));
          });
        }
        for (let i = 0; i < idx.length; i++) {
          if (pred[i] === labelIdx[i]) correct++;
        }
        lossSum += lossValue * idx.length;
        if (!Number.isFinite(lossValue)) {
          throw new Error(
            `training diverged: loss is ${lossValue} at epoch ${epoch}, batch ${
              b + 1
            }`,
          );
        }
        progress.tick(
          1,
          `loss ${(lossSum / ((b + 1) * config.batchSize)).toFixed(4)}`,
        );
      }
    });
    if (interrupted) {
      progress.done("interrupted");
      stopReason = "interrupted";
      break;
    }
    const val = validation.n > 0
      ? await validationScores(model, validation, labels)
      : null;
    const record: EpochRecord = {
      epoch,
      loss: lossSum / train.n,
      accuracy: correct / train.n,
      ...(val
        ? { valLoss: val.loss, valAccuracy: val.accuracy, valUar: val.uar }
        : {}),
      learningRate: lr,
      seconds: (performance.now() - started) / 1000,
    };
    progress.done(
      `loss ${record.loss.toFixed(4)} acc ${record.accuracy.toFixed(3)}` +
        (val
          ? ` val_loss ${val.loss.toFixed(4)} val_acc ${
            val.accuracy.toFixed(3)
          } val_uar ${val.uar.toFixed(3)}`
          : ""),
    );
    state.history.push(record);
    state.epoch = epoch;
    let improved: boolean;
    if (keepBest) {
      improved = val!.uar > state.bestValUar;
      if (improved) {
        state.bestValUar = val!.uar;
        state.bestEpoch = epoch;
        state.wait = 0;
        tf.dispose(best ?? []);
        best = model.getWeights().map((t) => t.clone());
      } else {
        state.wait++;
        if (
          config.schedule === "plateau" && state.wait > 0 &&
          state.wait % Math.max(Math.floor(config.patience / 2), 1) === 0
        ) {
          state.learningRate = Math.max(state.learningRate * 0.5, 1e-5);
        }
      }
    } else {
      // The last epoch is always the one kept so far.
      improved = true;
      state.bestEpoch = epoch;
      state.bestValUar = val?.uar ?? -1;
      if (epoch >= averageFrom) average.add(model.getWeights());
    }
    await options.onEpochEnd?.(state, improved);
    if (keepBest && state.wait >= config.patience) {
      stopReason = "early-stopping";
      break;
    }
  }
  if (best) {
    model.setWeights(best);
    tf.dispose(best);
  }
  if (!keepBest && stopReason === "epochs" && average.count > 1) {
    const mean = average.mean()!;
    model.setWeights(mean);
    tf.dispose(mean);
  }
  average.dispose();
  return {
    state,
    stopReason,
    ...(pool ? { parallel: { ...pool.timings(), workers: pool.workers } } : {}),
  };
}

/**
 * One optimizer step on batch `x`, `y` (targets), `w` (row weights) in this
 * thread; disposes the batch. Returns the loss and the predicted classes.
 */
function localStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  batch: { x: tf.Tensor; y: tf.Tensor; w: tf.Tensor },
): { loss: number; predicted: ArrayLike<number> } {
  const { x, y, w } = batch;
  let predicted: tf.Tensor | null = null;
  const loss = optimizer.minimize(
    () => {
      const probs = model.apply(x, { training: true }) as tf.Tensor;
      predicted = tf.keep(tf.argMax(probs, -1));
      return batchLoss(probs, y, w);
    },
    true,
    variables,
  ) as tf.Scalar;
  const value = loss.dataSync()[0];
  const pred = (predicted as unknown as tf.Tensor).dataSync();
  tf.dispose([x, y, w, loss, predicted as unknown as tf.Tensor]);
  return { loss: value, predicted: pred };
}

/** The features of training rows `idx` (SpecAugmented for `epoch` when given). */
function gatherRows(
  data: Dataset,
  idx: readonly number[],
  epoch: number,
  augment?: (row: number, epoch: number) => Float32Array,
): Float32Array {
  const size = data.frames * data.dims;
  const x = new Float32Array(idx.length * size);
  idx.forEach((row, i) =>
    x.set(
      augment
        ? augment(row, epoch)
        : data.x.subarray(row * size, (row + 1) * size),
      i * size,
    )
  );
  return x;
}
