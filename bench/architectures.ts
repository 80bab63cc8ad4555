/**
 * `deno task bench architectures` — chooses the default architecture by
 * measurement: every candidate is trained with k-fold leave-speakers-out
 * cross-validation on the real clips (default: the shared RAVDESS actors)
 * and scored by its mean test UAR over folds. Prints one line per candidate,
 * `arch_bench name=<n> uar_mean=<m> uar_std=<s> acc_mean=<a> params=<p> seconds=<t>`,
 * then the winner.
 *
 * @module
 */
import * as path from "node:path";
import {
  createCommand,
  parseList,
  parsePositiveInt,
} from "../lib/cli/common.ts";
import { summarizeFolds } from "../lib/evaluate/mod.ts";
import { buildModel } from "../lib/model/cnn_lstm.ts";
import {
  DEFAULT_MODEL_CONFIG,
  mergeModelConfig,
  type ModelConfig,
} from "../lib/model/config.ts";
import { DEFAULT_FEATURE_CONFIG, featureDims } from "../lib/features/mod.ts";
import { SHARED_RAVDESS_DIR } from "../lib/paths.ts";
import { initBackend } from "../lib/tfjs/mod.ts";
import { trainRun } from "../lib/train/run.ts";

/** The candidates, by name. */
export const CANDIDATES: Record<string, ModelConfig> = {
  "conv1d-lstm-last": DEFAULT_MODEL_CONFIG,
  "conv1d-lstm-mean": mergeModelConfig(DEFAULT_MODEL_CONFIG, {
    pooling: "mean",
  }),
  "conv1d-lstm-attention": mergeModelConfig(DEFAULT_MODEL_CONFIG, {
    pooling: "attention",
  }),
  "conv1d-bilstm64-attention": mergeModelConfig(DEFAULT_MODEL_CONFIG, {
    pooling: "attention",
    rnn: { units: 64, bidirectional: true },
  }),
  "conv2d-lstm-mean": mergeModelConfig(DEFAULT_MODEL_CONFIG, {
    conv: { kind: "2d", filters: [16, 32], kernelSize: 3, poolSize: 2 },
    pooling: "mean",
  }),
};

/** Runs the benchmark (see the module documentation). */
export async function run(args: string[]): Promise<void> {
  const program = createCommand(
    "bench architectures",
    "Cross-validated UAR per candidate architecture",
  )
    .option("--dir <dir>", "corpus folder", SHARED_RAVDESS_DIR)
    .option("--folds <k>", "leave-speakers-out folds", parsePositiveInt, 4)
    .option("--epochs <n>", "maximum epochs per fold", parsePositiveInt, 25)
    .option(
      "--only <names>",
      `candidates (default all: ${Object.keys(CANDIDATES).join(", ")})`,
      parseList,
    )
    .option("--seed <n>", "seed", parsePositiveInt, 1)
    .option(
      "--out <dir>",
      "where the fold models go",
      path.join(Deno.makeTempDirSync(), "arch"),
    );
  program.parse(args, { from: "user" });
  const o = program.opts<
    {
      dir: string;
      folds: number;
      epochs: number;
      only?: string[];
      seed: number;
      out: string;
    }
  >();
  await initBackend();
  const names = o.only ?? Object.keys(CANDIDATES);
  const results: { name: string; uar: number }[] = [];
  for (const name of names) {
    const config = CANDIDATES[name];
    if (!config) throw new Error(`unknown candidate "${name}"`);
    const params = buildModel(
      config,
      {
        frames: DEFAULT_FEATURE_CONFIG.frames,
        dims: featureDims(DEFAULT_FEATURE_CONFIG),
      },
      8,
    ).countParams();
    const started = performance.now();
    const result = await trainRun({
      data: [o.dir],
      out: path.join(o.out, name),
      modelConfig: config,
      folds: o.folds,
      trainConfig: { epochs: o.epochs, seed: o.seed },
      progress: "silent",
      log: () => {},
    });
    const summary = summarizeFolds(
      result.models.map((m, i) => ({ name: `fold-${i + 1}`, metrics: m.test })),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `arch_bench name=${name} uar_mean=${
        summary.stats.uar.mean.toFixed(4)
      } uar_std=${summary.stats.uar.std.toFixed(4)} acc_mean=${
        summary.stats.accuracy.mean.toFixed(4)
      } params=${params} seconds=${seconds.toFixed(0)}`,
    );
    results.push({ name, uar: summary.stats.uar.mean });
  }
  const best = results.reduce((a, b) => (b.uar > a.uar ? b : a));
  console.log(`arch_bench best=${best.name} uar_mean=${best.uar.toFixed(4)}`);
}
