import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import {
  initBackend,
  registerWasmTrainingKernels,
  WASM_TRAINING_KERNEL_NAMES,
} from "../../lib/tfjs/mod.ts";
import {
  fromPlain,
  onBackend,
  type PlainTensor,
  relativeError,
} from "./cross_backend.ts";
import { createRng } from "../../lib/random.ts";

const info = await initBackend("wasm");

const TOL = 1e-4;

function randomPlain(shape: number[], seed: string): PlainTensor {
  const rng = createRng(seed);
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.uniform(-1, 1);
  return { shape, values };
}

type Pad = "same" | "valid" | [[0, 0], [number, number], [number, number], [
  0,
  0,
]];

interface Case {
  /** [B, H, W, Ci] */
  x: [number, number, number, number];
  /** [KH, KW, Ci, Co] */
  filter: [number, number, number, number];
  strides: [number, number];
  pad: Pad;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

function outShape(c: Case): number[] {
  const info = tf.backend_util.computeConv2DInfo(
    c.x,
    c.filter,
    c.strides,
    1,
    c.pad,
    c.dimRoundingMode,
  );
  return info.outShape;
}

async function runFilterGrad(
  backend: "wasm" | "cpu",
  x: PlainTensor,
  dy: PlainTensor,
  attrs: Record<string, unknown>,
): Promise<PlainTensor> {
  const [dw] = await onBackend(
    backend,
    () =>
      tf.engine().runKernel(
        "Conv2DBackpropFilter",
        { x: fromPlain(x), dy: fromPlain(dy) },
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor,
  );
  return dw;
}

const CASES: Case[] = [];
for (
  const [x, filter] of [
    // Conv1D as conv2d: [B, 1, T, Ci], filter [1, K, Ci, Co]
    [[3, 1, 32, 20], [1, 5, 20, 16]],
    [[2, 1, 17, 8], [1, 3, 8, 5]],
    // Conv2D over time × frequency
    [[2, 12, 10, 3], [3, 3, 3, 4]],
    [[1, 9, 11, 2], [2, 4, 2, 3]],
  ] as [Case["x"], Case["filter"]][]
) {
  for (
    const strides of [[1, 1], [2, 2], [1, 2], [3, 1]] as [number, number][]
  ) {
    for (
      const pad of [
        "same",
        "valid",
        [[0, 0], [1, 0], [2, 1], [0, 0]],
      ] as Pad[]
    ) {
      CASES.push({ x, filter, strides, pad });
    }
  }
}
CASES.push({
  x: [2, 6, 7, 2],
  filter: [2, 2, 2, 3],
  strides: [1, 2],
  pad: [[0, 0], [3, 1], [0, 4], [0, 0]],
});
CASES.push({
  x: [2, 9, 9, 2],
  filter: [3, 3, 2, 3],
  strides: [2, 2],
  pad: [[0, 0], [1, 1], [1, 1], [0, 0]],
  dimRoundingMode: "ceil",
});

Deno.test("Conv2DBackpropFilter on wasm matches the cpu kernel over shapes, strides and paddings", async () => {
  let worst = 0;
  for (const [i, c] of CASES.entries()) {
    const x = randomPlain(c.x, `x${i}`);
    const dy = randomPlain(outShape(c), `dy${i}`);
    const attrs = {
      strides: c.strides,
      pad: c.pad,
      dataFormat: "NHWC",
      dimRoundingMode: c.dimRoundingMode,
      filterShape: c.filter,
    };
    const ref = await runFilterGrad("cpu", x, dy, attrs);
    const got = await runFilterGrad("wasm", x, dy, attrs);
    assert.deepEqual(got.shape, c.filter);
    const err = relativeError(got.values, ref.values);
    worst = Math.max(worst, err);
    assert.ok(
      err <= TOL,
      `case ${JSON.stringify(c)}: relative error ${err}`,
    );
  }
  console.log(
    `Conv2DBackpropFilter wasm vs cpu: ${CASES.length} cases, max relative error ${
      worst.toExponential(2)
    }`,
  );
});

Deno.test("Conv2D on wasm matches the cpu kernel over shapes, strides, dilations and paddings", async () => {
  let worst = 0;
  let cases = 0;
  for (const [i, c] of CASES.entries()) {
    // Dilations need stride 1 (TF.js's rule); "same" is tried with both.
    const dilations = c.strides[0] === 1 && c.strides[1] === 1
      ? [[1, 1], [2, 3]] as [number, number][]
      : [[1, 1]] as [number, number][];
    for (const dilation of dilations) {
      const x = randomPlain(c.x, `cx${i}`);
      const filter = randomPlain(c.filter, `cf${i}`);
      const attrs = {
        strides: c.strides,
        pad: c.pad,
        dataFormat: "NHWC",
        dilations: dilation,
        dimRoundingMode: c.dimRoundingMode,
      };
      const run = (backend: "wasm" | "cpu") =>
        onBackend(
          backend,
          () =>
            tf.engine().runKernel(
              "Conv2D",
              { x: fromPlain(x), filter: fromPlain(filter) },
              attrs as unknown as tf.NamedAttrMap,
            ) as tf.Tensor,
        );
      const [ref] = await run("cpu");
      const [got] = await run("wasm");
      assert.deepEqual(got.shape, ref.shape);
      const err = relativeError(got.values, ref.values);
      worst = Math.max(worst, err);
      cases++;
      assert.ok(
        err <= TOL,
        `case ${JSON.stringify(c)} dilation ${dilation}: relative error ${err}`,
      );
    }
  }
  console.log(
    `Conv2D wasm vs cpu: ${cases} cases, max relative error ${
      worst.toExponential(2)
    }`,
  );
});

Deno.test("Conv2DBackpropInput on wasm matches the cpu kernel over shapes, strides and paddings", async () => {
  let worst = 0;
  for (const [i, c] of CASES.entries()) {
    const filter = randomPlain(c.filter, `w${i}`);
    const dy = randomPlain(outShape(c), `dyi${i}`);
    const attrs = {
      strides: c.strides,
      pad: c.pad,
      dataFormat: "NHWC",
      dimRoundingMode: c.dimRoundingMode,
      inputShape: c.x,
    } as unknown as tf.NamedAttrMap;
    const run = (backend: "wasm" | "cpu") =>
      onBackend(
        backend,
        () =>
          tf.engine().runKernel(
            "Conv2DBackpropInput",
            { dy: fromPlain(dy), filter: fromPlain(filter) },
            attrs,
          ) as tf.Tensor,
      );
    const [ref] = await run("cpu");
    const [got] = await run("wasm");
    assert.deepEqual(got.shape, c.x);
    const err = relativeError(got.values, ref.values);
    worst = Math.max(worst, err);
    assert.ok(err <= TOL, `case ${JSON.stringify(c)}: relative error ${err}`);
  }
  console.log(
    `Conv2DBackpropInput wasm vs cpu: ${CASES.length} cases, max relative error ${
      worst.toExponential(2)
    }`,
  );
});

Deno.test("Conv2DBackpropFilter on wasm handles dilations (against the cpu kernel on the zero-stuffed filter)", async () => {
  // A dilated k-tap filter equals an undilated (k−1)·d+1-tap filter that is
  // zero between taps, so its gradient is the dense gradient at every d-th tap.
  let worst = 0;
  for (
    const [xShape, [kh, kw], [dh, dw], strides, pad] of [
      [[2, 1, 30, 4], [1, 3], [1, 2], [1, 1], "same"],
      [[2, 1, 30, 4], [1, 3], [1, 3], [2, 2], "valid"],
      [[2, 11, 12, 3], [3, 2], [2, 3], [1, 2], "valid"],
      [[1, 13, 9, 2], [2, 2], [3, 2], [2, 1], "same"],
    ] as [
      [number, number, number, number],
      [number, number],
      [number, number],
      [number, number],
      Pad,
    ][]
  ) {
    const ci = xShape[3];
    const co = 3;
    const filter: Case["filter"] = [kh, kw, ci, co];
    const dense: Case["filter"] = [
      (kh - 1) * dh + 1,
      (kw - 1) * dw + 1,
      ci,
      co,
    ];
    const info = tf.backend_util.computeConv2DInfo(
      xShape,
      filter,
      strides,
      [dh, dw],
      pad,
    );
    const x = randomPlain(xShape, `dx${dh}${dw}`);
    const dy = randomPlain(info.outShape, `ddy${dh}${dw}`);
    const got = await runFilterGrad("wasm", x, dy, {
      strides,
      pad,
      dataFormat: "NHWC",
      filterShape: filter,
      dilations: [dh, dw],
    });
    const full = await runFilterGrad("cpu", x, dy, {
      strides,
      pad,
      dataFormat: "NHWC",
      filterShape: dense,
    });
    const [ref] = await onBackend(
      "cpu",
      () =>
        tf.stridedSlice(
          fromPlain(full),
          [0, 0, 0, 0],
          dense,
          [dh, dw, 1, 1],
        ),
    );
    assert.deepEqual(got.shape, filter);
    assert.deepEqual(ref.shape, filter);
    const err = relativeError(got.values, ref.values);
    worst = Math.max(worst, err);
    assert.ok(err <= TOL, `dilations ${dh}x${dw}: relative error ${err}`);
  }
  console.log(
    `Conv2DBackpropFilter dilated wasm vs cpu: max relative error ${
      worst.toExponential(2)
    }`,
  );
});

Deno.test("Conv2DBackpropFilter on wasm rejects NCHW with a clear message", async () => {
  await tf.setBackend("wasm");
  const x = tf.zeros([1, 2, 8, 8]);
  const dy = tf.zeros([1, 3, 8, 8]);
  assert.throws(
    () =>
      tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
        strides: [1, 1],
        pad: "same",
        dataFormat: "NCHW",
        filterShape: [3, 3, 2, 3],
      } as unknown as tf.NamedAttrMap),
    /Conv2DBackpropFilter \(wasm\): dataFormat 'NCHW' is not supported/,
  );
  tf.dispose([x, dy]);
});

Deno.test("initBackend('wasm') starts wasm with SIMD and registers and reports the training kernels", () => {
  assert.equal(info.backend, "wasm");
  assert.equal(info.simd, true);
  for (
    const name of [
      "Conv2DBackpropFilter",
      "Conv2DBackpropInput",
      "MaxPoolGrad",
      "BatchMatMul",
      "Tile",
    ]
  ) {
    assert.ok(info.trainingKernels.includes(name), `${name} not reported`);
  }
  assert.deepEqual(info.trainingKernels, [...WASM_TRAINING_KERNEL_NAMES]);
  assert.ok(tf.getKernel("Conv2DBackpropFilter", "wasm"));
});

Deno.test("registerWasmTrainingKernels is idempotent", () => {
  const before = WASM_TRAINING_KERNEL_NAMES.map((n) => tf.getKernel(n, "wasm"));
  before.forEach((k, i) => assert.ok(k, WASM_TRAINING_KERNEL_NAMES[i]));
  registerWasmTrainingKernels();
  registerWasmTrainingKernels();
  const after = WASM_TRAINING_KERNEL_NAMES.map((n) => tf.getKernel(n, "wasm"));
  after.forEach((k, i) => assert.equal(k, before[i]));
});

Deno.test("MaxPoolGrad on wasm matches the cpu kernel (negative windows, ties, strides, paddings)", async () => {
  let worst = 0;
  let cases = 0;
  for (
    const [shape, filterSize, strides] of [
      [[3, 1, 32, 6], [1, 2], [1, 2]], // MaxPooling1D(2) as 2-D
      [[2, 1, 17, 4], [1, 3], [1, 2]],
      [[2, 8, 6, 3], [2, 2], [2, 2]],
      [[2, 9, 7, 2], [3, 3], [2, 2]],
      [[1, 7, 8, 3], [2, 3], [1, 1]],
      [[2, 10, 5, 2], [3, 2], [3, 2]],
      // Non-overlapping windows (stride = pool, the fast path): odd lengths
      // are cropped (valid) or −∞-padded (same, explicit) at the end.
      [[2, 1, 33, 5], [1, 2], [1, 2]],
      [[2, 7, 10, 3], [2, 3], [2, 3]],
      [[1, 6, 9, 2], [3, 3], [3, 3]],
    ] as [number[], [number, number], [number, number]][]
  ) {
    // Explicit padding after the input only: rows padded, columns cropped.
    const explicit: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [0, 1],
      [0, 0],
      [0, 0],
    ];
    for (const pad of ["valid", "same", 1, explicit] as const) {
      for (const relu of [false, true]) {
        const x = randomPlain(shape, `mp${shape}${pad}`);
        // ReLU'd inputs have many equal zeros: ties must go to the first.
        if (relu) x.values.forEach((v, i) => (x.values[i] = Math.max(0, v)));
        const attrs = {
          filterSize,
          strides,
          pad,
          dimRoundingMode: pad === 1 ? "ceil" : undefined,
        } as unknown as tf.NamedAttrMap;
        const run = (backend: "wasm" | "cpu") =>
          onBackend(backend, () => {
            const input = fromPlain(x);
            const output = tf.engine().runKernel("MaxPool", { x: input }, {
              ...attrs,
            }) as tf.Tensor;
            const dy = fromPlain(randomPlain(output.shape, `mpdy${shape}`));
            return tf.engine().runKernel(
              "MaxPoolGrad",
              { dy, input, output },
              attrs,
            ) as tf.Tensor;
          });
        const [ref] = await run("cpu");
        const [got] = await run("wasm");
        assert.deepEqual(got.shape, shape);
        const err = relativeError(got.values, ref.values);
        worst = Math.max(worst, err);
        cases++;
        assert.ok(
          err <= TOL,
          `MaxPoolGrad ${shape} pool ${filterSize} strides ${strides} pad ${pad} relu ${relu}: rel err ${err}`,
        );
      }
    }
  }
  console.log(
    `MaxPoolGrad wasm vs cpu: ${cases} cases, max relative error ${
      worst.toExponential(2)
    }`,
  );
});

Deno.test("the wasm training kernels free every intermediate", async () => {
  await tf.setBackend("wasm");
  const x = tf.randomNormal([4, 3, 64, 8]);
  const dy = tf.randomNormal([4, 3, 32, 16]);
  const filter = tf.randomNormal([3, 5, 8, 16]);
  const conv = {
    strides: [1, 2],
    pad: "same",
    dataFormat: "NHWC",
  };
  const pool = { filterSize: [1, 2], strides: [1, 2], pad: "valid" };
  const pooled = tf.engine().runKernel("MaxPool", { x }, pool) as tf.Tensor;
  const dyPool = tf.randomNormal(pooled.shape);
  const calls: [string, tf.NamedTensorMap, Record<string, unknown>][] = [
    ["Conv2D", { x, filter }, { ...conv, dilations: 1 }],
    ["Conv2DBackpropFilter", { x, dy }, { ...conv, filterShape: filter.shape }],
    ["Conv2DBackpropInput", { dy, filter }, { ...conv, inputShape: x.shape }],
    ["MaxPoolGrad", { dy: dyPool, input: x, output: pooled }, pool],
  ];
  for (const [name, inputs, attrs] of calls) {
    const run = () =>
      (tf.engine().runKernel(
        name,
        inputs,
        attrs as tf.NamedAttrMap,
      ) as tf.Tensor).dispose();
    run();
    const tensors = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    for (let i = 0; i < 4; i++) run();
    assert.equal(tf.memory().numTensors, tensors, name);
    assert.equal(tf.engine().backend.numDataIds(), dataIds, name);
  }
  tf.dispose([x, dy, filter, pooled, dyPool]);
});

Deno.test("Tile on wasm matches the cpu kernel (broadcast, real repeats, int32, rank > 6)", async () => {
  for (
    const [shape, reps] of [
      [[1, 1, 1, 8], [1, 4, 6, 1]], // BatchNormalization gradient
      [[3, 1, 5], [2, 4, 3]],
      [[2, 3], [3, 2]],
      [[4], [1]],
      [[2, 1, 3, 1, 2], [2, 3, 2, 2, 2]], // merged to 6 axes
      [[2, 3, 2, 2], [2, 2, 3, 2]], // 8 axes → stock kernel
    ] as [number[], number[]][]
  ) {
    const x = randomPlain(shape, `tile${shape}`);
    const run = (backend: "wasm" | "cpu") =>
      onBackend(backend, () => [
        tf.tile(fromPlain(x), reps),
        tf.tile(tf.cast(tf.mul(fromPlain(x), 10), "int32"), reps),
      ]);
    const ref = await run("cpu");
    const got = await run("wasm");
    for (const k of [0, 1]) {
      assert.deepEqual(got[k].shape, ref[k].shape);
      assert.deepEqual(got[k].values, ref[k].values, `tile ${shape} × ${reps}`);
    }
  }
});
