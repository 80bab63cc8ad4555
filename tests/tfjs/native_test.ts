import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { initBackend } from "../../lib/tfjs/mod.ts";
import { wasmSectionIds } from "../../lib/wasm/embedded.ts";
import { wasmBytes } from "../../lib/wasm/embedded.ts";
import { NATIVE_KERNELS_WASM } from "../../lib/tfjs/native/kernels_wasm.ts";
import { NATIVE_ABI, STACK_POINTER } from "../../lib/tfjs/native/abi.ts";
import { fusedLstm } from "../../lib/model/lstm.ts";
import { createRng } from "../../lib/random.ts";

await initBackend("wasm");

function random(shape: number[], seed: string): tf.Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal()), shape);
}

Deno.test("the native kernel module has no data segment and exports every kernel", () => {
  const wasm = wasmBytes(NATIVE_KERNELS_WASM);
  // A data segment would be written into the TF.js heap it shares.
  assert.ok(!wasmSectionIds(wasm).includes(11), "data section present");
  const exported = WebAssembly.Module.exports(new WebAssembly.Module(wasm))
    .map((e) => e.name);
  for (const name of [...Object.keys(NATIVE_ABI), STACK_POINTER]) {
    assert.ok(exported.includes(name), `${name} is not exported`);
  }
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasm));
  assert.deepEqual(
    imports.map((i) => `${i.module}.${i.name}:${i.kind}`),
    ["env.memory:memory"],
  );
});

Deno.test("native kernels write only their outputs: other tensors on the heap are untouched by a training step", () => {
  // Canaries allocated around the step's tensors.
  const before = [random([257], "c0"), random([33, 17], "c1")];
  const model = tf.sequential();
  model.add(tf.layers.conv1d({
    inputShape: [24, 6],
    filters: 10,
    kernelSize: 5,
    padding: "same",
  }));
  model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  model.add(fusedLstm({ units: 7, returnSequences: true }));
  model.add(fusedLstm({ units: 6 }));
  model.add(tf.layers.dense({ units: 3, activation: "softmax" }));
  const x = random([5, 24, 6], "x");
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0], "int32"), 3);
  const after = [random([129], "c2"), random([9, 31], "c3")];
  const canaries = [...before, ...after];
  const snapshots = canaries.map((t) => t.dataSync().slice());
  const optimizer = tf.train.adam(1e-2);
  for (let i = 0; i < 3; i++) {
    optimizer.minimize(() =>
      tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor)
    );
  }
  canaries.forEach((t, i) =>
    assert.deepEqual(t.dataSync(), snapshots[i], `canary ${i} changed`)
  );
  tf.dispose([...canaries, x, y]);
  optimizer.dispose();
  model.dispose();
});

Deno.test("LstmSequence and LstmSequenceGrad free every intermediate", () => {
  const x = random([3, 6, 4], "lx");
  const kernel = random([4, 20], "lk");
  const recurrentKernel = random([5, 20], "lr");
  const bias = random([20], "lb");
  const run = () => {
    const outs = tf.engine().runKernel(
      "LstmSequence",
      { x, kernel, recurrentKernel, bias },
      { hard: false } as unknown as tf.NamedAttrMap,
    ) as tf.Tensor[];
    const [hidden, cells, gates, derivs, tanhCells] = outs;
    const grads = tf.engine().runKernel(
      "LstmSequenceGrad",
      {
        dy: tf.onesLike(hidden),
        x,
        kernel,
        recurrentKernel,
        hidden,
        cells,
        gates,
        derivs,
        tanhCells,
      },
      { sequences: true } as unknown as tf.NamedAttrMap,
    ) as tf.Tensor[];
    tf.dispose([...outs, ...grads]);
  };
  tf.tidy(run);
  const tensors = tf.memory().numTensors;
  const dataIds = tf.engine().backend.numDataIds();
  for (let i = 0; i < 3; i++) tf.tidy(run);
  assert.equal(tf.memory().numTensors, tensors);
  assert.equal(tf.engine().backend.numDataIds(), dataIds);
  tf.dispose([x, kernel, recurrentKernel, bias]);
});

Deno.test("Identity on wasm shares the data: a clone outlives its source and frees with the last reference", () => {
  const dataIds = tf.engine().backend.numDataIds();
  const x = random([4, 5], "id");
  const values = x.dataSync().slice();
  const copy = tf.clone(x);
  assert.equal(tf.engine().backend.numDataIds(), dataIds + 1, "no new data");
  x.dispose();
  assert.deepEqual(copy.dataSync(), values);
  copy.dispose();
  assert.equal(tf.engine().backend.numDataIds(), dataIds);
  const s = tf.tensor(["a", "b"]);
  assert.deepEqual(tf.clone(s).dataSync(), ["a", "b"]);
});
