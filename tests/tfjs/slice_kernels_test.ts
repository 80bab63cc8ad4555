/**
 * The wasm `Slice`, `SplitV` and `Unpack` kernels of lib/tfjs/kernels/slice.ts
 * against the cpu backend over a grid of shapes, begins and sizes: exact
 * equality (they only copy).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/tfjs/mod.ts";
import { createRng } from "../../lib/random.ts";

await initBackend();

function onBoth(f: (x: tf.Tensor) => tf.Tensor | tf.Tensor[], x: tf.Tensor) {
  const run = (backend: string) => {
    tf.setBackend(backend);
    const y = f(tf.tensor(x.dataSync(), x.shape, x.dtype));
    return (Array.isArray(y) ? y : [y]).map((t) => ({
      shape: t.shape,
      values: Array.from(t.dataSync()),
    }));
  };
  const cpu = run("cpu");
  const wasm = run("wasm");
  return { cpu, wasm };
}

function values(shape: number[], seed: string, dtype: "float32" | "int32") {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Array.from(
      { length: n },
      () => dtype === "int32" ? rng.int(-9, 9) : rng.normal(),
    ),
    shape,
    dtype,
  );
}

const SHAPES = [[7], [4, 5], [3, 4, 6], [2, 3, 4, 5], [2, 1, 3, 2, 3]];

Deno.test("wasm Slice equals cpu over a grid of begins and sizes", () => {
  assert.equal(tf.getBackend(), "wasm");
  for (const shape of SHAPES) {
    for (const dtype of ["float32", "int32"] as const) {
      const x = values(shape, `${shape}`, dtype);
      const rng = createRng(`slices:${shape}`);
      for (let k = 0; k < 12; k++) {
        const begin = shape.map((d) => rng.int(0, d));
        // -1 = to the end; otherwise a size that fits.
        const size = shape.map((d, i) =>
          rng.next() < 0.3 ? -1 : rng.int(0, d - begin[i] + 1)
        );
        const { cpu, wasm } = onBoth((t) => tf.slice(t, begin, size), x);
        assert.deepEqual(
          wasm,
          cpu,
          `shape ${shape} begin ${begin} size ${size}`,
        );
      }
    }
  }
  tf.setBackend("wasm");
});

Deno.test("wasm SplitV and Unpack equal cpu on every axis", () => {
  for (const shape of SHAPES) {
    const x = values(shape, `split:${shape}`, "float32");
    shape.forEach((d, axis) => {
      const sizes = d > 1 ? [1, d - 1] : [1];
      for (
        const f of [
          (t: tf.Tensor) => tf.split(t, sizes, axis),
          (t: tf.Tensor) => tf.unstack(t, axis),
        ]
      ) {
        const { cpu, wasm } = onBoth(f, x);
        assert.deepEqual(wasm, cpu, `shape ${shape} axis ${axis}`);
      }
    });
  }
  tf.setBackend("wasm");
});
