import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { initBackend } from "../../lib/tfjs/mod.ts";
import {
  FusedBatchNormalization,
  fusedBatchNormalization,
} from "../../lib/model/batch_norm.ts";
import { relativeError } from "../tfjs/cross_backend.ts";
import { createRng } from "../../lib/random.ts";

await initBackend("wasm");

function random(shape: number[], seed: string, offset = 0): tf.Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => rng.normal() * 2 + offset),
    shape,
  );
}

/** Output, gradients (x and every trainable weight) and moving statistics. */
function trainingStep(
  layer: tf.layers.Layer,
  x: tf.Tensor,
  probe: tf.Tensor,
): Float32Array[] {
  const weights = layer.trainableWeights.map((w) =>
    (w as unknown as { val: tf.Variable }).val
  );
  const xv = tf.variable(x);
  const { value, grads } = tf.variableGrads(
    () =>
      tf.sum(tf.mul(layer.apply(xv, { training: true }) as tf.Tensor, probe)),
    [xv, ...weights],
  );
  const out = [
    value,
    grads[xv.name],
    ...weights.map((w) => grads[w.name]),
    ...layer.getWeights().slice(-2), // moving mean, moving variance
  ].map((t) => t.dataSync() as Float32Array);
  tf.dispose([value, xv, ...Object.values(grads)]);
  return out;
}

for (
  const [name, shape, args] of [
    ["conv features [B, T, C]", [6, 20, 12], {}],
    ["dense [B, C], momentum 0.9, epsilon 1e-2", [16, 7], {
      momentum: 0.9,
      epsilon: 1e-2,
    }],
    ["2-D maps [B, H, W, C]", [3, 5, 4, 6], {}],
  ] as [string, number[], Record<string, unknown>][]
) {
  Deno.test(`FusedBatchNormalization trains as tf.layers.batchNormalization: ${name}`, () => {
    const stock = tf.layers.batchNormalization(args);
    const fused = fusedBatchNormalization(args);
    const x = random(shape, name, 3);
    for (const layer of [stock, fused]) layer.apply(x);
    // Non-trivial gamma/beta, identical in both.
    fused.setWeights(
      stock.getWeights().map((w, i) =>
        i < stock.trainableWeights.length ? random(w.shape, `${name}:w${i}`) : w
      ),
    );
    stock.setWeights(fused.getWeights());
    const probe = random(shape, `${name}:probe`);
    for (let step = 0; step < 2; step++) {
      const want = trainingStep(stock, x, probe);
      const got = trainingStep(fused, x, probe);
      want.forEach((w, i) => {
        const err = relativeError(got[i], w);
        assert.ok(err <= 1e-5, `step ${step} output ${i}: rel err ${err}`);
      });
    }
    // Inference uses the moving statistics, as stock.
    const a = stock.apply(x) as tf.Tensor;
    const b = fused.apply(x) as tf.Tensor;
    assert.ok(relativeError(b.dataSync(), a.dataSync()) <= 1e-6);
    tf.dispose([a, b, x, probe]);
  });
}

Deno.test("FusedBatchNormalization serialises as the stock BatchNormalization", () => {
  const layer = new FusedBatchNormalization({ momentum: 0.8, name: "bn" });
  assert.equal(layer.getClassName(), "BatchNormalization");
  const config = layer.getConfig();
  assert.deepEqual(
    config,
    tf.layers.batchNormalization({ momentum: 0.8, name: "bn" }).getConfig(),
  );
});
