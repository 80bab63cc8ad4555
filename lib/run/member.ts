/**
 * A model member from its card and artifacts, checked — weights finite,
 * input and output shapes agreeing with the card — and loaded with its LSTM
 * layers fused; and the facts evaluation needs of a set of members. Pure (no
 * file access): `open.ts` reads the files under Deno, the `serve` page
 * fetches them in the browser.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { EvaluatedModel } from "../evaluate/mod.ts";
import type { EnsembleManifest } from "./ensemble.ts";
import { type FeatureConfig, featureDims } from "../features/config.ts";
import { withFusedLstm } from "../model/lstm.ts";
import { withZeroInitializers } from "../model/replica.ts";
import type { ModelCard } from "./card.ts";

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
 * The member `abs` (a name for errors: its directory, or a URL) made of its
 * validated `card` and `artifacts` (`model.json`'s topology and the weights):
 * refuses non-finite weights, loads the model with fused LSTM layers, and
 * checks that its input is `frames × dims` of the card's feature config and
 * its output has one unit per label. Needs an initialised TF.js backend.
 */
export async function memberFromArtifacts(
  abs: string,
  card: ModelCard,
  artifacts: tf.io.ModelArtifacts,
): Promise<OpenedMember> {
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
