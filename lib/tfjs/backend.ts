/**
 * TensorFlow.js set-up under Deno: one call selects the WASM backend, loading
 * its `.wasm` binaries from the local npm package (never a CDN), and reports
 * whether SIMD is on. If WASM cannot start, it fails loudly instead of
 * silently falling back to the slow cpu backend (see `start.ts`).
 *
 * @module
 */
import * as path from "node:path";
import { createRequire } from "node:module";
import { type BackendInfo, startBackend } from "./start.ts";

/** Folder holding the `tfjs-backend-wasm*.wasm` binaries of the installed package. */
export function wasmDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm")) +
    path.sep;
}

/**
 * Initialises TF.js once (later calls return the same promise), loading the
 * wasm binaries from {@linkcode wasmDir}.
 *
 * @param backend `wasm` (default, for training and inference) or `cpu`
 *   (only for cross-checking kernels in tests).
 * @throws Error with the cause when the requested backend cannot start.
 */
export function initBackend(
  backend: "wasm" | "cpu" = "wasm",
): Promise<BackendInfo> {
  return startBackend(wasmDir(), backend);
}
