/**
 * TensorFlow.js set-up: one call selects the WASM backend, loading its `.wasm`
 * binaries from the local npm package (never a CDN), and reports whether SIMD
 * is on. If WASM cannot start, it fails loudly instead of silently falling
 * back to the slow cpu backend.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import * as path from "node:path";
import { createRequire } from "node:module";
import {
  registerWasmTrainingKernels,
  WASM_TRAINING_KERNEL_NAMES,
} from "./registry.ts";

/** What {@linkcode initBackend} set up. */
export interface BackendInfo {
  /** Active backend name (`wasm`, or `cpu` when explicitly requested). */
  backend: string;
  /** Whether the WASM SIMD build is in use. */
  simd: boolean;
  /** XNNPACK worker threads (1: threads are off under Deno). */
  threads: number;
  /** TF.js version. */
  tfjsVersion: string;
  /** Training kernels added to the wasm backend (empty on `cpu`). */
  trainingKernels: string[];
}

let ready: Promise<BackendInfo> | undefined;

/** Folder holding the `tfjs-backend-wasm*.wasm` binaries of the installed package. */
export function wasmDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm")) +
    path.sep;
}

/**
 * Initialises TF.js once (later calls return the same promise).
 *
 * @param backend `wasm` (default, for training and inference) or `cpu`
 *   (only for cross-checking kernels in tests).
 * @throws Error with the cause when the requested backend cannot start.
 */
export function initBackend(
  backend: "wasm" | "cpu" = "wasm",
): Promise<BackendInfo> {
  if (ready) return ready;
  ready = (async () => {
    if (backend === "wasm") {
      // Referencing an export registers the backend; point it at local files.
      setWasmPaths(wasmDir());
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
