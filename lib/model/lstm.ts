/**
 * `FusedLSTM`: a drop-in replacement of `tf.layers.lstm` whose recurrence runs
 * as one fused op with a hand-written backward pass ({@linkcode lstmSequence}),
 * several times faster to train on the wasm backend.
 *
 * It IS the stock layer class with a faster `call`: it subclasses TF.js's
 * `LSTM`, builds the stock weights (`kernel [F, 4U]`, `recurrent_kernel
 * [U, 4U]`, `bias [4U]`, gate order i, f, c, o, the stock initialisers,
 * `unitForgetBias`), and serialises as class `LSTM` with the stock config, so a
 * saved model loads with plain `tf.loadLayersModel` and no project code. The
 * class is never registered under the name `LSTM` (the stock class stays the
 * one stock TF.js deserialises).
 *
 * Fused path: no mask, no initial state, not stateful, `dropout` and
 * `recurrentDropout` 0, `activation` `tanh` and `recurrentActivation`
 * `sigmoid` or `hardSigmoid` (the TF.js default), on a backend with the
 * `LstmSequence` kernels (wasm). Anything else (masking included; our models
 * use fixed-length inputs) runs the stock implementation unchanged.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  hasLstmKernels,
  lstmSequence,
  RECURRENT_ACTIVATIONS,
  type RecurrentActivation,
} from "../tfjs/lstm_op.ts";
import {
  type ClassEntry,
  classNameMap,
  stockLayerClass,
} from "./layer_classes.ts";

/** Arguments of the stock `tf.layers.lstm` (and of {@linkcode FusedLSTM}). */
export type LstmLayerArgs = Parameters<typeof tf.layers.lstm>[0];

/**
 * Arguments of {@linkcode fusedBidirectional}: those of
 * `tf.layers.bidirectional` (`mergeMode`, `name`, `inputShape`, …), with the
 * arguments of the LSTM run in each direction as `layer`.
 */
export type FusedBidirectionalArgs =
  & Omit<Parameters<typeof tf.layers.bidirectional>[0], "layer">
  & { layer: LstmLayerArgs };

/** What the fused `call` reads from the stock `LSTMCell`. */
interface LstmCellView {
  units: number;
  activation: { getClassName(): string };
  recurrentActivation: { getClassName(): string };
  dropout: number;
  recurrentDropout: number;
  kernel: tf.LayerVariable;
  recurrentKernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
}

type StockLstmClass = (new (args: LstmLayerArgs) => tf.RNN) & {
  className: string;
  fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T;
};

const StockLSTM = stockLayerClass<StockLstmClass>("LSTM");

/**
 * The LSTM layer with the fused recurrence. Construct it with the arguments
 * of `tf.layers.lstm` (or use {@linkcode fusedLstm}); its class name,
 * config and weights are the stock layer's.
 */
export class FusedLSTM extends StockLSTM {
  /** Same arguments as `tf.layers.lstm`. */
  constructor(args: LstmLayerArgs) {
    super(args);
  }

  /** The recurrent activation when the fused path applies, else null. */
  private fusedActivation(
    kwargs: Record<string, unknown>,
  ): RecurrentActivation | null {
    const cell = this.cell as unknown as LstmCellView;
    const recurrent = cell.recurrentActivation
      .getClassName() as RecurrentActivation;
    const fusable = kwargs["mask"] == null && kwargs["initialState"] == null &&
      !this.stateful && cell.dropout === 0 && cell.recurrentDropout === 0 &&
      cell.activation.getClassName() === "tanh" &&
      RECURRENT_ACTIVATIONS.includes(recurrent) && hasLstmKernels();
    return fusable ? recurrent : null;
  }

  /** Runs the fused recurrence, or the stock one where it does not apply. */
  override call(
    inputs: tf.Tensor | tf.Tensor[],
    kwargs: Record<string, unknown>,
  ): tf.Tensor | tf.Tensor[] {
    const args = kwargs ?? {};
    const activation = this.fusedActivation(args);
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (activation === null || list.length !== 1) {
      return super.call(inputs, args);
    }
    return tf.tidy(() => {
      const cell = this.cell as unknown as LstmCellView;
      let x = list[0] as tf.Tensor3D;
      if (this.goBackwards) x = tf.reverse(x, 1);
      const packed = lstmSequence(
        x,
        cell.kernel.read() as tf.Tensor2D,
        cell.recurrentKernel.read() as tf.Tensor2D,
        cell.bias ? cell.bias.read() as tf.Tensor1D : null,
        {
          recurrentActivation: activation,
          returnSequences: this.returnSequences,
          returnCarry: this.returnState,
        },
      );
      if (!this.returnState) return packed;
      const [batch, rows, units] = packed.shape;
      const row = (i: number) =>
        tf.reshape(tf.slice(packed, [0, i, 0], [batch, 1, units]), [
          batch,
          units,
        ]);
      const h = row(rows - 2);
      const c = row(rows - 1);
      const output = this.returnSequences
        ? tf.slice(packed, [0, 0, 0], [batch, rows - 1, units])
        : h;
      return [output, h, c];
    });
  }
}

/** Creates a {@linkcode FusedLSTM} (the fused twin of `tf.layers.lstm`). */
export function fusedLstm(args: LstmLayerArgs): FusedLSTM {
  return new FusedLSTM(args);
}

/**
 * Runs `fn` while deserialisation of class `LSTM` creates {@linkcode FusedLSTM}
 * (synchronously; the stock class is restored before returning). Layers that
 * clone an inner layer through its config, like `tf.layers.bidirectional`,
 * then clone into fused layers.
 */
export function withFusedLstm<T>(fn: () => T): T {
  const map = classNameMap();
  const stock = map["LSTM"];
  map["LSTM"] = [
    FusedLSTM as unknown as ClassEntry[0],
    StockLSTM.fromConfig as unknown as ClassEntry[1],
  ];
  try {
    return fn();
  } finally {
    map["LSTM"] = stock;
  }
}

/**
 * A stock `tf.layers.bidirectional` around two {@linkcode FusedLSTM}s (forward
 * and `goBackwards`): it computes and serialises exactly as
 * `tf.layers.bidirectional({ layer: tf.layers.lstm(args.layer), … })`.
 */
export function fusedBidirectional(
  args: FusedBidirectionalArgs,
): tf.layers.Layer {
  return withFusedLstm(() =>
    tf.layers.bidirectional({ ...args, layer: new FusedLSTM(args.layer) })
  );
}
