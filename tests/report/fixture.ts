/**
 * Test fixtures for evaluation and reports: a tiny synthetic corpus (3
 * actors × 15 clips, RAVDESS layout) and a tiny model directory made the way
 * training makes one (untrained seeded weights, a complete card naming the
 * corpus and a speaker split, a history.json), so the CLIs and the report
 * run their real paths in seconds.
 *
 * @module
 */
import * as path from "node:path";
import { encodeWav, loadAudio } from "../../lib/audio/mod.ts";
import { generateSyntheticCorpus, scanCorpus } from "../../lib/corpora/mod.ts";
import {
  DEFAULT_FEATURE_CONFIG,
  type FeatureConfig,
} from "../../lib/features/mod.ts";
import { metricsFromConfusion, toJson } from "../../lib/evaluate/mod.ts";
import { type ModelCard, writeCard, writeHistory } from "../../lib/run/mod.ts";
import type { ModelConfig } from "../../lib/model/config.ts";
import { writeUntrainedModel } from "../../lib/predict/mod.ts";
import { randomSplit } from "../../lib/train/split.ts";

/** A small, fast feature config (13 MFCC, no deltas, 300 frames = 3 s). */
export const TINY_FEATURES: FeatureConfig = {
  ...DEFAULT_FEATURE_CONFIG,
  nMfcc: 13,
  deltaOrder: 0,
};

/** A small, fast architecture. */
export const TINY_MODEL: ModelConfig = {
  conv: {
    kind: "1d",
    filters: [8],
    kernelSize: 3,
    poolSize: 2,
    dropout: 0,
    block: "plain",
    inputChannels: 1,
  },
  rnn: { units: 8, bidirectional: false },
  pooling: "last",
  dense: [8],
  dropout: 0,
};

/** Writes the tiny synthetic corpus (3 actors, 45 clips, 16 kHz) into `dir`. */
export async function tinyCorpus(dir: string): Promise<string> {
  await generateSyntheticCorpus(dir, {
    seed: 7,
    actors: 3,
    statements: 1,
    repetitions: 1,
    progress: false,
  });
  return dir;
}

/**
 * Writes a folder-per-label corpus (`<dir>/<emotion>/*.wav`) holding the
 * clips of `source` (a synthetic corpus) for `emotions`, `perEmotion` each.
 */
export async function folderCorpus(
  source: string,
  dir: string,
  emotions: Record<string, string>,
  perEmotion = 2,
): Promise<string> {
  for (const [code, emotion] of Object.entries(emotions)) {
    const files = [...Deno.readDirSync(path.join(source, "Actor_03"))]
      .map((e) => e.name)
      .filter((n) => n.split("-")[2] === code)
      .sort()
      .slice(0, perEmotion);
    Deno.mkdirSync(path.join(dir, emotion), { recursive: true });
    for (const [i, f] of files.entries()) {
      const audio = await loadAudio(path.join(source, "Actor_03", f));
      Deno.writeFileSync(
        path.join(dir, emotion, `${emotion}-${i + 1}.wav`),
        encodeWav(audio.samples, audio.sr),
      );
    }
  }
  return dir;
}

/** Options of {@linkcode tinyModel}. */
export interface TinyModelOptions {
  /** Corpus the card says the model was trained on. */
  corpus: string;
  /** `speaker` (train 01, validation 02, test 03) or `random` (leaky). */
  split?: "speaker" | "random";
  /** Seed of the weights (default 3). */
  seed?: number;
}

/**
 * Writes a tiny model directory into `dir`: seeded untrained weights, a card
 * recording `corpus` as its training data with a speaker (or random) split
 * and test metrics, and a three-epoch `history.json`.
 */
export async function tinyModel(
  dir: string,
  options: TinyModelOptions,
): Promise<ModelCard> {
  const base = await writeUntrainedModel(dir, {
    featureConfig: TINY_FEATURES,
    modelConfig: TINY_MODEL,
    seed: options.seed ?? 3,
  });
  const random = options.split === "random";
  const speakers = random
    ? {
      train: ["synthetic:01", "synthetic:02", "synthetic:03"],
      validation: ["synthetic:01", "synthetic:02", "synthetic:03"],
      test: ["synthetic:01", "synthetic:02", "synthetic:03"],
    }
    : {
      train: ["synthetic:01"],
      validation: ["synthetic:02"],
      test: ["synthetic:03"],
    };
  const labels = base.labels;
  const matrix = labels.map((_, i) =>
    labels.map((_, j) => (i === j ? 1 : 0) + (j === 0 ? 1 : 0))
  );
  // The test part as training takes it: the test speaker's clips, or the
  // seeded random split's test part.
  const items = (await scanCorpus([path.resolve(options.corpus)])).items;
  const test = random
    ? randomSplit(items, { seed: options.seed ?? 3 }).test
    : items.filter((i) => i.speaker === "synthetic:03");
  const card: ModelCard = {
    ...base,
    run: path.basename(path.resolve(dir)),
    seed: options.seed ?? 3,
    trainConfig: {
      ...base.trainConfig,
      epochs: 3,
      batchSize: 8,
      seed: options.seed ?? 3,
    },
    data: {
      dirs: [path.resolve(options.corpus)],
      corpora: { synthetic: 45 },
      manifestHash: "",
      synthetic: true,
      labelOptions: {},
    },
    split: {
      kind: random ? "random" : "speaker",
      leaky: random,
      description: random
        ? "random split (speaker-dependent, LEAKY: speakers shared across parts)"
        : "speaker-independent split: train 15 clips / 1 speakers, validation 15 clips / 1 speakers, test 15 clips / 1 speakers",
      speakers,
      counts: random
        ? { train: 29, validation: 7, test: 9 }
        : { train: 15, validation: 15, test: 15 },
      testClips: test.map(({ path, corpus, speaker, emotion }) => ({
        path,
        corpus,
        speaker,
        emotion,
      })),
    },
    training: { epochs: 3, bestEpoch: 2, stopReason: "epochs", seconds: 1.5 },
    metrics: {
      test: toJson(metricsFromConfusion(labels, matrix)),
    },
  };
  writeCard(dir, card);
  const history = [1, 2, 3].map((epoch) => ({
    epoch,
    loss: 2.1 - 0.2 * epoch,
    accuracy: 0.1 * epoch,
    valLoss: 2.2 - 0.1 * epoch,
    valAccuracy: 0.08 * epoch,
    valUar: 0.09 * epoch,
    learningRate: 1e-3,
    seconds: 0.5,
  }));
  writeHistory(dir, history);
  return card;
}
