/**
 * The training loop: Adam with a learning-rate schedule, class weights,
 * seeded shuffling and dropout, early stopping on validation UAR (keeping the
 * best weights), a progress bar per epoch, and a hook after each epoch for
 * history and checkpoints. Stopping early on request (Ctrl-C) keeps the best
 * model so far.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { evaluate } from "../evaluate/metrics.ts";
import { createProgress, type ProgressOptions } from "../progress.ts";
import { createRng, withSeededMathRandom } from "../random.ts";
import { argmaxRows, predictProbabilities } from "../model/inference.ts";
import { batchTensor, type Dataset } from "../model/inputs.ts";
import type { TrainConfig } from "../model/recipe.ts";
import type { EpochRecord, TrainState } from "../run/mod.ts";

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
}

/** What {@linkcode fit} returns. */
export interface FitResult {
  /** The final state (best epoch, history). */
  state: TrainState;
  /** Why training ended. */
  stopReason: "epochs" | "early-stopping" | "interrupted";
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

/** Validation loss, accuracy and UAR of `model` on `data`. */
export function validationScores(
  model: tf.LayersModel,
  data: Dataset,
  labels: readonly string[],
): { loss: number; accuracy: number; uar: number } {
  const probs = predictProbabilities(model, data);
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

function scheduledRate(config: TrainConfig, state: TrainState): number {
  if (config.schedule === "cosine") {
    const t = Math.min(state.epoch / Math.max(config.epochs - 1, 1), 1);
    return config.learningRate *
      (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * t)));
  }
  return state.learningRate;
}

/**
 * Trains `model` on `train`, selecting the epoch with the best validation
 * UAR; at the end the model holds that epoch's weights.
 */
export async function fit(
  model: tf.LayersModel,
  train: Dataset,
  validation: Dataset,
  options: FitOptions,
): Promise<FitResult> {
  const { config, labels } = options;
  const k = labels.length;
  if (train.n === 0) throw new Error("the training set is empty");
  if (validation.n === 0) throw new Error("the validation set is empty");
  const optimizer = options.optimizer ?? tf.train.adam(config.learningRate);
  const weights = config.classWeights
    ? balancedClassWeights(train.y, k)
    : new Array(k).fill(1);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const state: TrainState = options.resume ? structuredClone(options.resume) : {
    epoch: 0,
    history: [],
    bestEpoch: 0,
    bestValUar: -1,
    learningRate: config.learningRate,
    wait: 0,
  };
  let best: tf.Tensor[] | null = options.resume
    ? model.getWeights().map((w) => w.clone())
    : null;
  let stopReason: FitResult["stopReason"] = "epochs";
  const batches = Math.ceil(train.n / config.batchSize);

  while (state.epoch < config.epochs) {
    if (state.wait >= config.patience) {
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
    await withSeededMathRandom(`${config.seed}:dropout:${epoch}`, async () => {
      for (let b = 0; b < batches; b++) {
        // Let signal handlers and timers run (Ctrl-C must be seen).
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (options.signal?.aborted) {
          interrupted = true;
          return;
        }
        const idx = order.slice(
          b * config.batchSize,
          (b + 1) * config.batchSize,
        );
        const batch = options.augmentExample
          ? augmentedBatch(train, idx, epoch, options.augmentExample)
          : train;
        const rows = options.augmentExample ? idx.map((_, i) => i) : idx;
        const x = batchTensor(batch, rows);
        const labelIdx = idx.map((i) => train.y[i]);
        const y = tf.oneHot(tf.tensor1d(labelIdx, "int32"), k);
        const w = tf.tensor1d(labelIdx.map((c) => weights[c]));
        let predicted: tf.Tensor | null = null;
        const loss = optimizer.minimize(
          () => {
            const probs = model.apply(x, { training: true }) as tf.Tensor;
            predicted = tf.keep(tf.argMax(probs, -1));
            const ce = tf.neg(
              tf.sum(tf.mul(y, tf.log(tf.clipByValue(probs, 1e-7, 1))), -1),
            );
            return tf.mean(tf.mul(ce, w)) as tf.Scalar;
          },
          true,
          variables,
        ) as tf.Scalar;
        const lossValue = loss.dataSync()[0];
        const pred = (predicted as unknown as tf.Tensor).dataSync();
        for (let i = 0; i < idx.length; i++) {
          if (pred[i] === labelIdx[i]) correct++;
        }
        lossSum += lossValue * idx.length;
        tf.dispose([x, y, w, loss, predicted as unknown as tf.Tensor]);
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
    const val = validationScores(model, validation, labels);
    const record: EpochRecord = {
      epoch,
      loss: lossSum / train.n,
      accuracy: correct / train.n,
      valLoss: val.loss,
      valAccuracy: val.accuracy,
      valUar: val.uar,
      learningRate: lr,
      seconds: (performance.now() - started) / 1000,
    };
    progress.done(
      `loss ${record.loss.toFixed(4)} acc ${
        record.accuracy.toFixed(3)
      } val_loss ${record.valLoss.toFixed(4)} val_acc ${
        record.valAccuracy.toFixed(3)
      } val_uar ${record.valUar.toFixed(3)}`,
    );
    state.history.push(record);
    state.epoch = epoch;
    const improved = record.valUar > state.bestValUar;
    if (improved) {
      state.bestValUar = record.valUar;
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
    await options.onEpochEnd?.(state, improved);
    if (state.wait >= config.patience) {
      stopReason = "early-stopping";
      break;
    }
  }
  if (best) {
    model.setWeights(best);
    tf.dispose(best);
  }
  return { state, stopReason };
}

function augmentedBatch(
  data: Dataset,
  idx: number[],
  epoch: number,
  augment: (row: number, epoch: number) => Float32Array,
): Dataset {
  const size = data.frames * data.dims;
  const x = new Float32Array(idx.length * size);
  idx.forEach((row, i) => x.set(augment(row, epoch), i * size));
  return { ...data, x, n: idx.length };
}
