import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { initBackend } from "../../lib/tfjs/mod.ts";
import {
  fromPlain,
  onBackend,
  type PlainTensor,
  relativeError,
} from "./cross_backend.ts";
import { createRng } from "../../lib/random.ts";

await initBackend("wasm");

const TOL = 1e-4;

function randomPlain(shape: number[], seed: string, scale = 1): PlainTensor {
  const rng = createRng(seed);
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = scale * rng.normal();
  return { shape, values };
}

/**
 * Output and gradients (input first, then every trainable weight) of
 * Σ layer(x)·r on one backend; the weights are `weights` where given, or the
 * layer's own initial weights (which are returned for the other backend).
 */
async function layerGrads(
  backend: "wasm" | "cpu",
  makeLayer: () => tf.layers.Layer,
  x: PlainTensor,
  weights: PlainTensor[] | null,
  training: boolean,
): Promise<{ out: PlainTensor[]; weights: PlainTensor[] }> {
  let initial: PlainTensor[] = [];
  const out = await onBackend(backend, () => {
    const layer = makeLayer();
    const xv = tf.variable(fromPlain(x));
    layer.apply(xv, { training }); // builds the weights
    if (weights) layer.setWeights(weights.map(fromPlain));
    initial = layer.getWeights().map((w) => ({
      shape: w.shape.slice(),
      values: w.dataSync() as Float32Array,
    }));
    const vars = [
      xv,
      ...layer.trainableWeights.map((w) => w.read() as tf.Variable),
    ];
    let y: tf.Tensor | undefined;
    const { grads } = tf.variableGrads(() => {
      y = tf.keep(layer.apply(xv, { training }) as tf.Tensor);
      const r = tf.tensor(
        randomPlain(y.shape, "upstream").values,
        y.shape,
      );
      return tf.sum(tf.mul(y, r)) as tf.Scalar;
    }, vars);
    const list = [y!, ...vars.map((v) => grads[v.name])];
    layer.dispose();
    xv.dispose();
    return list;
  });
  return { out, weights: initial };
}

interface LayerCase {
  name: string;
  make: () => tf.layers.Layer;
  input: number[];
  training?: boolean;
}

const CASES: LayerCase[] = [
  {
    name: "conv1d same k5",
    make: () =>
      tf.layers.conv1d({ filters: 6, kernelSize: 5, padding: "same" }),
    input: [3, 16, 4],
  },
  {
    name: "conv1d valid k3 stride 2",
    make: () =>
      tf.layers.conv1d({
        filters: 5,
        kernelSize: 3,
        strides: 2,
        padding: "valid",
      }),
    input: [2, 15, 3],
  },
  {
    name: "conv2d same 3x3",
    make: () =>
      tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same" }),
    input: [2, 8, 6, 2],
  },
  {
    name: "conv2d valid 2x3 stride [2,1]",
    make: () =>
      tf.layers.conv2d({
        filters: 3,
        kernelSize: [2, 3],
        strides: [2, 1],
        padding: "valid",
      }),
    input: [2, 9, 7, 3],
  },
  {
    name: "batchNormalization (training)",
    make: () => tf.layers.batchNormalization(),
    input: [4, 10, 6],
    training: true,
  },
  {
    name: "batchNormalization 2-D (training)",
    make: () => tf.layers.batchNormalization(),
    input: [3, 5, 4, 3],
    training: true,
  },
  {
    name: "relu",
    make: () => tf.layers.activation({ activation: "relu" }),
    input: [3, 12, 5],
  },
  {
    name: "maxPooling1d 2",
    make: () => tf.layers.maxPooling1d({ poolSize: 2 }),
    input: [3, 16, 4],
  },
  {
    name: "maxPooling1d 3 stride 2 same",
    make: () =>
      tf.layers.maxPooling1d({ poolSize: 3, strides: 2, padding: "same" }),
    input: [2, 15, 3],
  },
  {
    name: "maxPooling2d 2x2",
    make: () => tf.layers.maxPooling2d({ poolSize: 2 }),
    input: [2, 8, 6, 3],
  },
  {
    name: "averagePooling1d 2",
    make: () => tf.layers.averagePooling1d({ poolSize: 2 }),
    input: [2, 12, 3],
  },
  {
    name: "dropout 0.3 (seeded mask)",
    make: () => tf.layers.dropout({ rate: 0.3, seed: 7 }),
    input: [3, 8, 5],
    training: true,
  },
  {
    name: "lstm last state",
    make: () => tf.layers.lstm({ units: 8 }),
    input: [3, 7, 5],
  },
  {
    name: "lstm sequences",
    make: () => tf.layers.lstm({ units: 6, returnSequences: true }),
    input: [2, 6, 4],
  },
  {
    name: "bidirectional lstm",
    make: () =>
      tf.layers.bidirectional({
        layer: tf.layers.lstm({ units: 5, returnSequences: true }) as tf.RNN,
      }),
    input: [2, 6, 4],
  },
  {
    name: "globalAveragePooling1d",
    make: () => tf.layers.globalAveragePooling1d(),
    input: [3, 9, 4],
  },
  {
    name: "dense relu",
    make: () => tf.layers.dense({ units: 7, activation: "relu" }),
    input: [5, 12],
  },
  {
    name: "dense softmax",
    make: () => tf.layers.dense({ units: 8, activation: "softmax" }),
    input: [5, 12],
  },
];

Deno.test("every layer gradient of the CNN+LSTM agrees on wasm and cpu", async () => {
  const lines: string[] = [];
  const failures: string[] = [];
  for (const c of CASES) {
    const x = randomPlain(c.input, c.name);
    const cpu = await layerGrads("cpu", c.make, x, null, c.training ?? false);
    const wasm = await layerGrads(
      "wasm",
      c.make,
      x,
      cpu.weights,
      c.training ?? false,
    );
    assert.equal(wasm.out.length, cpu.out.length, c.name);
    const errs = cpu.out.map((ref, i) => {
      assert.deepEqual(wasm.out[i].shape, ref.shape, `${c.name} #${i}`);
      return relativeError(wasm.out[i].values, ref.values);
    });
    lines.push(
      `${c.name}: output+${errs.length - 1} grads, max rel err ${
        Math.max(...errs).toExponential(2)
      }`,
    );
    errs.forEach((e, i) => {
      if (e > TOL) {
        failures.push(
          `${c.name}: ${i === 0 ? "output" : `gradient #${i}`} rel err ${e}`,
        );
      }
    });
  }
  console.log(lines.join("\n"));
  assert.deepEqual(failures, []);
});

Deno.test("categorical cross-entropy and Adam step agree on wasm and cpu", async () => {
  const logits = randomPlain([6, 8], "logits");
  const labels = randomPlain([6], "labels");
  const run = (backend: "wasm" | "cpu") =>
    onBackend(backend, () => {
      const w = tf.variable(fromPlain(logits));
      const y = tf.oneHot(
        tf.tensor1d(
          Array.from(labels.values, (v) => Math.abs(Math.floor(v * 4)) % 8),
          "int32",
        ),
        8,
      );
      const opt = tf.train.adam(1e-2);
      const losses: tf.Tensor[] = [];
      for (let i = 0; i < 3; i++) {
        const loss = opt.minimize(
          () =>
            tf.mean(
              tf.metrics.categoricalCrossentropy(y, tf.softmax(w)),
            ) as tf.Scalar,
          true,
          [w],
        )!;
        losses.push(loss);
      }
      const out = [...losses, w.clone()];
      opt.dispose();
      w.dispose();
      return out;
    });
  const cpu = await run("cpu");
  const wasm = await run("wasm");
  cpu.forEach((ref, i) => {
    const e = relativeError(wasm[i].values, ref.values);
    assert.ok(e <= TOL, `Adam/cross-entropy output #${i}: rel err ${e}`);
  });
});

Deno.test("BatchMatMul on wasm matches cpu for every transpose combination", async () => {
  let worst = 0;
  for (
    const [aShape, bShape, transposeA, transposeB] of [
      [[7, 5], [5, 9], false, false],
      [[5, 7], [5, 9], true, false],
      [[7, 5], [9, 5], false, true],
      [[5, 7], [9, 5], true, true],
      [[32, 128], [32, 512], true, false],
      [[32, 512], [128, 512], false, true],
      [[1, 6, 4], [1, 6, 3], true, false],
      [[3, 4, 6], [3, 5, 6], false, true],
    ] as [number[], number[], boolean, boolean][]
  ) {
    const a = randomPlain(aShape, `a${aShape}`);
    const b = randomPlain(bShape, `b${bShape}`);
    const run = (backend: "wasm" | "cpu") =>
      onBackend(
        backend,
        () => tf.matMul(fromPlain(a), fromPlain(b), transposeA, transposeB),
      );
    const [ref] = await run("cpu");
    const [got] = await run("wasm");
    assert.deepEqual(got.shape, ref.shape);
    const e = relativeError(got.values, ref.values);
    worst = Math.max(worst, e);
    assert.ok(
      e <= TOL,
      `matMul ${aShape}${transposeA ? "ᵀ" : ""} × ${bShape}${
        transposeB ? "ᵀ" : ""
      }: rel err ${e}`,
    );
  }
  console.log(`BatchMatMul wasm vs cpu: max rel err ${worst.toExponential(2)}`);
});

Deno.test("BatchMatMul on wasm is not fooled by XNNPACK's per-id weight cache", async () => {
  // XNNPACK caches packed weights by tensor id, and a reshape shares the id:
  // `a` first serves as weights in another shape, then in Aᵀ·Bᵀ and B·A.
  const a = randomPlain([6, 4], "cache-a");
  const b = randomPlain([3, 6], "cache-b");
  const z = randomPlain([5, 4], "cache-z");
  const run = (backend: "wasm" | "cpu") =>
    onBackend(backend, () => {
      const at = fromPlain(a);
      const first = tf.matMul(fromPlain(z), tf.reshape(at, [4, 6]));
      return [
        first,
        tf.matMul(at, fromPlain(b), true, true),
        tf.matMul(fromPlain(b), at),
      ];
    });
  const ref = await run("cpu");
  const got = await run("wasm");
  ref.forEach((r, i) => {
    const e = relativeError(got[i].values, r.values);
    assert.ok(e <= TOL, `product #${i}: rel err ${e}`);
  });
});

Deno.test("BatchMatMul on wasm frees every intermediate", async () => {
  await tf.setBackend("wasm");
  const a = tf.randomNormal([32, 64]);
  const b = tf.randomNormal([48, 64]);
  const c = tf.randomNormal([32, 48]);
  const run = () => {
    tf.matMul(a, b, false, true).dispose();
    tf.matMul(a, c, true, false).dispose();
  };
  run();
  const tensors = tf.memory().numTensors;
  const dataIds = tf.engine().backend.numDataIds();
  for (let i = 0; i < 4; i++) run();
  assert.equal(tf.memory().numTensors, tensors);
  assert.equal(tf.engine().backend.numDataIds(), dataIds);
  tf.dispose([a, b, c]);
});
