/**
 * The fused LSTM sequence op: the whole recurrence over all time steps as ONE
 * differentiable op (`tf.customGrad`), with a hand-written backward pass.
 *
 * Forward: the input projection of all steps is one matmul
 * (`[B·T, F] × [F, 4U] + bias`); each step then runs only the recurrent matmul
 * (`[B, U] × [U, 4U]`) and a few element-wise gate ops. The gate scalings are
 * folded into the weights once per call: for `sigmoid`, the candidate column
 * is doubled so that one sigmoid over all `4U` columns gives every gate
 * (`tanh(z) = 2·σ(2z) − 1`); for `hardSigmoid` (`clip(0.2·z + 0.5, 0, 1)`,
 * the TF.js default), the 0.2 and 0.5 are folded in and one clip serves the
 * `i`, `f`, `o` gates.
 *
 * Backward: backpropagation through time with the per-step gate derivatives
 * precomputed for all steps at once; the per-step loop keeps only the
 * recurrent matmul and a few element-wise ops. Per-step gate gradients are
 * stacked into one `[B·T, 4U]` tensor, so the kernel gradient is one matmul
 * `[F, B·T] × [B·T, 4U]`, the recurrent kernel gradient one matmul
 * `[U, B·T] × [B·T, 4U]` over the stacked previous hidden states, and the
 * input gradient one matmul `[B·T, 4U] × [4U, F]`. Every matmul is issued
 * untransposed (operands are transposed explicitly first): the TF.js 4.22 wasm
 * kernel runs transposed products in scalar code, 10–100× slower.
 *
 * Weights use the stock `tf.layers.lstm` layout and gate order (i, f, c, o):
 * kernel `[F, 4U]`, recurrent kernel `[U, 4U]`, bias `[4U]`; initial states
 * are zero.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

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

/**
 * The element-wise ops of the per-step loops, run as kernels directly: on
 * tensors of a few thousand elements the op layer's bookkeeping (scopes,
 * argument conversion, the matmul's rank-3 reshapes) costs about as much as
 * the arithmetic.
 */
const step = {
  add: (a: tf.Tensor, b: tf.Tensor) => run("Add", { a, b }),
  mul: (a: tf.Tensor, b: tf.Tensor) => run("Multiply", { a, b }),
  sub: (a: tf.Tensor, b: tf.Tensor) => run("Sub", { a, b }),
  matMul: (a: tf.Tensor, b: tf.Tensor) =>
    run("BatchMatMul", { a, b }, { transposeA: false, transposeB: false }),
  sigmoid: (x: tf.Tensor) => run("Sigmoid", { x }),
  tanh: (x: tf.Tensor) => run("Tanh", { x }),
  clip: (x: tf.Tensor) =>
    run("ClipByValue", { x }, { clipValueMin: 0, clipValueMax: 1 }),
  slice: (x: tf.Tensor, begin: number[], size: number[]) =>
    run("Slice", { x }, { begin, size }),
  split4: (x: tf.Tensor) =>
    tf.engine().runKernel("SplitV", { x }, {
      numOrSizeSplits: 4,
      axis: 1,
    }) as tf.Tensor[],
  concat: (xs: tf.Tensor[]) =>
    run("Concat", xs as unknown as tf.NamedTensorMap, { axis: 1 }),
};

function run(
  name: string,
  inputs: tf.NamedTensorMap,
  attrs: Record<string, unknown> = {},
): tf.Tensor {
  return tf.engine().runKernel(
    name,
    inputs,
    attrs as unknown as tf.NamedAttrMap,
  ) as tf.Tensor;
}

/** Per-gate column scale and offset folded into the pre-activations. */
interface GateFold {
  /** `[4U]` multiplier of the kernel, recurrent kernel and bias columns. */
  scale: tf.Tensor1D;
  /** `[4U]` added to the bias, or null. */
  shift: tf.Tensor1D | null;
}

function gateColumns(
  units: number,
  values: [number, number, number, number],
): tf.Tensor1D {
  return tf.concat(values.map((v) => tf.fill([units], v))) as tf.Tensor1D;
}

function gateFold(act: RecurrentActivation, units: number): GateFold {
  return act === "sigmoid"
    ? { scale: gateColumns(units, [1, 1, 2, 1]), shift: null }
    : {
      scale: gateColumns(units, [0.2, 0.2, 1, 0.2]),
      shift: gateColumns(units, [0.5, 0.5, 0, 0.5]),
    };
}

/**
 * `tanh(x)` as `2·σ(2x) − 1`: on wasm, Sigmoid runs vectorised (XNNPACK)
 * while Tanh is scalar, ~10× slower on large tensors.
 */
function tanhViaSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.sub(tf.mul(tf.sigmoid(tf.mul(x, 2)), 2), 1);
}

/** One step's activated gates, and the tensor kept for the backward pass. */
interface StepGates {
  i: tf.Tensor;
  f: tf.Tensor;
  g: tf.Tensor;
  o: tf.Tensor;
  keep: tf.Tensor;
}

/** Gates of one step from the folded pre-activation `z` `[B, 4U]`. */
function stepGates(
  act: RecurrentActivation,
  z: tf.Tensor,
  units: number,
  two: tf.Tensor,
  one: tf.Tensor,
): StepGates {
  const b = z.shape[0];
  if (act === "sigmoid") {
    const s = step.sigmoid(z);
    const [i, f, sg, o] = step.split4(s);
    return { i, f, g: step.sub(step.mul(sg, two), one), o, keep: s };
  }
  const [i, f, , o] = step.split4(step.clip(z));
  const g = step.tanh(step.slice(z, [0, 2 * units], [b, units]));
  return { i, f, g, o, keep: z };
}

/**
 * Activated gates `A` and their derivatives `D = dA/dz` (w.r.t. the unfolded
 * pre-activation) for all steps at once, from the kept tensors `[T, B, 4U]`.
 */
function gateDerivatives(
  act: RecurrentActivation,
  keep: tf.Tensor3D,
  fold: GateFold,
  units: number,
): { a: tf.Tensor3D; d: tf.Tensor3D } {
  if (act === "sigmoid") {
    // A = s·scale − (scale − 1);  D = s(1 − s)·scale².
    const a = tf.sub(tf.mul(keep, fold.scale), tf.sub(fold.scale, 1));
    const d = tf.mul(tf.mul(keep, tf.sub(1, keep)), tf.square(fold.scale));
    return { a: a as tf.Tensor3D, d: d as tf.Tensor3D };
  }
  // i, f, o: clip(z', 0, 1), derivative 0.2 where 0 ≤ z' ≤ 1, i.e. where
  // clip(z') = z' (as the stock clipByValue gradient); c: tanh(z'),
  // derivative 1 − tanh². Blocks are picked by multiplying with 0/1 column
  // masks (exact): a broadcast `where` tiles its bool condition with the
  // scalar wasm Tile, ~40 ms per call here.
  const candidate = gateColumns(units, [0, 0, 1, 0]);
  const others = gateColumns(units, [1, 1, 0, 1]);
  const clipped = tf.clipByValue(keep, 0, 1);
  const a = tf.add(
    tf.mul(clipped, others),
    tf.mul(tanhViaSigmoid(keep), candidate),
  );
  const inRange = tf.cast(tf.equal(clipped, keep), "float32");
  const d = tf.add(
    tf.mul(inRange, tf.mul(others, 0.2)),
    tf.mul(tf.sub(1, tf.square(a)), candidate),
  );
  return { a: a as tf.Tensor3D, d: d as tf.Tensor3D };
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
function hasNativeKernels(): boolean {
  const backend = tf.getBackend();
  return tf.getKernel("LstmSequence", backend) !== undefined &&
    tf.getKernel("LstmSequenceGrad", backend) !== undefined;
}

/**
 * The recurrence as the backend's `LstmSequence` kernel, whose gradient is
 * its `LstmSequenceGrad` kernel (see `kernels/lstm_sequence.ts`).
 */
function nativeRecurrence(
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
    "LstmSequence",
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
      "LstmSequenceGrad",
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
 * @throws Error naming the mismatched shape.
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
  const returnSequences = options.returnSequences ?? false;
  const returnCarry = options.returnCarry ?? false;
  const [batch, steps, features] = x.shape;
  const units = recurrentKernel.shape[0];

  const op = tf.customGrad((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [xIn, w, r, b] = args as [
      tf.Tensor3D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor1D?,
    ];
    if (hasNativeKernels()) {
      return nativeRecurrence(save, xIn, w, r, b, act, {
        returnSequences,
        returnCarry,
      });
    }
    const fold = gateFold(act, units);
    const wF = tf.mul(w, fold.scale);
    const rF = tf.mul(r, fold.scale);
    let bF: tf.Tensor1D | undefined = b ? tf.mul(b, fold.scale) : undefined;
    if (fold.shift) bF = bF ? tf.add(bF, fold.shift) : fold.shift;
    // Input projection of all steps: one [B·T, F] × [F, 4U] matmul.
    const projected = tf.fused.matMul({
      a: tf.reshape(xIn, [batch * steps, features]),
      b: wF,
      bias: bF,
    });
    const perStep = tf.unstack(
      tf.reshape(projected, [batch, steps, 4 * units]),
      1,
    ) as tf.Tensor[];
    const keeps: tf.Tensor[] = [];
    const cs: tf.Tensor[] = [];
    const hs: tf.Tensor[] = [];
    const two = tf.scalar(2);
    const one = tf.scalar(1);
    for (let t = 0; t < steps; t++) {
      const z = t === 0
        ? perStep[0]
        : step.add(step.matMul(hs[t - 1], rF), perStep[t]);
      const { i, f, g, o, keep } = stepGates(act, z, units, two, one);
      const c = t === 0
        ? step.mul(i, g)
        : step.add(step.mul(f, cs[t - 1]), step.mul(i, g));
      hs.push(step.mul(o, step.tanh(c)));
      cs.push(c);
      keeps.push(keep);
    }
    save([xIn, w, r, tf.stack(keeps), tf.stack(cs), tf.stack(hs)]);
    const last = hs[steps - 1];
    let value: tf.Tensor = returnSequences ? tf.stack(hs, 1) : last;
    if (returnCarry) {
      const out3 = returnSequences ? value : tf.expandDims(last, 1);
      value = tf.concat([out3, tf.expandDims(cs[steps - 1], 1)], 1);
    }

    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xs, w0, r0, keepAll, cAll, hAll] = saved as [
        tf.Tensor3D,
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor3D,
        tf.Tensor3D,
        tf.Tensor3D,
      ];
      const foldB = gateFold(act, units);
      const { a, d } = gateDerivatives(act, keepAll, foldB, units);
      const [gi, gf, gg, go] = tf.split(a, 4, 2);
      const zeroState = tf.zeros([1, batch, units]);
      const previous = (all: tf.Tensor) =>
        steps > 1
          ? tf.concat([
            zeroState,
            tf.slice(all, [0, 0, 0], [steps - 1, batch, units]),
          ])
          : zeroState;
      const tc = tanhViaSigmoid(cAll);
      // Per step: dz = [dc, dc, dc, dh] ⊙ q4 with q4 = D ⊙ [c̃, c_prev, i,
      // tanh c]; dc = dh ⊙ qc + dc_next with qc = o ⊙ (1 − tanh² c), and
      // dc_next = dc ⊙ f.
      const q4 = tf.unstack(
        tf.mul(d, tf.concat([gg, previous(cAll), gi, tc], 2)),
      );
      const qc = tf.unstack(tf.mul(go, tf.sub(1, tf.square(tc))));
      const forget = tf.unstack(gf);
      const rT = tf.transpose(r0);

      let dyH = dy;
      let dcNext: tf.Tensor | null = null;
      if (returnCarry) {
        const outSteps = returnSequences ? steps : 1;
        dyH = tf.slice(dy, [0, 0, 0], [batch, outSteps, units]);
        dcNext = tf.reshape(tf.slice(dy, [0, outSteps, 0], [batch, 1, units]), [
          batch,
          units,
        ]);
        if (!returnSequences) dyH = tf.reshape(dyH, [batch, units]);
      }
      const dyAt = returnSequences ? tf.unstack(dyH, 1) as tf.Tensor[] : null;
      let dhNext: tf.Tensor | null = null;
      const dz: tf.Tensor[] = new Array(steps);
      for (let t = steps - 1; t >= 0; t--) {
        const dOut = dyAt ? dyAt[t] : t === steps - 1 ? dyH : null;
        const dh = dOut && dhNext
          ? step.add(dOut, dhNext)
          : (dOut ?? dhNext) as tf.Tensor;
        let dc = step.mul(dh, qc[t]);
        if (dcNext) dc = step.add(dc, dcNext);
        dz[t] = step.mul(step.concat([dc, dc, dc, dh]), q4[t]);
        if (t > 0) {
          dcNext = step.mul(dc, forget[t]);
          dhNext = step.matMul(dz[t], rT);
        }
      }
      // Stacked gate gradients, batch-major rows (b, t) like reshape(x).
      const dzAll = tf.reshape(tf.stack(dz, 1), [batch * steps, 4 * units]);
      const dx = tf.reshape(tf.matMul(dzAll, tf.transpose(w0)), [
        batch,
        steps,
        features,
      ]);
      const dw = tf.matMul(
        tf.transpose(tf.reshape(xs, [batch * steps, features])),
        dzAll,
      );
      const hPrev = previous(hAll);
      // [T, B, U] → [U, B, T] → [U, B·T]: columns in the (b, t) order of dzAll.
      const hPrevT = tf.reshape(tf.transpose(hPrev, [2, 1, 0]), [
        units,
        batch * steps,
      ]);
      const dr = tf.matMul(hPrevT, dzAll);
      const grads: tf.Tensor[] = [dx, dw, dr];
      if (args.length === 4) {
        // Column sums as a matmul (the wasm Sum over axis 0 transposes first).
        const ones = tf.ones([1, batch * steps]);
        grads.push(tf.reshape(tf.matMul(ones, dzAll), [4 * units]));
      }
      return grads;
    };
    return { value, gradFunc };
  });
  const inputs: tf.Tensor[] = bias
    ? [x, kernel, recurrentKernel, bias]
    : [x, kernel, recurrentKernel];
  return op(...inputs);
}
