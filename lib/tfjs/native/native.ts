/**
 * The C training kernels of `kernels.c`, instantiated on the TF.js wasm
 * backend's own heap: the module imports the backend's `WebAssembly.Memory`,
 * so a kernel reads and writes tensors in place through their heap offsets,
 * with no copies. Its stack lives in a block reserved with the backend's
 * `malloc`, and it has no static data (checked when it is built), so it
 * never touches memory the backend did not give it.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { NATIVE_KERNELS_WASM } from "./kernels_wasm.ts";
import { wasmBytes } from "../../wasm/embedded.ts";
import { NATIVE_ABI, STACK_POINTER, WINDOW_PARAMS } from "./abi.ts";

/** Bytes of the stack block reserved for the C kernels. */
const STACK_BYTES = 64 * 1024;

/** Numbers for the parameters `P` of an ABI entry. */
type Args<P extends readonly string[]> = { -readonly [I in keyof P]: number };

/**
 * The C kernels of {@linkcode NATIVE_ABI}, which lists their parameters;
 * pointers are byte offsets into the backend's heap (see
 * {@linkcode heapOffset}), `0` for an absent optional operand.
 */
export type NativeKernels = {
  readonly [K in keyof typeof NATIVE_ABI]: (
    ...args: Args<typeof NATIVE_ABI[K]>
  ) => void;
};

/** A 2-D window over NHWC input as the C kernels take it ({@linkcode WINDOW_PARAMS}). */
export type Window = Args<typeof WINDOW_PARAMS>;

/** The {@linkcode Window} of a TF.js convolution or pooling geometry. */
export function windowOf(
  info: tf.backend_util.Conv2DInfo,
): Window {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

/** The Emscripten module behind a wasm backend, as far as we use it. */
interface EmscriptenModule {
  asm: { memory: WebAssembly.Memory };
  _malloc(bytes: number): number;
}

const instances = new WeakMap<object, NativeKernels>();

/**
 * The C kernels bound to `backend`'s heap (instantiated once per backend).
 *
 * @throws Error when the backend does not expose its memory.
 */
export function nativeKernels(backend: BackendWasm): NativeKernels {
  const module = backend.wasm as unknown as EmscriptenModule;
  const cached = instances.get(module);
  if (cached) return cached;
  const memory = module.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new Error(
      "native wasm kernels: the TF.js wasm backend does not expose its memory",
    );
  }
  const bytes = wasmBytes(NATIVE_KERNELS_WASM);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: { memory },
  });
  const exports = instance.exports as unknown as
    & NativeKernels
    & Record<typeof STACK_POINTER, WebAssembly.Global>;
  const stack = module._malloc(STACK_BYTES);
  if (!stack) throw new Error("native wasm kernels: no heap for their stack");
  // The stack grows down from the (16-byte aligned) end of the block.
  exports[STACK_POINTER].value = (stack + STACK_BYTES) & ~15;
  instances.set(module, exports);
  return exports;
}

/** Byte offset of a tensor's data in the wasm backend's heap. */
export function heapOffset(backend: BackendWasm, info: tf.TensorInfo): number {
  return backend.dataIdMap.get(info.dataId)!.memoryOffset;
}

/**
 * Floats of the `pack` scratch that `gemm` needs for `n` columns (B's
 * panels, then 4 rows of A); `pack_b` uses the first part.
 */
export function gemmPackFloats(n: number, depth: number): number {
  return (Math.ceil(n / 8) * 8 + 4) * depth;
}
