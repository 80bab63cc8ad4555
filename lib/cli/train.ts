/**
 * `deno task train` — trains the CNN+LSTM and writes `models/<run>/`.
 * With no `--data` and no corpus under `data/`, it trains on the synthetic
 * demo corpus. Ends with two machine-readable lines on stdout:
 * `model=<dir>` and `test accuracy=<a> uar=<u> macro_f1=<f>`.
 *
 * @module
 */
import { Option } from "commander";
import { parseMergeSpecs, parseSelect } from "../corpora/mod.ts";
import { type FeatureConfig, resolveFeatureConfig } from "../features/mod.ts";
import { DEFAULT_MODEL_CONFIG, mergeModelConfig } from "../model/config.ts";
import type { TrainConfig } from "../train/loop.ts";
import { trainRun } from "../train/run.ts";
import {
  createCommand,
  parseList,
  parseNonNegativeInt,
  parseNumber,
  parsePositiveInt,
  runCli,
} from "./common.ts";

/** Shape of a `--config` JSON file: any subset of the three configs. */
interface ConfigFile {
  features?: Partial<FeatureConfig>;
  model?: Parameters<typeof mergeModelConfig>[1];
  train?: Partial<TrainConfig>;
}

function readConfigFile(file: string): ConfigFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Deno.readTextFileSync(file));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(
      `${file}: expected an object with "features", "model" and/or "train"`,
    );
  }
  const unknown = Object.keys(parsed).filter((k) =>
    !["features", "model", "train"].includes(k)
  );
  if (unknown.length > 0) {
    throw new Error(
      `${file}: unknown section(s) ${
        unknown.join(", ")
      } (expected features, model, train)`,
    );
  }
  const features = (parsed as ConfigFile).features;
  if (features !== undefined) {
    resolveFeatureConfig(features, `${file} features`);
  }
  return parsed as ConfigFile;
}

/** Builds the `train` command. */
export function trainCommand() {
  return createCommand("train", "Train the CNN+LSTM speech emotion model")
    .option(
      "--data <dir...>",
      "corpus folders or CSV manifests (default: corpora in data/, else the synthetic demo)",
    )
    .option(
      "--config <file.json>",
      'JSON with optional "features", "model", "train" sections',
    )
    .option("--epochs <n>", "maximum epochs", parsePositiveInt)
    .option("--batch-size <n>", "examples per step", parsePositiveInt)
    .option("--learning-rate <lr>", "initial Adam learning rate", parseNumber)
    .option(
      "--patience <n>",
      "early-stopping patience in epochs (validation UAR)",
      parsePositiveInt,
    )
    .addOption(
      new Option("--split <kind>", "speaker (independent) or random (leaky)")
        .choices(["speaker", "random"])
        .default("speaker"),
    )
    .option(
      "--folds <k>",
      "k-fold leave-speakers-out cross-validation",
      parsePositiveInt,
    )
    .option(
      "--test-speakers <list>",
      "speakers held out for test, e.g. 4 or 03,04",
      parseList,
    )
    .option("--merge <specs...>", "merge labels, e.g. calm=neutral")
    .option(
      "--select <emotions>",
      "keep only these emotions (comma-separated)",
      parseList,
    )
    .option(
      "--seed <n>",
      "seed for init, splits, shuffling, dropout",
      parseNonNegativeInt,
    )
    .option("--workers <n>", "feature-extraction workers", parsePositiveInt, 2)
    .option("--out <dir>", "model directory (default models/<timestamp>)")
    .option("--resume", "continue the run in --out from its last checkpoint")
    .addOption(
      new Option(
        "--layers <impl>",
        "LSTM and batch-norm layers: fused (fast) or stock TF.js layers (same maths)",
      )
        .choices(["fused", "stock"]).default("fused"),
    )
    .action(async (opts) => {
      if (opts.resume && !opts.out) {
        throw new Error("--resume needs --out <the run's directory>");
      }
      if (opts.folds && opts.split === "random") {
        throw new Error(
          "--folds is leave-speakers-out cross-validation; it cannot be combined with --split random",
        );
      }
      if (opts.folds && opts.testSpeakers) {
        throw new Error(
          "--folds chooses test speakers itself; drop --test-speakers",
        );
      }
      const file = opts.config ? readConfigFile(opts.config) : {};
      const train: Partial<TrainConfig> = { ...file.train };
      if (opts.epochs !== undefined) train.epochs = opts.epochs;
      if (opts.batchSize !== undefined) train.batchSize = opts.batchSize;
      if (opts.learningRate !== undefined) {
        train.learningRate = opts.learningRate;
      }
      if (opts.patience !== undefined) train.patience = opts.patience;
      if (opts.seed !== undefined) train.seed = opts.seed;
      const result = await trainRun({
        data: opts.data,
        out: opts.out,
        featureConfig: file.features,
        modelConfig: file.model
          ? mergeModelConfig(DEFAULT_MODEL_CONFIG, file.model)
          : undefined,
        trainConfig: train,
        split: opts.split,
        folds: opts.folds,
        testSpeakers: opts.testSpeakers,
        labelOptions: {
          ...(opts.merge ? { merge: parseMergeSpecs(opts.merge) } : {}),
          ...(opts.select ? { select: parseSelect(opts.select) } : {}),
        },
        workers: opts.workers,
        resume: opts.resume,
        layers: opts.layers,
      });
      const t = result.test;
      console.log(`model=${result.dir}`);
      console.log(
        `test accuracy=${t.accuracy.toFixed(4)} uar=${
          t.uar.toFixed(4)
        } macro_f1=${t.macroF1.toFixed(4)}`,
      );
    });
}

if (import.meta.main) await runCli(trainCommand(), Deno.args);
