import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { initBackend } from "../../lib/tfjs/mod.ts";
import { fromPlain, type PlainTensor, relativeError } from "./cross_backend.ts";
import { createRng, withSeededMathRandom } from "../../lib/random.ts";

await initBackend("wasm");

const T = 32;
const F = 20;
const CLASSES = 4;
const BATCH = 16;

/** Small CNN+LSTM of stock tf.layers: 2 conv blocks, LSTM 16, dense. */
function buildModel(): tf.LayersModel {
  const m = tf.sequential();
  m.add(
    tf.layers.conv1d({
      inputShape: [T, F],
      filters: 12,
      kernelSize: 5,
      padding: "same",
    }),
  );
  m.add(tf.layers.batchNormalization());
  m.add(tf.layers.activation({ activation: "relu" }));
  m.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  m.add(tf.layers.conv1d({ filters: 16, kernelSize: 3, padding: "same" }));
  m.add(tf.layers.batchNormalization());
  m.add(tf.layers.activation({ activation: "relu" }));
  m.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  m.add(tf.layers.lstm({ units: 16 }));
  m.add(tf.layers.dropout({ rate: 0.2 }));
  m.add(tf.layers.dense({ units: CLASSES, activation: "softmax" }));
  m.compile({
    optimizer: tf.train.adam(1e-2),
    loss: "categoricalCrossentropy",
  });
  return m;
}

/**
 * A learnable toy problem: class k raises feature band k (5 features) over
 * the whole clip, on top of Gaussian noise.
 */
function toyBatch(seed: string): { x: PlainTensor; y: PlainTensor } {
  const rng = createRng(seed);
  const x = new Float32Array(BATCH * T * F);
  const y = new Float32Array(BATCH * CLASSES);
  for (let b = 0; b < BATCH; b++) {
    const k = rng.int(0, CLASSES);
    y[b * CLASSES + k] = 1;
    for (let t = 0; t < T; t++) {
      for (let f = 0; f < F; f++) {
        const band = Math.floor(f / 5) === k ? 1 : 0;
        x[(b * T + t) * F + f] = band + 0.5 * rng.normal();
      }
    }
  }
  return {
    x: { shape: [BATCH, T, F], values: x },
    y: { shape: [BATCH, CLASSES], values: y },
  };
}

/**
 * Trains `steps` Adam steps on `backend` from `initial` weights (or a seeded
 * initialisation) and returns the loss per step and the initial weights.
 */
async function train(
  backend: "wasm" | "cpu",
  initial: PlainTensor[] | null,
  steps: number,
): Promise<{ losses: number[]; weights: PlainTensor[] }> {
  await tf.setBackend(backend);
  return await withSeededMathRandom("wasm-cpu-training", async () => {
    const model = buildModel();
    if (initial) {
      const tensors = initial.map(fromPlain);
      model.setWeights(tensors);
      tf.dispose(tensors);
    }
    const weights = model.getWeights().map((w) => ({
      shape: w.shape.slice(),
      values: w.dataSync() as Float32Array,
    }));
    const losses: number[] = [];
    for (let step = 0; step < steps; step++) {
      const batch = toyBatch(`batch${step}`);
      const [x, y] = [fromPlain(batch.x), fromPlain(batch.y)];
      losses.push(Number(await model.trainOnBatch(x, y)));
      tf.dispose([x, y]);
    }
    model.dispose();
    return { losses, weights };
  });
}

Deno.test("CNN+LSTM training on wasm gives the cpu backend's losses step by step", async () => {
  const cpu = await train("cpu", null, 8);
  const wasm = await train("wasm", cpu.weights, 8);
  const errs = wasm.losses.map((l, i) => relativeError([l], [cpu.losses[i]]));
  console.log(
    `losses cpu  ${cpu.losses.map((l) => l.toFixed(5)).join(" ")}\n` +
      `losses wasm ${wasm.losses.map((l) => l.toFixed(5)).join(" ")}\n` +
      `max relative difference ${Math.max(...errs).toExponential(2)}`,
  );
  errs.forEach((e, i) => assert.ok(e <= 1e-4, `step ${i}: rel diff ${e}`));
});

Deno.test("CNN+LSTM loss falls when training on wasm", async () => {
  const { losses } = await train("wasm", null, 20);
  const first = (losses[0] + losses[1]) / 2;
  const last = (losses[18] + losses[19]) / 2;
  console.log(
    `wasm losses ${losses.map((l) => l.toFixed(3)).join(" ")}`,
  );
  assert.ok(
    last < 0.5 * first,
    `loss did not fall: first ${first.toFixed(4)}, last ${last.toFixed(4)}`,
  );
});
