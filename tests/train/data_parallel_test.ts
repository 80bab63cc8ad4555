/**
 * Data-parallel training: one gradient worker takes exactly the step this
 * thread takes, two workers' gradients add up to the whole batch's (a model
 * without batch norm), and N-worker training is bit-identical run to run
 * for a seed and a worker count — while `trainWorkers: 1` is the
 * in-thread path itself.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/tfjs/mod.ts";
import { buildModel } from "../../lib/model/cnn_lstm.ts";
import {
  DEFAULT_MODEL_CONFIG,
  mergeModelConfig,
} from "../../lib/model/config.ts";
import { fusedLstm } from "../../lib/model/lstm.ts";
import type { Dataset } from "../../lib/model/inputs.ts";
import { DEFAULT_TRAIN_CONFIG } from "../../lib/model/recipe.ts";
import { createRng, withSeededMathRandom } from "../../lib/random.ts";
import {
  createDataParallel,
  shardRange,
} from "../../lib/train/data_parallel.ts";
import { batchLoss } from "../../lib/train/loss.ts";
import { batchTargets, fit } from "../../lib/train/loop.ts";
import { defaultTrainWorkers } from "../../lib/train/run.ts";

await initBackend();

const FRAMES = 16;
const DIMS = 6;
const CLASSES = 3;

/** A small CNN+LSTM (fused layers, batch norm; `dropout` as given). */
function smallModel(dropout: number): Promise<tf.LayersModel> {
  return withSeededMathRandom("dp-init", () =>
    buildModel(
      mergeModelConfig(DEFAULT_MODEL_CONFIG, {
        conv: { filters: [4], kernelSize: 3, dropout },
        rnn: { units: 5 },
        dense: [4],
        dropout,
      }),
      { frames: FRAMES, dims: DIMS },
      CLASSES,
    ));
}

function randomData(n: number, seed: string): Dataset {
  const rng = createRng(seed);
  return {
    x: Float32Array.from({ length: n * FRAMES * DIMS }, () => rng.normal()),
    y: Int32Array.from({ length: n }, () => rng.int(0, CLASSES)),
    n,
    frames: FRAMES,
    dims: DIMS,
    lengths: new Int32Array(n).fill(FRAMES),
  };
}

const weightsOf = (m: tf.LayersModel) =>
  m.getWeights().map((w) => Array.from(w.dataSync()));

/** `steps` in-thread optimizer steps (the loop's) on the whole of `data`. */
function localSteps(model: tf.LayersModel, data: Dataset, steps: number) {
  const optimizer = tf.train.adam(0.01);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  for (let s = 0; s < steps; s++) {
    tf.tidy(() => {
      const x = tf.tensor3d(data.x, [data.n, FRAMES, DIMS]);
      const y = tf.tensor2d(batchTargets(Array.from(data.y), CLASSES, 0), [
        data.n,
        CLASSES,
      ]);
      const w = tf.ones([data.n]);
      optimizer.minimize(
        () => batchLoss(model.apply(x, { training: true }) as tf.Tensor, y, w),
        false,
        variables,
      );
    });
  }
  optimizer.dispose();
}

/** The same steps with the gradients computed by `workers` gradient workers. */
async function parallelSteps(
  model: tf.LayersModel,
  data: Dataset,
  steps: number,
  workers: number,
) {
  const optimizer = tf.train.adam(0.01);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const pool = await createDataParallel(model, workers, {
    maxRows: data.n,
    frames: FRAMES,
    dims: DIMS,
    classes: CLASSES,
  });
  try {
    for (let s = 0; s < steps; s++) {
      await pool.step(
        {
          x: data.x,
          targets: batchTargets(Array.from(data.y), CLASSES, 0),
          rowWeights: new Array(data.n).fill(1),
          rows: data.n,
          dropoutSeed: `step${s}`,
        },
        optimizer,
        variables,
      );
    }
    return pool.timings();
  } finally {
    pool.close();
    optimizer.dispose();
  }
}

Deno.test("shardRange: contiguous shards covering the batch", () => {
  assert.deepEqual(
    [0, 1, 2].map((i) => shardRange(i, 3, 7)),
    [[0, 2], [2, 4], [4, 7]],
  );
  assert.deepEqual(shardRange(1, 2, 1), [0, 1]);
});

Deno.test("defaultTrainWorkers: the cores per model, at least 8 rows a worker", () => {
  const cores = navigator.hardwareConcurrency;
  assert.equal(defaultTrainWorkers(1, 1024), cores);
  assert.equal(defaultTrainWorkers(cores, 1024), 1);
  assert.equal(defaultTrainWorkers(1, 16), Math.min(cores, 2));
  assert.equal(defaultTrainWorkers(1, 4), 1);
});

Deno.test("one gradient worker takes bit for bit the step of this thread (batch norm's moving statistics too)", async () => {
  const data = randomData(8, "dp-one");
  const local = await smallModel(0);
  const remote = await smallModel(0);
  assert.deepEqual(weightsOf(remote), weightsOf(local));
  localSteps(local, data, 3);
  const timings = await parallelSteps(remote, data, 3, 1);
  assert.equal(timings.steps, 3);
  assert.deepEqual(weightsOf(remote), weightsOf(local));
  local.dispose();
  remote.dispose();
});

Deno.test("two gradient workers' gradients add up to the whole batch's (no batch norm)", async () => {
  const make = () =>
    withSeededMathRandom("dp-plain", () => {
      const m = tf.sequential();
      m.add(tf.layers.conv1d({
        inputShape: [FRAMES, DIMS],
        filters: 4,
        kernelSize: 3,
        padding: "same",
        activation: "relu",
      }));
      m.add(fusedLstm({ units: 5, recurrentActivation: "sigmoid" }));
      m.add(tf.layers.dense({ units: CLASSES, activation: "softmax" }));
      return m;
    });
  const data = randomData(7, "dp-two");
  const local = await make();
  const remote = await make();
  localSteps(local, data, 2);
  await parallelSteps(remote, data, 2, 2);
  const a = weightsOf(local).flat();
  const b = weightsOf(remote).flat();
  const worst = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  assert.ok(worst < 1e-5, `max |Δweight| ${worst}`);
  local.dispose();
  remote.dispose();
});

async function trainWith(trainWorkers: number | undefined) {
  const model = await smallModel(0.2);
  const train = randomData(20, "dp-fit");
  const result = await fit(model, train, randomData(6, "dp-val"), {
    labels: ["a", "b", "c"],
    config: {
      ...DEFAULT_TRAIN_CONFIG,
      epochs: 2,
      batchSize: 8,
      mixup: 0.2,
      seed: 3,
    },
    progress: "silent",
    ...(trainWorkers === undefined ? {} : { trainWorkers }),
  });
  const weights = weightsOf(model);
  model.dispose();
  const history = result.state.history.map(({ seconds: _, ...r }) => r);
  return { history, weights, parallel: result.parallel };
}

Deno.test("training with 2 workers gives the same model twice for the same seed", async () => {
  const a = await trainWith(2);
  const b = await trainWith(2);
  assert.equal(a.parallel?.workers, 2);
  assert.equal(a.parallel?.steps, 6);
  assert.deepEqual(a.history, b.history);
  assert.deepEqual(a.weights, b.weights);
});

Deno.test("trainWorkers: 1 is the in-thread path", async () => {
  const a = await trainWith(1);
  const b = await trainWith(undefined);
  assert.equal(a.parallel, undefined);
  assert.deepEqual(a.history, b.history);
  assert.deepEqual(a.weights, b.weights);
});
