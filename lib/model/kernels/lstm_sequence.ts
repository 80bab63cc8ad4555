/**
 * `LstmSequence` and `LstmSequenceGrad`: the whole LSTM recurrence as two
 * wasm kernels, the forward pass and its hand-written backward pass
 * (backpropagation through time). They run below TF.js's engine, so a
 * step costs one XNNPACK matmul and one C call (`native/kernels.c`, on the
 * backend's heap) instead of a dozen engine-tracked element-wise ops.
 *
 * Forward: the input projection of all steps is one `[B·T, F] × [F, 4U]`
 * matmul; each step then runs the recurrent matmul `[B, U] × [U, 4U]` and
 * one C call for bias, gates, cell and hidden state, which also stores the
 * gates, their derivatives and tanh(c) for the backward pass.
 *
 * Backward: per step (last to first), one C call for the pre-activation
 * gradient dz_t and the carried cell gradient, and one matmul dz_t·Rᵀ for
 * the previous hidden state; then one matmul each for the input gradient
 * `[B·T, 4U] × [4U, F]`, the kernel gradient `xᵀ·dz` and the recurrent
 * kernel gradient `h_prevᵀ·dz` over all steps, and one C call for the bias
 * gradient (column sums of dz).
 *
 * Tensors are batch-major (`[B, T, ·]`); weights use the stock
 * `tf.layers.lstm` layout and gate order (i, f, c, o); initial states are
 * zero; the cell activation is tanh.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapOffset, nativeKernels } from "./native/native.ts";
import { disposeInfos, runWasmKernel, withTemporaries } from "./wasm_ops.ts";

/** Attributes of `LstmSequence`. */
export interface LstmSequenceAttrs {
  /** Gate activation: TF.js's `hardSigmoid` when true, else `sigmoid`. */
  hard: boolean;
}

/** Attributes of `LstmSequenceGrad`. */
export interface LstmSequenceGradAttrs {
  /** `dy` is every step's output gradient `[B, T, U]`, not the last's `[B, U]`. */
  sequences: boolean;
}

const F32 = 4; // bytes

function shapeOf(x: tf.TensorInfo): [number, number, number] {
  return x.shape as [number, number, number];
}

/**
 * Outputs of `LstmSequence`, in order: hidden states `[B, T, U]`, cells
 * `[B, T, U]`, gates `[B, T, 4U]`, gate derivatives `[B, T, 4U]` and
 * tanh(cells) `[B, T, U]`; `LstmSequenceGrad` takes them back as the inputs
 * `hidden`, `cells`, `gates`, `derivs` and `tanhCells`.
 */
function lstmSequence(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { x, kernel, recurrentKernel, bias } = args.inputs as Record<
    string,
    tf.TensorInfo
  >;
  const { hard } = args.attrs as unknown as LstmSequenceAttrs;
  const [batch, steps, features] = shapeOf(x);
  const units = recurrentKernel.shape[0];
  const native = nativeKernels(backend);
  const at = (info: tf.TensorInfo) => heapOffset(backend, info);
  const make = (width: number) =>
    backend.makeOutput([batch, steps, width], "float32");
  const [hidden, cells, gates, derivs, tanhCells] = [
    make(units),
    make(units),
    make(4 * units),
    make(4 * units),
    make(units),
  ];
  withTemporaries(backend, ({ run }) => {
    const projected = run("BatchMatMul", {
      a: run("Reshape", { x }, { shape: [1, batch * steps, features] }),
      b: run("Reshape", { x: kernel }, { shape: [1, features, 4 * units] }),
    }, { transposeA: false, transposeB: false });
    const r3 = run("Reshape", { x: recurrentKernel }, {
      shape: [1, units, 4 * units],
    });
    let h: tf.TensorInfo | null = null;
    try {
      for (let t = 0; t < steps; t++) {
        const rec = h
          ? runWasmKernel(backend, "BatchMatMul", { a: h, b: r3 }, {
            transposeA: false,
            transposeB: false,
          })
          : null;
        const next = backend.makeOutput([1, batch, units], "float32");
        native.lstm_forward_step(
          at(projected) + t * 4 * units * F32,
          bias ? at(bias) : 0,
          rec ? at(rec) : 0,
          t > 0 ? at(cells) + (t - 1) * units * F32 : 0,
          at(gates) + t * 4 * units * F32,
          at(derivs) + t * 4 * units * F32,
          at(cells) + t * units * F32,
          at(tanhCells) + t * units * F32,
          at(hidden) + t * units * F32,
          at(next),
          batch,
          steps,
          units,
          hard ? 1 : 0,
        );
        disposeInfos(backend, rec ? [rec, h!] : []);
        h = next;
      }
    } finally {
      if (h) disposeInfos(backend, [h]);
    }
  });
  return [hidden, cells, gates, derivs, tanhCells];
}

/** The backward pass of `LstmSequence`: `[dx, dKernel, dRecurrentKernel, dBias]`. */
function lstmSequenceGrad(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const inputs = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const { dy, x, kernel, recurrentKernel } = inputs as Record<
    string,
    tf.TensorInfo
  >;
  const { hidden, cells, gates, derivs, tanhCells } = inputs as Record<
    string,
    tf.TensorInfo
  >;
  const { sequences } = args.attrs as unknown as LstmSequenceGradAttrs;
  const [batch, steps, features] = shapeOf(x);
  const units = recurrentKernel.shape[0];
  const native = nativeKernels(backend);
  const at = (info: tf.TensorInfo) => heapOffset(backend, info);
  const rows = batch * steps;
  return withTemporaries(backend, ({ run, track }) => {
    const dz = backend.makeOutput([1, rows, 4 * units], "float32");
    const carry = backend.makeOutput([batch, units], "float32");
    track(dz, carry);
    const carried = backend.typedArrayFromHeap(carry);
    if (inputs.dc) carried.set(backend.typedArrayFromHeap(inputs.dc));
    else carried.fill(0);
    const rT = run("Reshape", {
      x: run("Transpose", { x: recurrentKernel }, { perm: [1, 0] }),
    }, { shape: [1, 4 * units, units] });
    let dhRec: tf.TensorInfo | null = null;
    try {
      for (let t = steps - 1; t >= 0; t--) {
        const out = sequences
          ? at(dy) + t * units * F32
          : t === steps - 1
          ? at(dy)
          : 0;
        const dzStep = backend.makeOutput([1, batch, 4 * units], "float32");
        native.lstm_backward_step(
          out,
          sequences ? steps * units : units,
          dhRec ? at(dhRec) : 0,
          at(carry),
          at(gates) + t * 4 * units * F32,
          at(derivs) + t * 4 * units * F32,
          at(tanhCells) + t * units * F32,
          t > 0 ? at(cells) + (t - 1) * units * F32 : 0,
          at(dz) + t * 4 * units * F32,
          at(dzStep),
          batch,
          steps,
          units,
        );
        const previous: tf.TensorInfo | null = dhRec;
        dhRec = t > 0
          ? runWasmKernel(backend, "BatchMatMul", { a: dzStep, b: rT }, {
            transposeA: false,
            transposeB: false,
          })
          : null;
        disposeInfos(backend, previous ? [previous, dzStep] : [dzStep]);
      }
    } finally {
      if (dhRec) disposeInfos(backend, [dhRec]);
    }
    const x2 = run("Reshape", { x }, { shape: [1, rows, features] });
    const hPrev = backend.makeOutput([1, rows, units], "float32");
    track(hPrev);
    native.shift_steps(at(hidden), at(hPrev), batch, steps, units);
    const product = (
      a: tf.TensorInfo,
      b: tf.TensorInfo,
      transposeA: boolean,
      transposeB: boolean,
      shape: number[],
    ) =>
      runWasmKernel(backend, "Reshape", {
        x: run("BatchMatMul", { a, b }, { transposeA, transposeB }),
      }, { shape });
    const w3 = run("Reshape", { x: kernel }, {
      shape: [1, features, 4 * units],
    });
    const dx = product(dz, w3, false, true, [batch, steps, features]);
    const dw = product(x2, dz, true, false, [features, 4 * units]);
    const dr = product(hPrev, dz, true, false, [units, 4 * units]);
    const db = backend.makeOutput([4 * units], "float32");
    native.column_sums(at(dz), at(db), rows, 4 * units);
    return [dx, dw, dr, db];
  });
}

/** Kernel config registering the forward pass for `wasm`. */
export const lstmSequenceConfig: tf.KernelConfig = {
  kernelName: "LstmSequence",
  backendName: "wasm",
  kernelFunc: lstmSequence as unknown as tf.KernelFunc,
};

/** Kernel config registering the backward pass for `wasm`. */
export const lstmSequenceGradConfig: tf.KernelConfig = {
  kernelName: "LstmSequenceGrad",
  backendName: "wasm",
  kernelFunc: lstmSequenceGrad as unknown as tf.KernelFunc,
};
