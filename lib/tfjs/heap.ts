/**
 * Float32 tensors' data where the wasm backend keeps it: a view into its
 * heap, to copy weights and gradients out to shared memory with one copy
 * instead of `dataSync`'s two. Only for reading: the backend's XNNPACK
 * operators keep their own packed copy of weights, keyed by tensor, which a
 * write in place would leave stale.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapOffset } from "./native/native.ts";

/**
 * A view of float32 tensor `t`'s values in the wasm backend's heap. Valid
 * until the next allocation (a heap growth detaches it): use at once, and
 * only to read (see the module documentation).
 *
 * @throws Error when the active backend is not wasm or `t` is not float32.
 */
export function heapFloats(t: tf.Tensor): Float32Array {
  if (tf.getBackend() !== "wasm" || t.dtype !== "float32") {
    throw new Error(
      `heapFloats: needs a float32 tensor on wasm (${t.dtype} on ${tf.getBackend()})`,
    );
  }
  const backend = tf.backend() as BackendWasm;
  const memory = (backend.wasm as unknown as {
    asm?: { memory?: WebAssembly.Memory };
  }).asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new Error("heapFloats: the TF.js wasm backend hides its memory");
  }
  return new Float32Array(memory.buffer, heapOffset(backend, t), t.size);
}
