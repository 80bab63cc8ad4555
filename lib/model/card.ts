/**
 * The model card (`card.json`) saved beside every model: everything needed to
 * use the model correctly (labels, the exact feature config, normalisation
 * statistics) and to know what it is (training config, seed, data, splits,
 * metrics, library versions).
 *
 * @module
 */
import * as path from "node:path";
import type { FeatureConfig } from "../features/config.ts";
import { validateFeatureConfig } from "../features/config.ts";
import { exists, writeFileAtomic } from "../paths.ts";
import type { ModelConfig } from "./config.ts";
import type { MetricsJson } from "../evaluate/metrics.ts";

/** File name of the card inside a model directory. */
export const CARD_JSON = "card.json";

/** Format version written by this code; older or newer cards are refused. */
export const CARD_VERSION = 1;

/** Metrics of one evaluated part, as saved in the card (the `--json` shape). */
export type CardMetrics = MetricsJson;

/** Everything `card.json` holds. */
export interface ModelCard {
  /** Always `ser-model-card`. */
  format: "ser-model-card";
  /** Card format version ({@linkcode CARD_VERSION}). */
  version: number;
  /** Run name (the model directory's name). */
  run: string;
  /** ISO time the model was saved. */
  createdAt: string;
  /** Class labels in output order. */
  labels: string[];
  /** The exact feature config used in training; prediction must use it. */
  featureConfig: FeatureConfig;
  /** Hash of `featureConfig` (see featureConfigHash). */
  featureConfigHash: string;
  /** Per-dimension statistics applied to features before the model. */
  normalization: { mean: number[]; std: number[] };
  /** Architecture. */
  modelConfig: ModelConfig;
  /** Training hyper-parameters (see TrainConfig). */
  trainConfig: Record<string, unknown>;
  /** Seed of the run. */
  seed: number;
  /** Where the data came from and what it held. */
  data: {
    /** Corpus folders scanned. */
    dirs: string[];
    /** Corpora found and their clip counts. */
    corpora: Record<string, number>;
    /** SHA-256 of the manifest (paths, labels, speakers) used for training. */
    manifestHash: string;
    /** True when the data is the synthetic demo corpus. */
    synthetic: boolean;
    /** Label merges / selection applied. */
    labelOptions: Record<string, unknown>;
  };
  /** How the data was split. */
  split: {
    /** `speaker` or `random`. */
    kind: string;
    /** True when speakers were shared across parts (random split). */
    leaky: boolean;
    /** Human-readable description. */
    description: string;
    /** Speakers of each part. */
    speakers: { train: string[]; validation: string[]; test: string[] };
    /** Clips per part. */
    counts: { train: number; validation: number; test: number };
    /** Cross-validation fold (1-based) when part of `--folds`. */
    fold?: number;
  };
  /** Training outcome. */
  training: {
    /** Epochs run. */
    epochs: number;
    /** Epoch whose weights were kept. */
    bestEpoch: number;
    /** Why training stopped. */
    stopReason: string;
    /** Wall time in seconds. */
    seconds: number;
  };
  /** Metrics per evaluated part. */
  metrics: { validation?: CardMetrics; test?: CardMetrics };
  /** Library and runtime versions. */
  versions: Record<string, string>;
}

/** Writes `card.json` into `dir` atomically. */
export function writeCard(dir: string, card: ModelCard): void {
  writeFileAtomic(
    path.join(dir, CARD_JSON),
    JSON.stringify(card, null, 2) + "\n",
  );
}

/**
 * Reads and checks `card.json` in `dir`. Throws an Error naming the file and
 * the reason when it is missing, malformed or from an incompatible version.
 */
export function readCard(dir: string): ModelCard {
  const file = path.join(dir, CARD_JSON);
  if (!exists(file)) {
    throw new Error(
      `${dir}: no ${CARD_JSON} (incomplete model directory, or not a model)`,
    );
  }
  let card: ModelCard;
  try {
    card = JSON.parse(Deno.readTextFileSync(file));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  if (card?.format !== "ser-model-card") {
    throw new Error(
      `${file}: not a model card (format is ${String(card?.format)})`,
    );
  }
  if (card.version !== CARD_VERSION) {
    throw new Error(
      `${file}: card version ${card.version} is incompatible with this toolkit (reads version ${CARD_VERSION}); retrain the model`,
    );
  }
  if (!Array.isArray(card.labels) || card.labels.length < 2) {
    throw new Error(`${file}: labels missing or fewer than 2`);
  }
  card.featureConfig = validateFeatureConfig(
    card.featureConfig,
    `${file} featureConfig`,
  );
  const dims = card.normalization?.mean?.length;
  if (!dims || card.normalization.std?.length !== dims) {
    throw new Error(
      `${file}: normalization statistics missing or inconsistent`,
    );
  }
  return card;
}
