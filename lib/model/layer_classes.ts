/**
 * TF.js's own layer classes, looked up in its serialisation registry, so a
 * fused layer can subclass the stock one (and serialise under its name)
 * without importing tfjs-layers internals.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** A class and its `fromConfig`, as the registry stores them. */
export type ClassEntry = [
  tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
  tf.serialization.FromConfigMethod<tf.serialization.Serializable>,
];

/** The registry mapping class names to their entries (mutable). */
export function classNameMap(): Record<string, ClassEntry> {
  return tf.serialization.SerializationMap.getMap().classNameMap as Record<
    string,
    ClassEntry
  >;
}

/**
 * The stock layer class registered as `name` (e.g. `LSTM`).
 *
 * @throws Error when TF.js has no such class.
 */
export function stockLayerClass<T>(name: string): T {
  const entry = classNameMap()[name];
  if (!entry) {
    throw new Error(
      `TF.js has no registered ${name} layer class (tfjs-layers missing?)`,
    );
  }
  return entry[0] as unknown as T;
}
