/**
 * Calling the wasm backend's own kernels from inside a custom kernel, so that
 * composed kernels run on the backend's WASM SIMD / XNNPACK code and never on
 * JavaScript loops or another backend.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

/** Attributes passed to a kernel (numbers, arrays, strings, booleans). */
export type KernelAttrs = Record<string, unknown>;

/**
 * Runs the kernel `name` registered for the `wasm` backend on tensor infos
 * that live in `backend`, and returns its output. The caller owns the output
 * and must release it with {@linkcode disposeInfos} unless it is returned.
 *
 * @throws Error when `name` has no wasm kernel.
 */
export function runWasmKernel(
  backend: BackendWasm,
  name: string,
  inputs: tf.NamedTensorInfoMap | tf.TensorInfo[],
  attrs: KernelAttrs = {},
): tf.TensorInfo {
  const config = tf.getKernel(name, "wasm");
  if (!config) {
    throw new Error(`kernel '${name}' is not registered for backend 'wasm'`);
  }
  const out = config.kernelFunc({
    // Concat and other list kernels take an array in place of the map.
    inputs: inputs as tf.NamedTensorInfoMap,
    backend,
    attrs: attrs as tf.NamedAttrMap,
  });
  if (Array.isArray(out)) {
    throw new Error(`kernel '${name}' returned several outputs, expected one`);
  }
  return out;
}

/** Releases intermediate tensor infos created by {@linkcode runWasmKernel}. */
export function disposeInfos(
  backend: BackendWasm,
  infos: readonly tf.TensorInfo[],
): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** The intermediate tensors of one kernel call (see {@linkcode withTemporaries}). */
export interface Temporaries {
  /** Runs a wasm kernel; its output is released when the scope ends. */
  run(
    name: string,
    inputs: tf.NamedTensorInfoMap | tf.TensorInfo[],
    attrs?: KernelAttrs,
  ): tf.TensorInfo;
  /** Releases these tensors too when the scope ends. */
  track(...infos: tf.TensorInfo[]): void;
}

/**
 * Runs `fn` with a scope for intermediate tensors and releases them all when
 * it returns or throws. What `fn` returns is not released unless it was made
 * by `run` or tracked: make the result with {@linkcode runWasmKernel}.
 */
export function withTemporaries<T>(
  backend: BackendWasm,
  fn: (scope: Temporaries) => T,
): T {
  const owned: tf.TensorInfo[] = [];
  try {
    return fn({
      run(name, inputs, attrs = {}) {
        const out = runWasmKernel(backend, name, inputs, attrs);
        owned.push(out);
        return out;
      },
      track(...infos) {
        owned.push(...infos);
      },
    });
  } finally {
    disposeInfos(backend, owned);
  }
}
