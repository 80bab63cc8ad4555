/**
 * Web Worker of data-parallel training (lib/train/data_parallel.ts): its own
 * TF.js wasm backend with the project's kernels and a replica of the model.
 * For each step it loads the weights the main thread put in shared memory,
 * computes the loss and gradients of its rows of the batch (the batch is in
 * shared memory too), and writes the gradients, its batch-norm moving
 * statistics after the step, its share of the loss and its predictions into
 * its own shared slot.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import * as tf from "@tensorflow/tfjs";
import { heapFloats, initBackend } from "../tfjs/mod.ts";
import { buildReplica } from "../model/replica.ts";
import { withSeededMathRandom } from "../random.ts";
import {
  type GradRequest,
  type GradResponse,
  type PoolLayout,
  slotViews,
} from "./data_parallel.ts";
import { shardLoss } from "./loss.ts";

let model: tf.LayersModel;
let layout: PoolLayout;
let weights: Float32Array;
let inputs: Float32Array;
let slot: ReturnType<typeof slotViews>;

const post = (m: GradResponse) => self.postMessage(m);

/**
 * Sets every weight of the replica from the shared weights, as new tensors:
 * writing into a variable in place would leave the wasm backend's XNNPACK
 * operators with their cached copy of the old weights (keyed by tensor).
 */
function loadWeights(): void {
  let offset = 0;
  tf.tidy(() =>
    model.setWeights(model.weights.map((w) => {
      const size = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
      const t = tf.tensor(
        weights.subarray(offset, offset + size),
        w.shape as number[],
      );
      offset += size;
      return t;
    }))
  );
}

async function step(
  msg: Extract<GradRequest, { type: "step" }>,
): Promise<void> {
  const t0 = performance.now();
  loadWeights();
  const { start, end, rows, dropoutSeed } = msg;
  const n = end - start;
  const { size, classes, frames, dims, maxRows } = layout;
  const x = tf.tensor3d(
    inputs.subarray(start * size, end * size),
    [n, frames, dims],
  );
  const targetsAt = maxRows * size;
  const y = tf.tensor2d(
    inputs.subarray(targetsAt + start * classes, targetsAt + end * classes),
    [n, classes],
  );
  const weightsAt = targetsAt + maxRows * classes;
  const w = tf.tensor1d(inputs.subarray(weightsAt + start, weightsAt + end));
  const variables = model.trainableWeights.map((v) => v.read() as tf.Variable);
  const t1 = performance.now();
  let predicted: tf.Tensor | null = null;
  const { value, grads } = await withSeededMathRandom(
    dropoutSeed,
    () =>
      tf.variableGrads(() => {
        const probs = model.apply(x, { training: true }) as tf.Tensor;
        predicted = tf.keep(tf.argMax(probs, -1));
        return shardLoss(probs, y, w, n, rows);
      }, variables),
  );
  const t2 = performance.now();
  let offset = 0;
  for (const v of variables) {
    const g = heapFloats(grads[v.name]);
    slot.grads.set(g, offset);
    offset += g.length;
  }
  offset = 0;
  for (const v of model.nonTrainableWeights) {
    const m = heapFloats(v.read());
    slot.moving.set(m, offset);
    offset += m.length;
  }
  slot.loss[0] = value.dataSync()[0];
  slot.predicted.set(
    (predicted as unknown as tf.Tensor).dataSync() as Int32Array,
  );
  tf.dispose([x, y, w, value, predicted as unknown as tf.Tensor]);
  tf.dispose(Object.values(grads));
  const t3 = performance.now();
  post({ type: "done", loadMs: t1 - t0, computeMs: t2 - t1, writeMs: t3 - t2 });
}

self.onmessage = async (event: MessageEvent<GradRequest>) => {
  const msg = event.data;
  try {
    if (msg.type === "init") {
      await initBackend();
      model = await buildReplica(msg.spec);
      layout = msg.layout;
      weights = new Float32Array(msg.weights);
      inputs = new Float32Array(msg.inputs);
      slot = slotViews(msg.slot, layout);
      const shapes = model.weights.map((w) => w.shape.join("×")).join(",");
      if (shapes !== msg.shapes) {
        throw new Error(
          `replica weights ${shapes} do not match the model's ${msg.shapes}`,
        );
      }
      post({ type: "ready" });
    } else {
      await step(msg);
    }
  } catch (err) {
    post({
      type: "error",
      message: err instanceof Error ? err.message : String(err),
    });
  }
};
