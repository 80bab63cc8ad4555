/**
 * Finding and opening a trained model directory for prediction: the newest
 * run under `models/` by default, and every check that a directory is complete
 * and self-consistent (card version, weights, input and output shapes agreeing
 * with the card) before any audio is touched.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import * as path from "node:path";
import { featureDims } from "../features/mod.ts";
import { CARD_JSON, type ModelCard, readCard } from "../model/card.ts";
import { readModelArtifacts } from "../model/io.ts";
import { withFusedLstm } from "../model/lstm.ts";
import { exists, MODELS_DIR } from "../paths.ts";

/** A model directory found under the models folder. */
export interface ModelDirEntry {
  /** The directory holding `card.json`. */
  dir: string;
  /** The card's `createdAt` (ISO time). */
  createdAt: string;
}

/** A model directory opened and checked. */
export interface OpenedModel {
  /** The directory (absolute). */
  dir: string;
  /** Its validated card. */
  card: ModelCard;
  /** The layers model, ready for `predict`. */
  model: tf.LayersModel;
}

function subdirs(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)]
      .filter((e) => e.isDirectory)
      .map((e) => path.join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

function createdAtOf(dir: string): string | null {
  const file = path.join(dir, CARD_JSON);
  if (!exists(file)) return null;
  try {
    const card = JSON.parse(Deno.readTextFileSync(file));
    return typeof card?.createdAt === "string" ? card.createdAt : null;
  } catch {
    return null;
  }
}

/**
 * Every model directory under `root` (default `models/`): `<root>/<run>/`
 * and `<root>/<run>/fold-<i>/` holding a `card.json` with a `createdAt`,
 * newest first. A `card.json` that is not JSON with a `createdAt` string is
 * not a candidate (opening such a directory explicitly reports why).
 */
export function listModelDirs(root: string = MODELS_DIR): ModelDirEntry[] {
  const found: ModelDirEntry[] = [];
  for (const run of subdirs(root)) {
    const candidates = [
      run,
      ...subdirs(run).filter((d) => /^fold-\d+$/.test(path.basename(d))),
    ];
    for (const dir of candidates) {
      const createdAt = createdAtOf(dir);
      if (createdAt !== null) found.push({ dir, createdAt });
    }
  }
  const time = (e: ModelDirEntry) => Date.parse(e.createdAt) || 0;
  return found.sort((a, b) => time(b) - time(a) || (a.dir < b.dir ? 1 : -1));
}

/**
 * The newest model directory under `root` (by the card's `createdAt`).
 * Throws an Error saying where it looked and how to train a model when there
 * is none.
 */
export function newestModelDir(root: string = MODELS_DIR): string {
  const [newest] = listModelDirs(root);
  if (!newest) {
    throw new Error(
      `no trained model found: looked for ${root}/<run>/${CARD_JSON} and ${root}/<run>/fold-<i>/${CARD_JSON}; ` +
        `train one with \`deno task train\` or pass a model directory (--model <dir>)`,
    );
  }
  return newest.dir;
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
 * Opens the model directory `dir`: reads and validates `card.json` (format,
 * version, labels, feature config, normalisation), reads `model.json` and its
 * weights, and checks that the model's input is `frames × dims` of the card's
 * feature config, its output has one unit per label, and the normalisation
 * statistics have one entry per feature dimension. Errors name the directory
 * (or file) and the reason. Needs an initialised TF.js backend.
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
  if (card.normalization.mean.length !== dims) {
    throw new Error(
      `${
        path.join(abs, CARD_JSON)
      }: normalization has ${card.normalization.mean.length} dims but the feature config gives ${dims}`,
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
