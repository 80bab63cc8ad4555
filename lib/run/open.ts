/**
 * Opening a model directory: every check that it is complete and
 * self-consistent (card version and hash, weights present, confined to the
 * folder and finite, input and output shapes agreeing with the card) before
 * any audio is touched, then the model loaded with its LSTM layers fused.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import * as path from "node:path";
import { featureDims } from "../features/mod.ts";
import { readModelArtifacts } from "../model/io.ts";
import { withFusedLstm } from "../model/lstm.ts";
import { type ModelCard, readCard } from "./card.ts";

/** A model directory opened and checked. */
export interface OpenedModel {
  /** The directory (absolute). */
  dir: string;
  /** Its validated card. */
  card: ModelCard;
  /** The layers model, ready for `predict`. */
  model: tf.LayersModel;
}

/** A copy of a Keras-style topology with every `*_initializer` set to zeros. */
function withZeroInitializers(value: unknown): unknown {
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

/**
 * Loads the model with its LSTM layers deserialised as `FusedLSTM` (the stock
 * layer with a fused recurrence: same weights, same outputs, less CPU).
 * `modelFromJSON` deserialises synchronously when given no weights manifest,
 * so the class swap of `withFusedLstm` covers it; the saved weights are set
 * right after, so the topology's initialisers are replaced by zeros first
 * (they would only be overwritten, and the orthogonal one is slow).
 */
async function loadFused(
  artifacts: tf.io.ModelArtifacts,
): Promise<tf.LayersModel> {
  const modelTopology = withZeroInitializers(
    artifacts.modelTopology,
  ) as tf.io.ModelJSON["modelTopology"];
  const model = await withFusedLstm(() =>
    tf.models.modelFromJSON({ modelTopology })
  );
  model.loadWeights(
    tf.io.decodeWeights(
      artifacts.weightData as ArrayBuffer,
      artifacts.weightSpecs ?? [],
    ),
  );
  return model;
}

function shapeText(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => d ?? "batch").join(", ")}]`;
}

/**
 * Opens the model directory `dir`: reads and validates `card.json` (see
 * `readCard`), reads `model.json` and its weights (see `readModelArtifacts`:
 * confined to the folder), refuses non-finite weights, and checks that the
 * model's input is `frames × dims` of the card's feature config and its
 * output has one unit per label. Errors name the directory (or file) and the
 * reason. Needs an initialised TF.js backend.
 */
export async function openModelDir(dir: string): Promise<OpenedModel> {
  const abs = path.resolve(dir);
  let stat: Deno.FileInfo;
  try {
    stat = Deno.statSync(abs);
  } catch {
    throw new Error(`${dir}: no such model directory`);
  }
  if (!stat.isDirectory) {
    throw new Error(`${dir}: not a directory (expected a model directory)`);
  }
  const card = readCard(abs);
  const artifacts = readModelArtifacts(abs);
  const { frames } = card.featureConfig;
  const dims = featureDims(card.featureConfig);
  const weights = new Float32Array(artifacts.weightData as ArrayBuffer);
  const bad = weights.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new Error(
      `${abs}: the weights hold non-finite values (${
        weights[bad]
      } at value ${bad}): the model diverged or the file is damaged; retrain it`,
    );
  }
  let model: tf.LayersModel;
  try {
    model = await loadFused(artifacts);
  } catch (err) {
    throw new Error(
      `${abs}: model.json does not load as a TF.js layers model (${
        (err as Error).message
      })`,
    );
  }
  const input = model.inputs[0].shape;
  const output = model.outputs[0].shape;
  const fail = (reason: string): never => {
    model.dispose();
    throw new Error(`${abs}: model and card disagree: ${reason}`);
  };
  if (
    model.inputs.length !== 1 || input.length !== 3 || input[1] !== frames ||
    input[2] !== dims
  ) {
    fail(
      `the model takes ${
        shapeText(input)
      } but the card's feature config gives ${
        shapeText([null, frames, dims])
      } (frames × dims)`,
    );
  }
  if (output.length !== 2 || output[1] !== card.labels.length) {
    fail(
      `the model outputs ${
        shapeText(output)
      } but the card lists ${card.labels.length} labels`,
    );
  }
  return { dir: abs, card, model };
}
