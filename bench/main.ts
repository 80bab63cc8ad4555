/**
 * `deno task bench <name> [args…]` — runs one benchmark. Each benchmark is a
 * module `bench/<name>.ts` exporting `run(args: string[]): Promise<void>`,
 * which prints its figures as machine-readable lines.
 *
 * @module
 */
import { createCommand, runCli } from "../lib/cli/common.ts";

/** The benchmarks, by name, with a one-line description. */
const BENCHMARKS: Record<string, string> = {
  decode: "audio decoding speed: own WAV reader vs audio-decode",
  features:
    "decode + resample + MFCC, × real time, per flavour and worker count",
  train:
    "CNN+LSTM training samples/s: stock tfjs-layers, ours on 1 and all cores, PyTorch on 1 and all threads",
  predict: "end-to-end prediction latency for one 3 s clip",
  quality:
    "a recipe's cross-validated UAR on the 16 development actors, the classical baseline on the same folds, robustness",
  fetch: "data fetch on a RAVDESS-sized zip from loopback: MB/s, peak memory",
  scale:
    "training on synthetic corpora 1×, 4×, 16× the demo: samples/s and peak RSS, streamed and in memory",
  serve:
    "the serve page in headless Chromium: load → first prediction, page weight, per-window latency",
};

const program = createCommand("bench", "Run a benchmark")
  .argument("<name>", `one of: ${Object.keys(BENCHMARKS).join(", ")}`)
  .argument("[args...]", "arguments passed to the benchmark")
  .allowUnknownOption(true)
  .addHelpText(
    "after",
    "\nBenchmarks:\n" +
      Object.entries(BENCHMARKS).map(([k, v]) => `  ${k.padEnd(10)} ${v}`)
        .join("\n"),
  )
  .action(async (name: string, args: string[]) => {
    if (!(name in BENCHMARKS)) {
      throw new Error(
        `unknown benchmark "${name}" (choose from ${
          Object.keys(BENCHMARKS).join(", ")
        })`,
      );
    }
    const mod = await import(`./${name}.ts`) as {
      run(args: string[]): Promise<void>;
    };
    await mod.run(args);
  });

if (import.meta.main) await runCli(program, Deno.args);
