/**
 * Starting TensorFlow.js on the WASM backend with the project's kernels,
 * given where its `.wasm` binaries are served: a folder on disk under Deno
 * (`backend.ts`), a URL prefix in the browser (the `serve` page). Pure: no
 * Deno or Node API, so the browser bundle uses this very code.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import {
  registerWasmTrainingKernels,
  WASM_TRAINING_KERNEL_NAMES,
} from "./registry.ts";

/** What {@linkcode startBackend} set up. */
export interface BackendInfo {
  /** Active backend name (`wasm`, or `cpu` when explicitly requested). */
  backend: string;
  /** Whether the WASM SIMD build is in use. */
  simd: boolean;
  /** XNNPACK worker threads (1: threads are off). */
  threads: number;
  /** TF.js version. */
  tfjsVersion: string;
  /** Training kernels added to the wasm backend (empty on `cpu`). */
  trainingKernels: string[];
}

let ready: Promise<BackendInfo> | undefined;

/**
 * Starts TF.js once (later calls return the same promise): the wasm backend
 * loading its binaries from `wasmPaths` (a folder ending in `/`, or a URL
 * prefix), single-threaded, with the training kernels registered.
 *
 * @param backend `wasm` (default, for training and inference) or `cpu`
 *   (only for cross-checking kernels in tests).
 * @throws Error with the cause when the requested backend cannot start.
 */
export function startBackend(
  wasmPaths: string,
  backend: "wasm" | "cpu" = "wasm",
): Promise<BackendInfo> {
  if (ready) return ready;
  ready = (async () => {
    if (backend === "wasm") {
      // Referencing an export registers the backend; point it at local files.
      setWasmPaths(wasmPaths);
      // One thread everywhere (the C kernels import a non-shared memory).
      tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
      // Training kernels TF.js 4.22 lacks or runs in scalar C on wasm.
      registerWasmTrainingKernels();
    }
    let ok = false;
    try {
      ok = await tf.setBackend(backend);
    } catch (err) {
      ready = undefined;
      throw new Error(
        `TF.js ${backend} backend failed to start: ${(err as Error).message}`,
      );
    }
    if (!ok || tf.getBackend() !== backend) {
      ready = undefined;
      throw new Error(
        `TF.js ${backend} backend failed to start (active: ${tf.getBackend()}); ` +
          `refusing to fall back silently`,
      );
    }
    await tf.ready();
    const simd = backend === "wasm"
      ? Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"))
      : false;
    return {
      backend,
      simd,
      threads: 1,
      tfjsVersion: tf.version.tfjs,
      trainingKernels: backend === "wasm"
        ? [...WASM_TRAINING_KERNEL_NAMES]
        : [],
    };
  })();
  return ready;
}

/** One-line description of the backend, for logs and model cards. */
export function describeBackend(info: BackendInfo): string {
  const kernels = info.trainingKernels.length
    ? ` training_kernels=${info.trainingKernels.join(",")}`
    : "";
  return `tfjs ${info.tfjsVersion} backend=${info.backend} simd=${info.simd} threads=${info.threads}${kernels}`;
}
