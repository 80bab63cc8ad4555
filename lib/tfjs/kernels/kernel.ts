/**
 * How a wasm training kernel is declared: one argument type for every kernel
 * function, and the two kinds of kernel the registry installs, our own
 * ({@linkcode wasmKernel}) and a replacement of a stock wasm kernel that
 * hands the cases it does not take back to it ({@linkcode replaceStockKernel}).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

/** What a kernel function receives (TF.js passes it as one object). */
export interface KernelArgs<Attrs = Record<string, unknown>> {
  /** Input tensors by name (a kernel may leave an optional one out). */
  inputs: Record<string, tf.TensorInfo>;
  /** The wasm backend the inputs live in. */
  backend: BackendWasm;
  /** The kernel's attributes. */
  attrs: Attrs;
}

/** What a kernel function returns: one output, or several in order. */
export type KernelOutput = tf.TensorInfo | tf.TensorInfo[];

/** A kernel for the registry: its name and the config to register. */
export interface TrainingKernel {
  /** Kernel name (tfjs-core's constant for a stock kernel). */
  readonly kernelName: string;
  /**
   * The config to register, given the wasm backend's own kernel of that
   * name (`undefined` when it has none).
   *
   * @throws Error when the kernel replaces a stock kernel that is missing.
   */
  config(stock: tf.KernelConfig | undefined): tf.KernelConfig;
}

/**
 * Our own wasm kernel `name`; where TF.js has a stock kernel of that name,
 * this one replaces it outright.
 */
export function wasmKernel<Attrs>(
  name: string,
  kernelFunc: (args: KernelArgs<Attrs>) => KernelOutput,
): TrainingKernel {
  const config: tf.KernelConfig = {
    kernelName: name,
    backendName: "wasm",
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
  return { kernelName: name, config: () => config };
}

/**
 * A replacement of the stock wasm kernel `name`: `kernelFunc` runs in its
 * place and returns `stock()` (the stock kernel on the same arguments) for
 * the cases it does not take. The config keeps the stock `setupFunc`, so
 * the backend still initialises the stock kernel.
 */
export function replaceStockKernel<Attrs>(
  name: string,
  kernelFunc: (
    args: KernelArgs<Attrs>,
    stock: () => KernelOutput,
  ) => KernelOutput,
): TrainingKernel {
  return {
    kernelName: name,
    config(stock) {
      if (!stock) {
        throw new Error(
          `registerWasmTrainingKernels: the wasm backend has no ${name} kernel to replace ` +
            "(import @tensorflow/tfjs-backend-wasm first)",
        );
      }
      const replacement = (args: Parameters<tf.KernelFunc>[0]) =>
        kernelFunc(
          args as unknown as KernelArgs<Attrs>,
          () => stock.kernelFunc(args),
        );
      return {
        kernelName: name,
        backendName: "wasm",
        setupFunc: stock.setupFunc,
        kernelFunc: replacement as tf.KernelFunc,
      };
    },
  };
}
