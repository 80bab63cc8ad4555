/**
 * The fused LSTM against the stock `tf.layers.lstm` on the wasm backend: same
 * weights → same outputs (≤ 1e-5) and same gradients w.r.t. the input and all
 * three weights (≤ 1e-4), in every mode; the stock fall-back where the fused
 * kernels are missing; and saved models load in stock TF.js.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/tfjs/mod.ts";
import { createRng } from "../../lib/random.ts";
import {
  fusedBidirectional,
  FusedLSTM,
  fusedLstm,
  type LstmLayerArgs,
} from "../../lib/model/lstm.ts";
import { lstmSequence } from "../../lib/tfjs/lstm_op.ts";

await initBackend();

// Counts calls of the stock LSTM `call`, to tell the fused path from the
// stock fall-back (FusedLSTM subclasses the stock class).
const stockProto = Object.getPrototypeOf(FusedLSTM.prototype) as {
  call(this: unknown, ...args: unknown[]): unknown;
};
const stockCall = stockProto.call;
let stockCalls = 0;
stockProto.call = function (this: unknown, ...args: unknown[]) {
  stockCalls++;
  return stockCall.apply(this, args);
};

function randomTensor(shape: number[], seed: string, scale = 1): tf.Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: n }, () => rng.normal() * scale);
  return tf.tensor(values, shape);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Forward outputs and gradients of sum(outputs · probes) w.r.t. x and weights. */
function outputsAndGrads(
  layer: tf.layers.Layer,
  x: tf.Variable,
  seed: string,
): { outputs: tf.Tensor[]; grads: tf.Tensor[] } {
  const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  let outputs: tf.Tensor[] = [];
  const { grads } = tf.variableGrads(() => {
    const y = layer.apply(x);
    outputs = (Array.isArray(y) ? y : [y]) as tf.Tensor[];
    outputs.forEach((o) => tf.keep(o));
    const terms = outputs.map((o, k) =>
      tf.sum(tf.mul(o, randomTensor(o.shape, `${seed}:probe${k}`)))
    );
    return tf.addN(terms) as tf.Scalar;
  }, [x, ...weights]);
  return { outputs, grads: [x, ...weights].map((v) => grads[v.name]) };
}

/** Builds layers by applying them once to zeros of `shape`. */
function buildLayers(layers: tf.layers.Layer[], shape: number[]): void {
  tf.tidy(() => layers.forEach((l) => l.apply(tf.zeros(shape))));
}

interface Case {
  batch: number;
  steps: number;
  features: number;
  args: LstmLayerArgs;
}

function compareLayers(
  stock: tf.layers.Layer,
  fused: tf.layers.Layer,
  c: Case,
  seed: string,
  weightScale = 0.5,
): void {
  const shape = [c.batch, c.steps, c.features];
  buildLayers([stock, fused], shape);
  // Random weights (and bias) shared by both layers.
  const weights = stock.getWeights().map((w, k) =>
    randomTensor(w.shape, `${seed}:w${k}`, weightScale)
  );
  stock.setWeights(weights);
  fused.setWeights(weights);
  const x = tf.variable(randomTensor(shape, `${seed}:x`));
  const a = outputsAndGrads(stock, x, seed);
  const before = stockCalls;
  const b = outputsAndGrads(fused, x, seed);
  assert.equal(
    stockCalls,
    before,
    `${seed}: the fused layer ran the stock call`,
  );
  assert.equal(b.outputs.length, a.outputs.length);
  a.outputs.forEach((o, k) => {
    const d = maxAbsDiff(o, b.outputs[k]);
    assert.ok(d <= 1e-5, `${seed}: output ${k} differs by ${d}`);
  });
  const names = [
    "input",
    "kernel",
    "recurrent_kernel",
    "bias",
    "kernel(back)",
    "recurrent_kernel(back)",
    "bias(back)",
  ];
  a.grads.forEach((g, k) => {
    const scale = tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0]);
    assert.ok(scale > 1e-3, `${seed}: gradient ${k} is trivially small`);
    const d = maxAbsDiff(g, b.grads[k]);
    assert.ok(d <= 1e-4, `${seed}: gradient of ${names[k]} differs by ${d}`);
  });
  tf.dispose([
    x,
    ...weights,
    ...a.outputs,
    ...a.grads,
    ...b.outputs,
    ...b.grads,
  ]);
}

const SHAPES: [number, number, number, number][] = [
  // batch, steps, features, units
  [3, 5, 4, 6],
  [2, 2, 3, 2],
  [4, 9, 7, 5],
];

for (const recurrentActivation of ["hardSigmoid", "sigmoid"] as const) {
  for (const returnSequences of [false, true]) {
    for (const goBackwards of [false, true]) {
      const mode =
        `${recurrentActivation} returnSequences=${returnSequences} goBackwards=${goBackwards}`;
      Deno.test(`FusedLSTM equals tf.layers.lstm: ${mode}`, () => {
        SHAPES.forEach(([batch, steps, features, units], s) => {
          const args: LstmLayerArgs = {
            units,
            returnSequences,
            goBackwards,
            recurrentActivation,
          };
          compareLayers(
            tf.layers.lstm(args),
            fusedLstm(args),
            { batch, steps, features, args },
            `${mode}:${s}`,
          );
        });
      });
    }
  }
}

Deno.test("FusedLSTM equals tf.layers.lstm at the CNN+LSTM's size", () => {
  // 32 × 32 steps × 128 features → 128 units, weights of the initialisers'
  // scale (1/√128): gradients sum over 1024 rows here.
  for (const returnSequences of [false, true]) {
    const args: LstmLayerArgs = {
      units: 128,
      returnSequences,
      recurrentActivation: "sigmoid",
    };
    compareLayers(
      tf.layers.lstm(args),
      fusedLstm(args),
      { batch: 32, steps: 32, features: 128, args },
      `full:${returnSequences}`,
      1 / Math.sqrt(128),
    );
  }
});

Deno.test("FusedLSTM equals tf.layers.lstm: returnState, no bias", () => {
  for (const returnSequences of [false, true]) {
    const args: LstmLayerArgs = {
      units: 4,
      returnSequences,
      returnState: true,
      useBias: false,
      recurrentActivation: "sigmoid",
    };
    compareLayers(
      tf.layers.lstm(args),
      fusedLstm(args),
      { batch: 3, steps: 6, features: 5, args },
      `state:${returnSequences}`,
    );
  }
});

Deno.test("fusedBidirectional equals stock bidirectional LSTM", () => {
  for (const returnSequences of [false, true]) {
    const layer: LstmLayerArgs = {
      units: 5,
      returnSequences,
      recurrentActivation: "sigmoid",
    };
    const stock = tf.layers.bidirectional({
      layer: tf.layers.lstm(layer) as tf.RNN,
      mergeMode: "concat",
    });
    const fused = fusedBidirectional({ layer, mergeMode: "concat" });
    const inner = fused as unknown as {
      forwardLayer: tf.layers.Layer;
      backwardLayer: tf.layers.Layer;
    };
    assert.ok(inner.forwardLayer instanceof FusedLSTM);
    assert.ok(inner.backwardLayer instanceof FusedLSTM);
    compareLayers(stock, fused, {
      batch: 3,
      steps: 7,
      features: 4,
      args: layer,
    }, `bi:${returnSequences}`);
  }
});

Deno.test("FusedLSTM given a mask runs the stock recurrence", () => {
  const args: LstmLayerArgs = { units: 3, returnSequences: true };
  const stock = tf.layers.lstm(args);
  const fused = fusedLstm(args);
  const shape = [2, 4, 3];
  buildLayers([stock, fused], shape);
  fused.setWeights(stock.getWeights());
  const x = randomTensor(shape, "mask:x");
  const mask = tf.tensor2d([[1, 1, 0, 0], [1, 1, 1, 1]], [2, 4], "bool");
  const a = stock.apply(x, { mask }) as tf.Tensor;
  const before = stockCalls;
  const b = fused.apply(x, { mask }) as tf.Tensor;
  assert.equal(stockCalls, before + 1);
  assert.ok(maxAbsDiff(a, b) <= 1e-6);
  // Masked steps repeat the previous output: the fused path would not.
  assert.ok(
    maxAbsDiff(
      tf.slice(b, [0, 2, 0], [1, 1, 3]),
      tf.slice(b, [0, 1, 0], [1, 1, 3]),
    ) === 0,
  );
});

Deno.test("without the LstmSequence kernels (cpu) FusedLSTM runs the stock recurrence and lstmSequence says why", async () => {
  await tf.setBackend("cpu");
  try {
    const args: LstmLayerArgs = { units: 3 };
    const stock = tf.layers.lstm(args);
    const fused = fusedLstm(args);
    const shape = [2, 4, 3];
    buildLayers([stock, fused], shape);
    fused.setWeights(stock.getWeights());
    const x = randomTensor(shape, "cpu:x");
    const before = stockCalls;
    const b = fused.apply(x) as tf.Tensor;
    assert.equal(stockCalls, before + 1);
    assert.ok(maxAbsDiff(stock.apply(x) as tf.Tensor, b) <= 1e-6);
    assert.throws(
      () =>
        lstmSequence(
          x as tf.Tensor3D,
          tf.zeros([3, 12]) as tf.Tensor2D,
          tf.zeros([3, 12]) as tf.Tensor2D,
          null,
        ),
      /the cpu backend has no LstmSequence kernels/,
    );
  } finally {
    await tf.setBackend("wasm");
  }
});

Deno.test("lstmSequence names the mismatched shape", () => {
  const x = tf.zeros([2, 3, 4]) as tf.Tensor3D;
  assert.throws(
    () =>
      lstmSequence(
        x,
        tf.zeros([5, 8]) as tf.Tensor2D,
        tf.zeros([2, 8]) as tf.Tensor2D,
        null,
      ),
    /kernel must be \[4, 8\], got \[5,8\]/,
  );
});

async function saveToMemory(
  model: tf.LayersModel,
): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler((a) => {
    artifacts = a;
    return Promise.resolve({
      modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" },
    });
  }));
  assert.ok(artifacts);
  return artifacts;
}

Deno.test("a model with FusedLSTM saves as stock LSTM and loads in stock TF.js", async () => {
  const steps = 6;
  const features = 5;
  const build = (bidirectional: boolean) => {
    const model = tf.sequential();
    const layer: LstmLayerArgs = {
      units: 4,
      recurrentActivation: "sigmoid",
      unitForgetBias: true,
    };
    const inputShape = [steps, features];
    model.add(
      bidirectional
        ? fusedBidirectional({ layer, inputShape })
        : fusedLstm({ ...layer, inputShape }),
    );
    model.add(tf.layers.dense({ units: 3, activation: "softmax" }));
    return model;
  };
  for (const bidirectional of [false, true]) {
    const model = build(bidirectional);
    const artifacts = await saveToMemory(model);
    const json = JSON.stringify(artifacts.modelTopology);
    assert.ok(
      json.includes('"class_name":"LSTM"'),
      "topology names the stock LSTM class",
    );
    assert.ok(!json.includes("Fused"));
    const specs = artifacts.weightSpecs!;
    const lstmSpecs = specs.filter((s) => /lstm/.test(s.name));
    const byName = Object.fromEntries(
      lstmSpecs.map((s) => [s.name.split("/").pop(), s.shape]),
    );
    assert.deepEqual(byName, {
      kernel: [features, 16],
      recurrent_kernel: [4, 16],
      bias: [16],
    });
    // unitForgetBias: the forget block of the stock initial bias is ones.
    const bias = model.getWeights().find((w) =>
      w.shape.length === 1 && w.shape[0] === 16
    )!;
    assert.deepEqual(Array.from(bias.dataSync()), [
      0,
      0,
      0,
      0,
      1,
      1,
      1,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
    ]);

    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const loadedLstms = loaded.layers.flatMap((l) => {
      const inner = l as unknown as {
        forwardLayer?: tf.layers.Layer;
        backwardLayer?: tf.layers.Layer;
      };
      return inner.forwardLayer
        ? [inner.forwardLayer, inner.backwardLayer!]
        : [l];
    }).filter((l) => l.getClassName() === "LSTM");
    assert.equal(loadedLstms.length, bidirectional ? 2 : 1);
    for (const l of loadedLstms) {
      assert.ok(!(l instanceof FusedLSTM), "loaded as the stock class");
    }
    const x = randomTensor([3, steps, features], `save:${bidirectional}`);
    const d = maxAbsDiff(
      model.predict(x) as tf.Tensor,
      loaded.predict(x) as tf.Tensor,
    );
    assert.ok(d <= 1e-5, `predictions differ by ${d}`);
  }
});

Deno.test("training with FusedLSTM follows stock training step by step", async () => {
  const makeModel = (lstm: (a: LstmLayerArgs) => tf.layers.Layer) => {
    const model = tf.sequential();
    model.add(
      lstm({ units: 6, recurrentActivation: "sigmoid", inputShape: [8, 4] }),
    );
    model.add(tf.layers.dense({ units: 3, activation: "softmax" }));
    model.compile({
      optimizer: tf.train.adam(0.01),
      loss: "categoricalCrossentropy",
    });
    return model;
  };
  const stock = makeModel((a) => tf.layers.lstm(a));
  const fused = makeModel(fusedLstm);
  fused.setWeights(stock.getWeights());
  const x = randomTensor([16, 8, 4], "fit:x");
  const y = tf.oneHot(
    tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0], "int32"),
    3,
  );
  const fit = async (m: tf.LayersModel) =>
    (await m.fit(x, y, { epochs: 5, batchSize: 8, shuffle: false, verbose: 0 }))
      .history.loss as number[];
  const a = await fit(stock);
  const b = await fit(fused);
  // The fused op keeps no tensor past a training step.
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) await fused.trainOnBatch(x, y);
  assert.equal(tf.memory().numTensors, before);
  a.forEach((loss, k) =>
    assert.ok(Math.abs(loss - b[k]) <= 1e-4, `epoch ${k}: ${loss} vs ${b[k]}`)
  );
  assert.ok(b[4] < b[0], "loss falls");
});
