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
import { readRecipeFile, type TrainConfig } from "../model/recipe.ts";
import { TrainingInterrupted, trainRun } from "../train/run.ts";
import {
  createCommand,
  parseList,
  parseNonNegativeInt,
  parsePositiveInt,
  parsePositiveNumber,
  runCli,
} from "./common.ts";

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT). */
const EXIT_INTERRUPTED = 130;

/**
 * Runs `work` with Ctrl-C wired to an AbortSignal: the first Ctrl-C aborts
 * (training stops within one batch and keeps its best model), a second one
 * quits at once (every file is written atomically, so nothing is torn).
 */
async function withCtrlC<T>(work: (signal: AbortSignal) => Promise<T>) {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) {
      console.error("\nsecond Ctrl-C: quitting now");
      Deno.exit(EXIT_INTERRUPTED);
    }
    console.error(
      "\ninterrupted: finishing with the best model so far (Ctrl-C again to quit at once)",
    );
    controller.abort();
  };
  Deno.addSignalListener("SIGINT", onSigint);
  try {
    return await work(controller.signal);
  } catch (err) {
    if (!(err instanceof TrainingInterrupted)) throw err;
    console.error(`interrupted: ${err.message}`);
    Deno.exit(EXIT_INTERRUPTED);
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
  }
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
      'recipe JSON: any of the sections "features", "model", "train", "augment" (validated; unknown keys are errors)',
    )
    .option("--epochs <n>", "maximum epochs", parsePositiveInt)
    .option("--batch-size <n>", "examples per step", parsePositiveInt)
    .option(
      "--learning-rate <lr>",
      "initial Adam learning rate",
      parsePositiveNumber,
    )
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
      "--refit",
      "with --folds: then train one more model on every speaker into <out>/refit (its card carries the folds' CV figures)",
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
    .option(
      "--split-seed <n>",
      "seed of the split / fold groups (default: --seed)",
      parseNonNegativeInt,
    )
    .option("--workers <n>", "feature-extraction workers", parsePositiveInt, 2)
    .option(
      "--parallel <n>",
      "--folds: folds trained at once, one per worker thread (default: one per core)",
      parsePositiveInt,
    )
    .option(
      "--train-workers <n>",
      "worker threads sharing each batch's gradients (default: one per core, at most batch size / 8; 1 when folds train in parallel)",
      parsePositiveInt,
    )
    .option(
      "--stream",
      "read training batches from disk instead of memory (default: when the features would not fit in a quarter of RAM)",
    )
    .option("--out <dir>", "model directory (default models/<timestamp>)")
    .option("--resume", "continue the run in --out from its last checkpoint")
    .option("--force", "replace a finished model already in --out")
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
      if (opts.resume && opts.force) {
        throw new Error(
          "--resume continues a run, --force replaces it: pick one",
        );
      }
      const recipe = opts.config ? readRecipeFile(opts.config) : undefined;
      const train: Partial<TrainConfig> = {};
      if (opts.epochs !== undefined) train.epochs = opts.epochs;
      if (opts.batchSize !== undefined) train.batchSize = opts.batchSize;
      if (opts.learningRate !== undefined) {
        train.learningRate = opts.learningRate;
      }
      if (opts.patience !== undefined) train.patience = opts.patience;
      if (opts.seed !== undefined) train.seed = opts.seed;
      const result = await withCtrlC((signal) =>
        trainRun({
          data: opts.data,
          out: opts.out,
          recipe,
          trainConfig: train,
          split: opts.split,
          folds: opts.folds,
          refit: opts.refit,
          splitSeed: opts.splitSeed,
          testSpeakers: opts.testSpeakers,
          labelOptions: {
            ...(opts.merge ? { merge: parseMergeSpecs(opts.merge) } : {}),
            ...(opts.select ? { select: parseSelect(opts.select) } : {}),
          },
          workers: opts.workers,
          parallel: opts.parallel,
          trainWorkers: opts.trainWorkers,
          ...(opts.stream ? { stream: true } : {}),
          resume: opts.resume,
          force: opts.force,
          layers: opts.layers,
          signal,
        })
      );
      const t = result.test;
      console.log(`model=${result.dir}`);
      if (result.refit) console.log(`refit=${result.refit.dir}`);
      console.log(
        `test accuracy=${t.accuracy.toFixed(4)} uar=${
          t.uar.toFixed(4)
        } macro_f1=${t.macroF1.toFixed(4)}`,
      );
      if (result.interrupted) {
        console.error(
          `interrupted: ${result.models.length} model(s) kept their best epoch; continue with --resume --out ${result.dir}`,
        );
        Deno.exit(EXIT_INTERRUPTED);
      }
    });
}

if (import.meta.main) await runCli(trainCommand(), Deno.args);
