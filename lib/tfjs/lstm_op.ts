/**
 * The fused LSTM sequence op: the whole recurrence over all time steps as ONE
 * differentiable op (`tf.customGrad`) over the backend's `LstmSequence`
 * kernel, whose gradient is its `LstmSequenceGrad` kernel: backpropagation
 * through time written by hand (see `kernels/lstm_sequence.ts`, registered
 * for wasm). The input projection of all steps is one matmul, the per-step
 * loop runs in C, and the weight gradients are one matmul each over all
 * steps.
 *
 * Weights use the stock `tf.layers.lstm` layout and gate order (i, f, c, o):
 * kernel `[F, 4U]`, recurrent kernel `[U, 4U]`, bias `[4U]`; initial states
 * are zero.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { LstmSequence, LstmSequenceGrad } from "./kernel_names.ts";

/** Activation of the input, forget and output gates (stock names). */
export type RecurrentActivation = "sigmoid" | "hardSigmoid";

/** The recurrent activations {@linkcode lstmSequence} implements. */
export const RECURRENT_ACTIVATIONS: readonly RecurrentActivation[] = [
  "sigmoid",
  "hardSigmoid",
];

/** Options of {@linkcode lstmSequence}. */
export interface LstmSequenceOptions {
  /**
   * Gate activation (default `hardSigmoid`, the default of `tf.layers.lstm`
   * in TF.js 4.22; Keras and PyTorch use `sigmoid`). The cell activation is
   * always `tanh`.
   */
  recurrentActivation?: RecurrentActivation;
  /** Output every step's hidden state `[B, T, U]` (default: last, `[B, U]`). */
  returnSequences?: boolean;
  /**
   * Also output the final carry (cell) state, appended along axis 1: the
   * output is then `[B, T + 1, U]` (with `returnSequences`) or `[B, 2, U]`
   * (`[h_T, c_T]`).
   */
  returnCarry?: boolean;
}

function checkShapes(
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor | null,
): void {
  const units = recurrentKernel.shape[0];
  const problems: string[] = [];
  if (x.rank !== 3) {
    problems.push(`input must be [batch, time, features], got [${x.shape}]`);
  }
  if (
    kernel.rank !== 2 || kernel.shape[0] !== x.shape[2] ||
    kernel.shape[1] !== 4 * units
  ) {
    problems.push(
      `kernel must be [${x.shape[2]}, ${4 * units}], got [${kernel.shape}]`,
    );
  }
  if (recurrentKernel.rank !== 2 || recurrentKernel.shape[1] !== 4 * units) {
    problems.push(
      `recurrent kernel must be [${units}, ${
        4 * units
      }], got [${recurrentKernel.shape}]`,
    );
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== 4 * units)) {
    problems.push(`bias must be [${4 * units}], got [${bias.shape}]`);
  }
  if (x.rank === 3 && (x.shape[1] ?? 0) < 1) {
    problems.push("input has no time steps");
  }
  if (problems.length > 0) {
    throw new Error(`lstmSequence: ${problems.join("; ")}`);
  }
}

/** Whether the active backend has the `LstmSequence` kernels (wasm). */
export function hasLstmKernels(): boolean {
  const backend = tf.getBackend();
  return tf.getKernel(LstmSequence, backend) !== undefined &&
    tf.getKernel(LstmSequenceGrad, backend) !== undefined;
}

/**
 * The forward value and gradient function of {@linkcode lstmSequence}'s
 * custom op, on the backend's `LstmSequence` / `LstmSequenceGrad` kernels.
 */
function recurrence(
  save: tf.GradSaveFunc,
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D | undefined,
  act: RecurrentActivation,
  options: { returnSequences: boolean; returnCarry: boolean },
): {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
} {
  const { returnSequences, returnCarry } = options;
  const [batch, steps] = x.shape;
  const units = recurrentKernel.shape[0];
  const inputs: tf.NamedTensorMap = { x, kernel, recurrentKernel };
  if (bias) inputs.bias = bias;
  const [hidden, cells, gates, derivs, tanhCells] = tf.engine().runKernel(
    LstmSequence,
    inputs,
    { hard: act === "hardSigmoid" } as unknown as tf.NamedAttrMap,
  ) as tf.Tensor3D[];
  save([x, kernel, recurrentKernel, hidden, cells, gates, derivs, tanhCells]);
  const lastOf = (all: tf.Tensor3D) =>
    tf.reshape(tf.slice(all, [0, steps - 1, 0], [batch, 1, units]), [
      batch,
      units,
    ]);
  let value: tf.Tensor = returnSequences ? hidden : lastOf(hidden);
  if (returnCarry) {
    const outputs = returnSequences ? hidden : tf.expandDims(value, 1);
    value = tf.concat([outputs, tf.expandDims(lastOf(cells), 1)], 1);
  }
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
    const [xs, k, r, h, c, g, d, tc] = saved;
    const gradInputs: tf.NamedTensorMap = {
      dy,
      x: xs,
      kernel: k,
      recurrentKernel: r,
      hidden: h,
      cells: c,
      gates: g,
      derivs: d,
      tanhCells: tc,
    };
    if (returnCarry) {
      const outSteps = returnSequences ? steps : 1;
      const dyH = tf.slice(dy, [0, 0, 0], [batch, outSteps, units]);
      gradInputs.dy = returnSequences ? dyH : tf.reshape(dyH, [batch, units]);
      gradInputs.dc = tf.reshape(
        tf.slice(dy, [0, outSteps, 0], [batch, 1, units]),
        [batch, units],
      );
    }
    const [dx, dk, dr, db] = tf.engine().runKernel(
      LstmSequenceGrad,
      gradInputs,
      { sequences: returnSequences } as unknown as tf.NamedAttrMap,
    ) as tf.Tensor[];
    if (bias) return [dx, dk, dr, db];
    db.dispose();
    return [dx, dk, dr];
  };
  return { value, gradFunc };
}

/**
 * Runs an LSTM over `x` `[B, T, F]` from zero initial states, as one op with
 * a hand-written gradient (w.r.t. `x`, `kernel`, `recurrentKernel` and
 * `bias`). Computes what `tf.layers.lstm` computes with the same weights
 * (no dropout, no mask, `tanh` cell activation).
 *
 * @param x input `[B, T, F]`, time along axis 1 (reverse it first for
 *   `goBackwards`).
 * @param kernel `[F, 4U]`, gate order i, f, c, o.
 * @param recurrentKernel `[U, 4U]`.
 * @param bias `[4U]`, or null for no bias.
 * @returns `[B, U]`, or `[B, T, U]` with `returnSequences`; with
 *   `returnCarry` the final cell state is appended along axis 1.
 * @throws Error naming the mismatched shape, or when the active backend has
 *   no `LstmSequence` kernels.
 */
export function lstmSequence(
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D | null,
  options: LstmSequenceOptions = {},
): tf.Tensor {
  checkShapes(x, kernel, recurrentKernel, bias);
  const act = options.recurrentActivation ?? "hardSigmoid";
  if (!RECURRENT_ACTIVATIONS.includes(act)) {
    throw new Error(
      `lstmSequence: recurrentActivation "${act}" is not supported (use ${
        RECURRENT_ACTIVATIONS.join(" or ")
      })`,
    );
  }
  if (!hasLstmKernels()) {
    throw new Error(
      `lstmSequence: the ${tf.getBackend()} backend has no LstmSequence kernels (they are registered for wasm by initBackend)`,
    );
  }
  const returnSequences = options.returnSequences ?? false;
  const returnCarry = options.returnCarry ?? false;
  const op = tf.customGrad((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [xIn, w, r, b] = args as [
      tf.Tensor3D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor1D?,
    ];
    return recurrence(save, xIn, w, r, b, act, {
      returnSequences,
      returnCarry,
    });
  });
  const inputs: tf.Tensor[] = bias
    ? [x, kernel, recurrentKernel, bias]
    : [x, kernel, recurrentKernel];
  return op(...inputs);
}
