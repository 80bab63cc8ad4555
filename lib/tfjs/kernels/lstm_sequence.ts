/**
 * `LstmSequence` and `LstmSequenceGrad`: the whole LSTM recurrence as two
 * wasm kernels, the forward pass and its hand-written backward pass
 * (backpropagation through time). Each runs its time loop as one call into
 * our C kernels (`native/kernels.c`, on the backend's heap), below TF.js's
 * engine: no per-step tensors, kernels or allocations.
 *
 * Forward: the input projection of all steps is one `[B·T, F] × [F, 4U]`
 * matmul; then, per step, the recurrent product `[B, U] × [U, 4U]` (with R
 * packed once for all steps) and the gates, cell and hidden state, storing
 * the gates, their derivatives and tanh(c) for the backward pass.
 *
 * Backward: per step (last to first), the pre-activation gradient dz_t and
 * the carried cell gradient, and dz_t·Rᵀ for the previous hidden state
 * (Rᵀ packed once); then one matmul each for the input gradient
 * `[B·T, 4U] × [4U, F]`, the kernel gradient `xᵀ·dz` and the recurrent
 * kernel gradient `h_prevᵀ·dz` over all steps, and the bias gradient as
 * column sums of dz.
 *
 * Tensors are batch-major (`[B, T, ·]`); weights use the stock
 * `tf.layers.lstm` layout and gate order (i, f, c, o); initial states are
 * zero; the cell activation is tanh.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { gemmPackFloats, heapOffset, nativeKernels } from "../native/native.ts";
import {
  runWasmKernel,
  type Temporaries,
  withTemporaries,
} from "./wasm_ops.ts";
import { type KernelArgs, type TrainingKernel, wasmKernel } from "./kernel.ts";
import { LstmSequence, LstmSequenceGrad } from "../kernel_names.ts";

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

function shapeOf(x: tf.TensorInfo): [number, number, number] {
  return x.shape as [number, number, number];
}

/**
 * Allocates a float32 scratch tensor of `shape`, released with `scope`, and
 * returns its heap offset.
 */
function scratchOffset(
  backend: BackendWasm,
  scope: Temporaries,
  shape: number[],
): number {
  const info = backend.makeOutput(shape, "float32");
  scope.track(info);
  return heapOffset(backend, info);
}

/**
 * Outputs of `LstmSequence`, in order: hidden states `[B, T, U]`, cells
 * `[B, T, U]`, gates `[B, T, 4U]`, gate derivatives `[B, T, 4U]` and
 * tanh(cells) `[B, T, U]`; `LstmSequenceGrad` takes them back as the inputs
 * `hidden`, `cells`, `gates`, `derivs` and `tanhCells`.
 */
function lstmSequence(args: KernelArgs<LstmSequenceAttrs>): tf.TensorInfo[] {
  const { backend } = args;
  const { x, kernel, recurrentKernel, bias } = args.inputs;
  const { hard } = args.attrs;
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
  withTemporaries(backend, (scope) => {
    const { run } = scope;
    const projected = run(tf.BatchMatMul, {
      a: run(tf.Reshape, { x }, { shape: [1, batch * steps, features] }),
      b: run(tf.Reshape, { x: kernel }, { shape: [1, features, 4 * units] }),
    }, { transposeA: false, transposeB: false });
    const scratch = (shape: number[]) => scratchOffset(backend, scope, shape);
    const rPack = scratch([gemmPackFloats(4 * units, units)]);
    native.pack_b(at(recurrentKernel), 4 * units, 1, units, 4 * units, rPack);
    native.lstm_forward(
      at(projected),
      bias ? at(bias) : 0,
      rPack,
      scratch([batch, 4 * units]),
      scratch([batch, units]),
      at(gates),
      at(derivs),
      at(cells),
      at(tanhCells),
      at(hidden),
      batch,
      steps,
      units,
      hard ? 1 : 0,
    );
  });
  return [hidden, cells, gates, derivs, tanhCells];
}

/** The backward pass of `LstmSequence`: `[dx, dKernel, dRecurrentKernel, dBias]`. */
function lstmSequenceGrad(
  args: KernelArgs<LstmSequenceGradAttrs>,
): tf.TensorInfo[] {
  const { backend, inputs } = args;
  const { dy, x, kernel, recurrentKernel } = inputs;
  const { hidden, cells, gates, derivs, tanhCells } = inputs;
  const { sequences } = args.attrs;
  const [batch, steps, features] = shapeOf(x);
  const units = recurrentKernel.shape[0];
  const native = nativeKernels(backend);
  const at = (info: tf.TensorInfo) => heapOffset(backend, info);
  const rows = batch * steps;
  return withTemporaries(backend, (scope) => {
    const { run, track } = scope;
    const dz = backend.makeOutput([1, rows, 4 * units], "float32");
    const carry = backend.makeOutput([batch, units], "float32");
    track(dz, carry);
    const carried = backend.typedArrayFromHeap(carry);
    if (inputs.dc) carried.set(backend.typedArrayFromHeap(inputs.dc));
    else carried.fill(0);
    const scratch = (shape: number[]) => scratchOffset(backend, scope, shape);
    // Rᵀ (element (k, j) = R[j, k]) packed once for every step's product.
    const rtPack = scratch([gemmPackFloats(units, 4 * units)]);
    native.pack_b(at(recurrentKernel), 1, 4 * units, 4 * units, units, rtPack);
    native.lstm_backward(
      at(dy),
      sequences ? 1 : 0,
      rtPack,
      scratch([batch, units]),
      scratch([batch, 4 * units]),
      at(carry),
      at(gates),
      at(derivs),
      at(tanhCells),
      at(cells),
      at(dz),
      batch,
      steps,
      units,
    );
    const x2 = run(tf.Reshape, { x }, { shape: [1, rows, features] });
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
      runWasmKernel(backend, tf.Reshape, {
        x: run(tf.BatchMatMul, { a, b }, { transposeA, transposeB }),
      }, { shape });
    const w3 = run(tf.Reshape, { x: kernel }, {
      shape: [1, features, 4 * units],
    });
    const dx = product(dz, w3, false, true, [batch, steps, features]);
    const dw = product(x2, dz, true, false, [features, 4 * units]);
    const dr = product(hPrev, dz, true, false, [units, 4 * units]);
    const db = backend.makeOutput([4 * units], "float32");
    native.column_sums(at(dz), at(db), rows, 4 * units, 1);
    return [dx, dw, dr, db];
  });
}

/** The forward pass, its time loop one C call. */
export const lstmSequenceKernel: TrainingKernel = wasmKernel(
  LstmSequence,
  lstmSequence,
);

/** The backward pass, its time loop one C call. */
export const lstmSequenceGradKernel: TrainingKernel = wasmKernel(
  LstmSequenceGrad,
  lstmSequenceGrad,
);
