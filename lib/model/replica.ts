/**
 * A replica of a model in another thread: its topology as plain JSON (what
 * `postMessage` can carry) and whether it trains with the fused layers, and
 * the model rebuilt from that in the receiving thread — the same layers in
 * the same order, so weights and gradients line up by index. Initialisers
 * are replaced by zeros: a replica's weights are always set from the
 * original's.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { FusedBatchNormalization } from "./batch_norm.ts";
import { type ClassEntry, classNameMap } from "./layer_classes.ts";
import { FusedLSTM, withFusedLstm } from "./lstm.ts";

/** What a thread needs to rebuild a model (structured-cloneable). */
export interface ReplicaSpec {
  /** `model.toJSON()` topology, initialisers zeroed. */
  topology: tf.io.ModelJSON["modelTopology"];
  /** True when the original trains with `FusedLSTM` / `FusedBatchNormalization`. */
  fused: boolean;
}

/** A copy of a Keras-style topology with every `*_initializer` set to zeros. */
export function withZeroInitializers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withZeroInitializers);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k.endsWith("_initializer") && v !== null
        ? { class_name: "Zeros", config: {} }
        : withZeroInitializers(v),
    ]),
  );
}

/** True when any layer of `model` is a fused one (also inside `Bidirectional`). */
function usesFusedLayers(model: tf.LayersModel): boolean {
  return model.layers.some((l) => {
    const inner = (l as unknown as { forwardLayer?: unknown }).forwardLayer;
    return l instanceof FusedLSTM || l instanceof FusedBatchNormalization ||
      inner instanceof FusedLSTM;
  });
}

/** The {@linkcode ReplicaSpec} of `model`. */
export function replicaSpec(model: tf.LayersModel): ReplicaSpec {
  return {
    topology: withZeroInitializers(
      model.toJSON(null, false),
    ) as ReplicaSpec["topology"],
    fused: usesFusedLayers(model),
  };
}

/**
 * Runs `fn` while deserialisation creates fused layers for classes `LSTM`
 * and `BatchNormalization` (synchronously, like `withFusedLstm`).
 */
function withFusedLayers<T>(fn: () => T): T {
  const map = classNameMap();
  const stock = map["BatchNormalization"];
  map["BatchNormalization"] = [
    FusedBatchNormalization as unknown as ClassEntry[0],
    stock[1],
  ];
  try {
    return withFusedLstm(fn);
  } finally {
    map["BatchNormalization"] = stock;
  }
}

/**
 * Rebuilds the model `spec` describes (zero weights; set them from the
 * original's). `modelFromJSON` deserialises synchronously when given no
 * weights manifest, so the class swap covers it.
 */
export async function buildReplica(spec: ReplicaSpec): Promise<tf.LayersModel> {
  const load = () => tf.models.modelFromJSON({ modelTopology: spec.topology });
  return await (spec.fused ? withFusedLayers(load) : load());
}
