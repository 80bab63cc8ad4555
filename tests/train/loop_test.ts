/**
 * The training loop's recipe options compute what they claim: soft targets
 * (label smoothing, mixup), the warm-up + cosine schedule, keeping the last
 * epoch or the average of the last few, decoupled weight decay, and
 * training without validation speakers.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/tfjs/mod.ts";
import { buildModel } from "../../lib/model/cnn_lstm.ts";
import {
  CONV1D_MODEL_CONFIG,
  mergeModelConfig,
} from "../../lib/model/config.ts";
import { stackDataset } from "../../lib/model/inputs.ts";
import {
  DEFAULT_TRAIN_CONFIG,
  type TrainConfig,
} from "../../lib/model/recipe.ts";
import { withSeededMathRandom } from "../../lib/random.ts";
import { batchTargets, fit, scheduledRate } from "../../lib/train/loop.ts";
import { speakerFolds, speakerGroups } from "../../lib/train/split.ts";

Deno.test("batchTargets: one-hot, label smoothing and mixup pairs", () => {
  assert.deepEqual(Array.from(batchTargets([1, 0], 2, 0)), [0, 1, 1, 0]);
  const smooth = batchTargets([2], 4, 0.2);
  assert.deepEqual(Array.from(smooth).map((v) => +v.toFixed(6)), [
    0.05,
    0.05,
    0.85,
    0.05,
  ]);
  // Row 0 (class 0) mixed with row 1 (class 1) by λ = 0.7, and vice versa.
  const mixed = batchTargets([0, 1], 2, 0, { lambda: 0.7, pair: [1, 0] });
  assert.deepEqual(Array.from(mixed).map((v) => +v.toFixed(6)), [
    0.7,
    0.3,
    0.3,
    0.7,
  ]);
  for (let i = 0; i < 2; i++) {
    assert.ok(Math.abs(mixed[2 * i] + mixed[2 * i + 1] - 1) < 1e-6);
  }
});

Deno.test("scheduledRate: linear warm-up, then cosine down to 5 %", () => {
  const config: TrainConfig = {
    ...DEFAULT_TRAIN_CONFIG,
    schedule: "cosine",
    learningRate: 1,
    epochs: 11,
    warmupEpochs: 3,
  };
  const at = (epoch: number) =>
    scheduledRate(config, {
      epoch,
      history: [],
      bestEpoch: 0,
      bestValUar: -1,
      learningRate: 1,
      wait: 0,
    });
  assert.deepEqual([0, 1, 2].map(at), [0.25, 0.5, 0.75]);
  assert.equal(at(3), 1);
  assert.ok(Math.abs(at(10) - 0.05) < 1e-12);
  assert.ok(at(7) < at(5) && at(5) < at(3));
  assert.equal(
    scheduledRate({ ...config, schedule: "constant" }, {
      epoch: 5,
      history: [],
      bestEpoch: 0,
      bestValUar: -1,
      learningRate: 1,
      wait: 0,
    }),
    1,
  );
});

Deno.test("speakerFolds: groups balanced by sex, every speaker tested once, validation drawn from training speakers", () => {
  const items = Array.from({ length: 16 }, (_, s) => ({
    speaker: `r:${String(s + 1).padStart(2, "0")}`,
    gender: s % 2 === 0 ? "male" : "female",
    emotion: "happy",
  }));
  const groups = speakerGroups(items, 4, 1);
  for (const g of groups) {
    assert.equal(g.length, 4);
    const males = g.filter((s) => Number(s.slice(2)) % 2 === 1).length;
    assert.equal(males, 2, `group ${g} is not 2 + 2`);
  }
  assert.deepEqual(groups.flat().sort(), items.map((i) => i.speaker));
  const folds = speakerFolds(items, 4, 1, { validationCount: 0 });
  for (const [i, f] of folds.entries()) {
    assert.deepEqual(f.speakers.test, groups[i]);
    assert.equal(f.speakers.train.length, 12);
    assert.equal(f.validation.length, 0);
  }
  const withVal = speakerFolds(items, 4, 1, { validationCount: 2 });
  for (const f of withVal) {
    assert.equal(f.speakers.validation.length, 2);
    assert.equal(f.speakers.train.length, 10);
    for (const s of f.speakers.validation) {
      assert.ok(!f.speakers.test.includes(s) && !f.speakers.train.includes(s));
    }
  }
});

await initBackend();

/** A tiny model and a tiny separable dataset. */
function tinySetup(seed: string) {
  const frames = 8;
  const dims = 3;
  const n = 24;
  const examples = Array.from({ length: n }, (_, i) => {
    const data = new Float32Array(frames * dims);
    for (let j = 0; j < data.length; j++) {
      data[j] = (i % 2 === 0 ? 1 : -1) + 0.1 * Math.sin(i * 7 + j);
    }
    return { data, frames, dims, length: frames };
  });
  const data = stackDataset(examples, examples.map((_, i) => i % 2), {
    frames,
    dims,
  });
  const config = mergeModelConfig(CONV1D_MODEL_CONFIG, {
    conv: { filters: [4], kernelSize: 3 },
    rnn: { units: 4 },
    dense: [4],
    dropout: 0,
  });
  return withSeededMathRandom(seed, () => ({
    model: buildModel(config, { frames, dims }, 2),
    data,
  }));
}

const empty = stackDataset([], [], { frames: 8, dims: 3 });

Deno.test('fit keep "last": trains every epoch without validation and keeps the average of the last N epochs\' weights', async () => {
  const { model, data } = await tinySetup("avg");
  const seen: tf.Tensor[][] = [];
  const result = await fit(model, data, empty, {
    labels: ["a", "b"],
    config: {
      ...DEFAULT_TRAIN_CONFIG,
      epochs: 4,
      batchSize: 8,
      keep: "last",
      averageLast: 2,
      validationSpeakers: 0,
    },
    progress: "silent",
    onEpochEnd: (state) => {
      seen[state.epoch] = model.getWeights().map((w) => w.clone());
    },
  });
  assert.equal(result.stopReason, "epochs");
  assert.equal(result.state.epoch, 4);
  assert.equal(result.state.bestEpoch, 4);
  assert.equal(result.state.history[0].valUar, undefined);
  const kept = model.getWeights();
  kept.forEach((w, i) => {
    const expected = tf.div(tf.add(seen[3][i], seen[4][i]), 2);
    const diff = tf.max(tf.abs(tf.sub(w, expected))).dataSync()[0];
    assert.ok(diff < 1e-6, `weight ${i} is not the mean of epochs 3 and 4`);
    expected.dispose();
  });
  tf.dispose(seen.flat());
  model.dispose();
});

Deno.test("fit: keeping the best epoch without validation speakers is refused", async () => {
  const { model, data } = await tinySetup("noval");
  await assert.rejects(
    fit(model, data, empty, {
      labels: ["a", "b"],
      config: { ...DEFAULT_TRAIN_CONFIG, epochs: 1, keep: "best" },
      progress: "silent",
    }),
    /the validation set is empty: keeping the best epoch needs validation speakers/,
  );
  model.dispose();
});

Deno.test("fit weightDecay shrinks the kernels against the same run without it", async () => {
  const norms: number[] = [];
  for (const weightDecay of [0, 0.5]) {
    const { model, data } = await tinySetup("decay");
    await fit(model, data, empty, {
      labels: ["a", "b"],
      config: {
        ...DEFAULT_TRAIN_CONFIG,
        epochs: 3,
        batchSize: 8,
        learningRate: 0.05,
        keep: "last",
        validationSpeakers: 0,
        weightDecay,
      },
      progress: "silent",
    });
    const kernels = model.trainableWeights.filter((w) => /kernel/.test(w.name));
    norms.push(
      kernels.reduce(
        (s, w) => s + tf.sum(tf.square(w.read())).dataSync()[0],
        0,
      ),
    );
    model.dispose();
  }
  assert.ok(norms[1] < 0.9 * norms[0], `norms ${norms}`);
});

Deno.test("fit with mixup and label smoothing is seeded: the same seed gives the same loss curve", async () => {
  const curves: number[][] = [];
  for (let run = 0; run < 2; run++) {
    const { model, data } = await tinySetup("mix");
    const r = await fit(model, data, empty, {
      labels: ["a", "b"],
      config: {
        ...DEFAULT_TRAIN_CONFIG,
        epochs: 2,
        batchSize: 8,
        keep: "last",
        validationSpeakers: 0,
        mixup: 0.4,
        labelSmoothing: 0.1,
      },
      progress: "silent",
    });
    curves.push(r.state.history.map((h) => h.loss));
    model.dispose();
  }
  assert.deepEqual(curves[0], curves[1]);
});
