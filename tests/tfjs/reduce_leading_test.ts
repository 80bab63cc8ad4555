/**
 * The wasm `Sum` and `Mean` kernels of lib/tfjs/kernels/reduce_leading.ts
 * (leading axes as column sums) against the cpu backend, over shapes,
 * axes and keepDims: max relative error ≤ 1e-5 (float32 sums in a different
 * order).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/tfjs/mod.ts";
import { createRng } from "../../lib/random.ts";

await initBackend();

function run(
  op: "sum" | "mean",
  backend: string,
  x: number[],
  shape: number[],
  axis: number[],
  keepDims: boolean,
) {
  tf.setBackend(backend);
  const y = tf[op](tf.tensor(x, shape), axis, keepDims);
  return { shape: y.shape, values: Array.from(y.dataSync()) };
}

Deno.test("wasm Sum and Mean equal cpu for leading, inner and all-axes reductions", () => {
  const cases: [number[], number[]][] = [
    [[32, 128, 64], [0, 1]],
    [[32, 1, 64, 16], [0, 1, 2]],
    [[1024, 512], [0]],
    [[3, 4, 5], [0]],
    [[3, 4, 5], [1, 0]],
    [[3, 4, 5], [2]],
    [[3, 4, 5], [0, 2]],
    [[3, 4, 5], [0, 1, 2]],
    [[7], [0]],
    [[1, 5, 3], [0]],
  ];
  for (const [shape, axis] of cases) {
    const rng = createRng(`sum:${shape}`);
    const n = shape.reduce((a, b) => a * b, 1);
    const x = Array.from({ length: n }, () => rng.normal() + 0.5);
    for (
      const [op, keepDims] of [["sum", false], ["sum", true], ["mean", false], [
        "mean",
        true,
      ]] as const
    ) {
      const cpu = run(op, "cpu", x, shape, axis, keepDims);
      const wasm = run(op, "wasm", x, shape, axis, keepDims);
      assert.deepEqual(wasm.shape, cpu.shape);
      const scale = Math.max(...cpu.values.map(Math.abs), 1);
      const err = Math.max(...wasm.values.map((v, i) =>
        Math.abs(v - cpu.values[i])
      )) / scale;
      assert.ok(
        err <= 1e-5,
        `${op} shape ${shape} axis ${axis}: relative error ${err}`,
      );
    }
  }
  tf.setBackend("wasm");
});
