/**
 * `deno task bench scale [--factors 1,4,16] [--modes stream,memory]
 * [--epochs 2] [--train-workers N]` — training on synthetic corpora of 1×,
 * 4× and 16× the demo corpus's size (240 clips: 8 actors; 4× is 16 actors
 * with both repetitions, 16× 64 actors), each run in its own process so its
 * peak resident memory is its own: the default recipe (per-speaker
 * normalisation) for `--epochs` epochs, the training data streamed from
 * disk and/or held in memory.
 * Prints `scale_bench factor=<f> clips=<n> mode=<m> samples_per_s=<x>
 * peak_rss_mb=<y> …` per run (samples/s over the epochs after the first;
 * peak RSS of the whole process, feature extraction included) and, per
 * mode, the ratios of the largest corpus to the second largest
 * (`scale_bench flatness …`: 1.0 is flat).
 *
 * @module
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { generateSyntheticCorpus } from "../lib/corpora/mod.ts";
import { REPO_ROOT } from "../lib/paths.ts";
import { trainRun } from "../lib/train/run.ts";
import type { EpochRecord } from "../lib/run/mod.ts";

/**
 * Actors and repetitions making `factor` × the demo corpus (8 actors × 30
 * clips): 4·factor actors with both repetitions (60 clips each).
 */
function corpusShape(factor: number): { actors: number; repetitions: 1 | 2 } {
  if (factor === 1) return { actors: 8, repetitions: 1 };
  if (!Number.isInteger(factor) || factor < 2 || 4 * factor > 99) {
    throw new Error(`--factors: ${factor} is not an integer from 1 to 24`);
  }
  return { actors: 4 * factor, repetitions: 2 };
}

/** Peak resident set of this process (VmHWM), in MB. */
function peakRssMb(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  const kb = /VmHWM:\s+(\d+) kB/.exec(status);
  return kb ? Number(kb[1]) / 1024 : NaN;
}

/** The child: one training run, then its figures on stdout. */
async function child(values: Record<string, string | boolean | undefined>) {
  const out = Deno.makeTempDirSync({ prefix: "bench-scale-run-" });
  try {
    const result = await trainRun({
      data: [String(values.data)],
      out,
      trainConfig: { epochs: Number(values.epochs), patience: 99 },
      stream: values.mode === "stream",
      trainWorkers: Number(values["train-workers"]),
      progress: "silent",
      log: () => {},
    });
    const history: EpochRecord[] = JSON.parse(
      Deno.readTextFileSync(path.join(result.dir, "history.json")),
    );
    const rows = result.models[0].card.split.counts.train;
    const timed = history.length > 1 ? history.slice(1) : history;
    const seconds = timed.reduce((s, e) => s + e.seconds, 0);
    console.log(
      `scale_child train_rows=${rows} samples_per_s=${
        (rows * timed.length / seconds).toFixed(1)
      } epoch_s=${(seconds / timed.length).toFixed(2)} peak_rss_mb=${
        peakRssMb().toFixed(0)
      }`,
    );
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
}

/** Runs the benchmark (see the module documentation). */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      factors: { type: "string", default: "1,4,16" },
      modes: { type: "string", default: "stream,memory" },
      epochs: { type: "string", default: "2" },
      "train-workers": {
        type: "string",
        default: String(navigator.hardwareConcurrency),
      },
      child: { type: "boolean", default: false },
      data: { type: "string" },
      mode: { type: "string" },
    },
  });
  if (values.child) return await child(values);
  const factors = values.factors.split(",").map(Number);
  const modes = values.modes.split(",");
  for (const m of modes) {
    if (m !== "stream" && m !== "memory") {
      throw new Error(`--modes: "${m}" is neither stream nor memory`);
    }
  }
  const root = Deno.makeTempDirSync({ prefix: "bench-scale-" });
  const figures = new Map<string, { rss: number; speed: number }>();
  try {
    for (const factor of factors) {
      const dir = path.join(root, `synthetic-${factor}x`);
      const manifest = await generateSyntheticCorpus(dir, {
        seed: 1,
        statements: 2,
        ...corpusShape(factor),
        progress: false,
      });
      for (const mode of modes) {
        const output = await new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            path.join(REPO_ROOT, "bench", "scale.ts"),
            "--child",
            "--data",
            dir,
            "--mode",
            mode,
            "--epochs",
            values.epochs,
            "--train-workers",
            values["train-workers"],
          ],
          cwd: REPO_ROOT,
          stdout: "piped",
          stderr: "piped",
        }).output();
        const text = new TextDecoder().decode(output.stdout);
        const line = /scale_child (.*)/.exec(text);
        if (!output.success || !line) {
          throw new Error(
            `scale run ${factor}× ${mode} failed: ${
              new TextDecoder().decode(output.stderr).trim().split("\n")
                .slice(-3).join(" | ")
            }`,
          );
        }
        const rss = Number(/peak_rss_mb=([\d.]+)/.exec(line[1])![1]);
        const speed = Number(/samples_per_s=([\d.]+)/.exec(line[1])![1]);
        figures.set(`${factor}:${mode}`, { rss, speed });
        console.log(
          `scale_bench factor=${factor} clips=${manifest.files} mode=${mode} ${
            line[1]
          }`,
        );
      }
    }
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
  const [second, largest] = [...factors].sort((a, b) => a - b).slice(-2);
  if (second === undefined || largest === undefined) return;
  for (const mode of modes) {
    const a = figures.get(`${second}:${mode}`)!;
    const b = figures.get(`${largest}:${mode}`)!;
    console.log(
      `scale_bench flatness mode=${mode} ${largest}x/${second}x rss=${
        (b.rss / a.rss).toFixed(2)
      } samples_per_s=${(b.speed / a.speed).toFixed(2)}`,
    );
  }
}

if (import.meta.main) await run(Deno.args);
