/**
 * Test helper: cross-checking the wasm backend against the cpu backend inside one process:
 * run the same computation on each backend from the same plain numbers and
 * compare the results with a relative error.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** A tensor as plain numbers, movable between backends. */
export interface PlainTensor {
  /** Tensor shape. */
  shape: number[];
  /** Row-major values. */
  values: Float32Array;
}

/** Copies a tensor's shape and values (via `dataSync`). */
export function toPlain(t: tf.Tensor): PlainTensor {
  return { shape: t.shape.slice(), values: t.dataSync() as Float32Array };
}

/** Creates a float32 tensor on the active backend from plain numbers. */
export function fromPlain(p: PlainTensor): tf.Tensor {
  return tf.tensor(p.values, p.shape, "float32");
}

/**
 * Runs `fn` on backend `name` (switching to it first) and returns what it
 * produced as plain numbers; every tensor made inside is disposed.
 *
 * @throws Error when the backend cannot be activated.
 */
export async function onBackend(
  name: "wasm" | "cpu",
  fn: () => tf.Tensor | tf.Tensor[],
): Promise<PlainTensor[]> {
  if (!(await tf.setBackend(name)) || tf.getBackend() !== name) {
    throw new Error(`could not switch TF.js to the ${name} backend`);
  }
  const out = tf.tidy(fn);
  const list = Array.isArray(out) ? out : [out];
  try {
    return list.map(toPlain);
  } finally {
    tf.dispose(list);
  }
}

/**
 * Relative error max|a − b| / max(max|b|, tiny), with `b` the reference.
 *
 * @throws Error when the lengths differ.
 */
export function relativeError(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  tiny = 1e-12,
): number {
  if (a.length !== b.length) {
    throw new Error(
      `relativeError: lengths differ (${a.length} vs ${b.length})`,
    );
  }
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, tiny);
}
