import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/tfjs/mod.ts";
import { buildModel, STATS_EPSILON } from "../../lib/model/cnn_lstm.ts";
import {
  CONV1D_MODEL_CONFIG,
  mergeModelConfig,
  type ModelConfig,
} from "../../lib/model/config.ts";
import { withSeededMathRandom } from "../../lib/random.ts";

await initBackend();

/** The anchor network of issue 11, smaller: 2-D blocks over log-mel + Δ + ΔΔ channels. */
const conv2d: ModelConfig = mergeModelConfig(CONV1D_MODEL_CONFIG, {
  conv: {
    kind: "2d",
    filters: [4, 8],
    kernelSize: 3,
    poolSize: 2,
    dropout: 0.2,
    inputChannels: 3,
  },
  rnn: { units: 6, bidirectional: true },
  pooling: "attention",
  dense: [],
});

function outputOf(model: tf.LayersModel, name: string, x: tf.Tensor) {
  const probe = tf.model({
    inputs: model.inputs,
    outputs: model.getLayer(name).output as tf.SymbolicTensor,
  });
  return probe.predict(x) as tf.Tensor;
}

function shapes(model: tf.LayersModel): Record<string, unknown> {
  return Object.fromEntries(model.layers.map((l) => [l.name, l.outputShape]));
}

Deno.test("2d with input channels: each frame's [base | Δ | ΔΔ] blocks become channels over the bands", () => {
  const [frames, bands] = [8, 5];
  const model = buildModel(conv2d, { frames, dims: 3 * bands }, 4);
  const x = tf.tensor3d(
    Float32Array.from({ length: frames * 3 * bands }, (_, i) => i),
    [1, frames, 3 * bands],
  );
  const image = outputOf(model, "channels_last", x);
  assert.deepEqual(image.shape, [1, frames, bands, 3]);
  const v = image.arraySync() as number[][][][];
  for (let t = 0; t < frames; t++) {
    for (let b = 0; b < bands; b++) {
      for (let c = 0; c < 3; c++) {
        assert.equal(v[0][t][b][c], t * 3 * bands + c * bands + b);
      }
    }
  }
  const s = shapes(model);
  assert.deepEqual(s.pool2, [null, 2, 1, 8]);
  assert.deepEqual(s.to_sequence, [null, 2, 8]);
  assert.deepEqual(s.bilstm, [null, 2, 12]);
  model.dispose();
});

Deno.test("2d pooling by [time, frequency] and one input channel", () => {
  const config = mergeModelConfig(conv2d, {
    conv: { poolSize: [1, 2], inputChannels: 1 },
  });
  const s = shapes(buildModel(config, { frames: 8, dims: 12 }, 4));
  assert.equal(s.channels_last, undefined);
  assert.deepEqual(s.to_image, [null, 8, 12, 1]);
  assert.deepEqual(s.pool2, [null, 8, 3, 8]);
  assert.deepEqual(s.to_sequence, [null, 8, 24]);
});

Deno.test("residual blocks: a 1×1 projection where the width changes, the identity where not", () => {
  for (const kind of ["1d", "2d"] as const) {
    const config = mergeModelConfig(conv2d, {
      conv: {
        kind,
        block: "residual",
        filters: [4, 4, 8],
        inputChannels: kind === "2d" ? 3 : 1,
      },
    });
    const model = buildModel(config, { frames: 16, dims: 24 }, 4);
    const names = model.layers.map((l) => l.name);
    assert.ok(names.includes("skip1") && names.includes("skip3"), kind);
    assert.ok(!names.includes("skip2"), kind);
    const residual = model.getLayer("residual2");
    const inbound = (residual as unknown as {
      inboundNodes: { inboundLayers: tf.layers.Layer[] }[];
    }).inboundNodes[0].inboundLayers.map((l) => l.name);
    assert.deepEqual(inbound, ["bn2b", "conv_drop1"], kind);
    const y = model.predict(tf.randomNormal([2, 16, 24])) as tf.Tensor;
    assert.deepEqual(y.shape, [2, 4]);
    model.dispose();
  }
});

Deno.test("stats pooling is the mean and the standard deviation over time", async () => {
  const config = mergeModelConfig(conv2d, {
    pooling: "stats",
    rnn: { bidirectional: false },
  });
  const model = await withSeededMathRandom(
    3,
    () => buildModel(config, { frames: 16, dims: 12 }, 4),
  );
  const x = tf.randomNormal([2, 16, 12], 0, 1, "float32", 1);
  const h = outputOf(model, "lstm", x).arraySync() as number[][][];
  const pooled = outputOf(model, "stats_pool", x).arraySync() as number[][];
  const units = 6;
  assert.equal(pooled[0].length, 2 * units);
  for (let b = 0; b < 2; b++) {
    for (let u = 0; u < units; u++) {
      const seq = h[b].map((row) => row[u]);
      const mean = seq.reduce((a, v) => a + v, 0) / seq.length;
      const variance = seq.reduce((a, v) => a + (v - mean) ** 2, 0) /
        seq.length;
      const std = variance / Math.sqrt(variance + STATS_EPSILON);
      assert.ok(Math.abs(pooled[b][u] - mean) < 1e-5);
      assert.ok(
        Math.abs(pooled[b][units + u] - std) < 1e-4 * (1 + std),
        `std ${pooled[b][units + u]} vs ${std}`,
      );
      assert.ok(
        Math.abs(std - Math.sqrt(variance)) < 1e-2 * Math.sqrt(variance) + 3e-3,
      );
    }
  }
  model.dispose();
});

Deno.test("buildModel refuses an input the architecture cannot take", () => {
  assert.throws(
    () => buildModel(conv2d, { frames: 8, dims: 10 }, 4),
    /model\.conv\.inputChannels: 3 channels do not divide the 10/,
  );
  assert.throws(
    () => buildModel(conv2d, { frames: 3, dims: 12 }, 4),
    /model\.conv\.poolSize: after block 2 of 2/,
  );
});
