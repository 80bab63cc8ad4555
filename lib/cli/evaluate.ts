/**
 * `deno task evaluate` — scores a trained model (or a cross-validation run of
 * `fold-<i>/` models) on corpus folders, cross-corpus when the label sets
 * differ, warning loudly when the clips include speakers the model was
 * trained on; or, with `--audit`, trains the same config on a random and a
 * speaker split and prints the two side by side (the leakage audit).
 *
 * Reports go to stdout (text, or `--json`); progress, mapping notes and
 * warnings to stderr.
 *
 * @module
 */
import * as path from "node:path";
import { parseMergeSpecs } from "../corpora/mod.ts";
import {
  type ClassificationMetrics,
  classificationReport,
  toJson,
} from "../evaluate/metrics.ts";
import {
  crossValidationToJson,
  formatConfusion,
  formatCrossValidation,
  summarizeFolds,
} from "../evaluate/crossval.ts";
import { MODELS_DIR } from "../paths.ts";
import { evaluateModelOn } from "../predict/mod.ts";
import {
  defaultRunName,
  findModelDir,
  foldTestMetrics,
  type ModelRun,
  resolveModelRun,
  runDirOf,
} from "../run/mod.ts";
import { auditToJson, formatAudit, leakageAudit } from "../train/audit.ts";
import { trainRun } from "../train/run.ts";
import {
  createCommand,
  parseNonNegativeInt,
  parsePositiveInt,
  runCli,
} from "./common.ts";

const err = (s: string) => console.error(s);

/** Options of the evaluate command, as commander parses them. */
interface EvaluateFlags {
  model?: string;
  data?: string[];
  json?: boolean;
  merge?: string[];
  audit?: boolean;
  epochs?: number;
  seed?: number;
  out?: string;
  workers: number;
}

function metricsText(m: ClassificationMetrics): string {
  return classificationReport(m, { digits: 3 }) +
    "\nconfusion (rows: true, columns: predicted)\n" +
    formatConfusion(m.labels, m.confusion);
}

async function runEvaluate(run: ModelRun, flags: EvaluateFlags): Promise<void> {
  const merge = flags.merge ? parseMergeSpecs(flags.merge) : undefined;
  const data = flags.data ?? [];
  if (!run.folds || (run.ensemble && data.length > 0)) {
    if (data.length === 0) {
      throw new Error(
        "--data <dir...> is required: the corpus folders to evaluate on",
      );
    }
    // A model directory, or an ensemble used as one model.
    const result = await evaluateModelOn(run.dir, data, { merge, log: err });
    console.log(
      flags.json
        ? JSON.stringify(toJson(result.metrics))
        : metricsText(result.metrics),
    );
    return;
  }
  // Cross-validation run: each fold's held-out result (from its card), or
  // each fold model evaluated on --data.
  const folds: { name: string; metrics: ClassificationMetrics }[] = [];
  if (data.length === 0) {
    err(
      `${run.dir}: ${run.models.length} folds, test metrics on each fold's held-out speakers (from card.json)`,
    );
    foldTestMetrics(run).forEach((metrics, i) =>
      folds.push({
        name: `${path.basename(run.models[i].dir)} (${
          run.models[i].card.split.speakers.test.join(",")
        })`,
        metrics,
      })
    );
  } else {
    for (const { dir } of run.models) {
      err(`\n${path.basename(dir)}:`);
      const result = await evaluateModelOn(dir, data, { merge, log: err });
      folds.push({ name: path.basename(dir), metrics: result.metrics });
    }
  }
  const summary = summarizeFolds(folds);
  console.log(
    flags.json
      ? JSON.stringify(crossValidationToJson(summary))
      : formatCrossValidation(summary),
  );
}

async function runAudit(flags: EvaluateFlags): Promise<void> {
  if (flags.model) {
    throw new Error("--audit trains its own models; drop --model");
  }
  if (flags.merge) {
    throw new Error("--audit takes the data as is; drop --merge");
  }
  const out = path.resolve(
    flags.out ??
      path.join(
        MODELS_DIR,
        `audit-${defaultRunName()}`,
      ),
  );
  const trainConfig = {
    ...(flags.epochs !== undefined ? { epochs: flags.epochs } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
  };
  const result = await leakageAudit({
    train: trainRun,
    out,
    run: { data: flags.data, trainConfig, workers: flags.workers },
  });
  console.log(
    flags.json ? JSON.stringify(auditToJson(result)) : formatAudit(result),
  );
}

/** Builds the `evaluate` command. */
export function evaluateCommand() {
  return createCommand(
    "evaluate",
    "Score a trained model on corpus folders (cross-corpus when the labels differ), or run the leakage audit",
  )
    .option(
      "--model <dir>",
      "model directory or cross-validation run (default: the newest model's run)",
    )
    .option("--data <dir...>", "corpus folders or CSV manifests to evaluate on")
    .option(
      "--json",
      "print metrics as JSON ({accuracy, uar, macro_f1, weighted_f1, per_class, confusion})",
    )
    .option(
      "--merge <specs...>",
      "merge labels on both sides before comparing, e.g. calm=neutral",
    )
    .option(
      "--audit",
      "leakage audit: train the same config on a random and a speaker split, compare",
    )
    .option("--epochs <n>", "audit: maximum epochs per run", parsePositiveInt)
    .option("--seed <n>", "audit: seed of both runs", parseNonNegativeInt)
    .option(
      "--out <dir>",
      "audit: parent folder of random/ and speaker/ models",
    )
    .option(
      "--workers <n>",
      "audit: feature-extraction workers",
      parsePositiveInt,
      2,
    )
    .action(async (flags: EvaluateFlags) => {
      if (flags.audit) return await runAudit(flags);
      for (const f of ["epochs", "seed", "out"] as const) {
        if (flags[f] !== undefined) {
          throw new Error(`--${f} only applies to --audit`);
        }
      }
      let dir = flags.model;
      if (dir === undefined) {
        const found = findModelDir();
        if (found.source === "pretrained") {
          console.error(
            "no trained model under models/: evaluating the shipped real-speech model",
          );
        }
        dir = runDirOf(found.dir);
      }
      await runEvaluate(resolveModelRun(dir), flags);
    });
}

if (import.meta.main) await runCli(evaluateCommand(), Deno.args);
