/**
 * Opening a model — a model directory or an ensemble of them: every check
 * that each member is complete and self-consistent (card version and hash,
 * weights present, confined to the folder and finite, input and output
 * shapes agreeing with the card) before any audio is touched, then each
 * model loaded with its LSTM layers fused.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import * as path from "node:path";
import type { EvaluatedModel } from "../evaluate/mod.ts";
import { type FeatureConfig, featureDims } from "../features/mod.ts";
import { readModelArtifacts } from "../model/io.ts";
import { withFusedLstm } from "../model/lstm.ts";
import { withZeroInitializers } from "../model/replica.ts";
import { type ModelCard, readCard } from "./card.ts";
import {
  type EnsembleManifest,
  isEnsembleDir,
  readEnsemble,
} from "./ensemble.ts";

/** One model directory opened and checked. */
export interface OpenedMember {
  /** The directory (absolute). */
  dir: string;
  /** Its validated card. */
  card: ModelCard;
  /** The layers model, ready for `predict`. */
  model: tf.LayersModel;
}

/** A model opened by {@linkcode openModelDir}: one member, or an ensemble's. */
export interface OpenedModel {
  /** The directory given (absolute). */
  dir: string;
  /** The ensemble's manifest, or null for a single model directory. */
  ensemble: EnsembleManifest | null;
  /** The models whose mean probability is the prediction (one for a model directory). */
  members: OpenedMember[];
  /** Class labels in output order (shared by every member). */
  labels: string[];
  /** The feature config (shared by every member). */
  featureConfig: FeatureConfig;
  /** What evaluation needs to know: labels, training corpora, speakers seen. */
  facts: EvaluatedModel;
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
 * The facts evaluation needs of a model made of `cards`: for an ensemble,
 * every speaker any member trained or early-stopped on counts as seen.
 */
export function modelFacts(
  run: string,
  cards: readonly ModelCard[],
): EvaluatedModel {
  const union = (part: "train" | "validation") =>
    [...new Set(cards.flatMap((c) => c.split.speakers[part]))].sort();
  const corpora: Record<string, number> = {};
  for (const c of cards) {
    for (const [k, n] of Object.entries(c.data.corpora)) {
      corpora[k] = Math.max(corpora[k] ?? 0, n);
    }
  }
  const train = union("train");
  return {
    run,
    labels: cards[0].labels,
    data: { corpora, labelOptions: cards[0].data.labelOptions },
    split: {
      leaky: cards.some((c) => c.split.leaky),
      speakers: {
        train,
        validation: union("validation").filter((s) => !train.includes(s)),
      },
    },
  };
}

/**
 * Opens the model in `dir`: a model directory (see {@linkcode openMember}),
 * or an ensemble (`ensemble.json`, see `readEnsemble`) whose members are
 * each opened so. Errors name the directory (or file) and the reason.
 * Needs an initialised TF.js backend.
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
  const ensemble = isEnsembleDir(abs) ? readEnsemble(abs) : null;
  const dirs = ensemble ? ensemble.members.map((m) => m.dir) : [abs];
  const members: OpenedMember[] = [];
  try {
    for (const d of dirs) members.push(await openMember(d));
  } catch (err) {
    for (const m of members) m.model.dispose();
    throw err;
  }
  const cards = members.map((m) => m.card);
  return {
    dir: abs,
    ensemble: ensemble?.manifest ?? null,
    members,
    labels: cards[0].labels,
    featureConfig: cards[0].featureConfig,
    facts: modelFacts(ensemble?.manifest.run ?? cards[0].run, cards),
  };
}

/**
 * Opens one model directory: reads and validates `card.json` (see
 * `readCard`), reads `model.json` and its weights (see `readModelArtifacts`:
 * confined to the folder), refuses non-finite weights, and checks that the
 * model's input is `frames × dims` of the card's feature config and its
 * output has one unit per label.
 */
export async function openMember(abs: string): Promise<OpenedMember> {
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
