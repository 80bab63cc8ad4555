/// <reference lib="dom" />
/**
 * `deno task bench serve [--model DIR] [--windows N] [--runs R]` — the
 * `serve` page in headless Chromium (Debian's `chromium`, playwright-core),
 * its microphone being Chromium's fake device playing a 48 kHz voice-like
 * WAV: per run, page load → model ready → first live prediction, the bytes
 * transferred (compressed, as sent; the model's JSON and weights apart), and
 * for each of `--windows` live windows the latency from the worklet's chunk
 * arriving to the chart drawn (`data-latency-ms`) and the features + model
 * time (`data-compute-ms`). Headroom: the hop (0.5 s) over the mean
 * latency. Goals: ≤ 30 ms per window, ≤ 3 MB page weight without the model,
 * ≥ 5× headroom.
 *
 * Model: `--model`, else the one `deno task predict` uses, else the default
 * architecture with seeded random weights in a temporary folder. The page
 * bundle is built into a temporary folder first (not timed). Reuses the
 * browser tests' helpers (`tests/chromium.ts`, `tests/serve/fixture.ts`).
 *
 * @module
 */
import * as path from "node:path";
import { encodeWav } from "../lib/audio/mod.ts";
import { createCommand, parsePositiveInt } from "../lib/cli/common.ts";
import { findModelDir } from "../lib/run/mod.ts";
import { writeUntrainedModel } from "../lib/predict/mod.ts";
import { hasChromium, launchChromium, watchPage } from "../tests/chromium.ts";
import { shownPredictions, startServe } from "../tests/serve/fixture.ts";
import { concat, quiet, voice } from "../tests/predict/signals.ts";

interface BenchFlags {
  model?: string;
  windows: number;
  runs: number;
}

const HOP_MS = 500;

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `mean ${mean.toFixed(1)} median ${q(0.5).toFixed(1)} p90 ${
    q(0.9).toFixed(1)
  } max ${s[s.length - 1].toFixed(1)}`;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function benchModel(flags: BenchFlags, tmp: string) {
  if (flags.model) return { dir: flags.model, from: "--model" };
  try {
    const found = findModelDir();
    return { dir: found.dir, from: `what predict uses (${found.source})` };
  } catch {
    const dir = path.join(tmp, "untrained");
    await writeUntrainedModel(dir);
    return {
      dir,
      from: "no model found: default architecture, seeded random weights",
    };
  }
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const program = createCommand("bench serve", "The serve page's speed")
    .option("--model <dir>", "model (default: what predict uses)")
    .option("--windows <n>", "live windows per run", parsePositiveInt, 20)
    .option("--runs <n>", "page loads", parsePositiveInt, 3);
  program.parse(args, { from: "user" });
  const flags = program.opts<BenchFlags>();
  if (!hasChromium("bench serve")) return;
  const tmp = await Deno.makeTempDir({ prefix: "bench-serve-" });
  try {
    const model = await benchModel(flags, tmp);
    console.log(`model: ${model.dir} (${model.from})`);
    const sr = 48000;
    const wav = path.join(tmp, "mic.wav");
    await Deno.writeFile(
      wav,
      encodeWav(
        concat([
          voice(sr, 4, { seed: 1 }),
          quiet(sr, 1, 1),
          voice(sr, 3, { seed: 2, f0: 200 }),
        ]),
        sr,
      ),
    );
    const server = await startServe(tmp, ["--model", model.dir]);
    const latency: number[] = [];
    const compute: number[] = [];
    const dom: number[] = [];
    const ready: number[] = [];
    const first: number[] = [];
    let pageBytes = 0;
    let modelBytes = 0;
    let windowS = 0;
    try {
      for (let r = 0; r < flags.runs; r++) {
        const context = await launchChromium(
          path.join(tmp, `profile-${r}`),
          [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            `--use-file-for-fake-audio-capture=${wav}`,
          ],
        );
        try {
          const page = await context.newPage();
          const watch = await watchPage(
            page,
            /^(http:\/\/127\.0\.0\.1|data:|blob:)/,
          );
          const sizes: Promise<{ url: string; bytes: number }>[] = [];
          page.on("requestfinished", (req) => {
            sizes.push(
              req.sizes().then((s) => ({
                url: req.url(),
                bytes: s.responseBodySize + s.responseHeadersSize,
              })),
            );
          });
          await page.goto(server.url);
          await page.waitForFunction(
            () =>
              !(document.getElementById("start") as HTMLButtonElement).disabled,
            undefined,
            { timeout: 120_000 },
          );
          const readyMs = await page.evaluate(() => performance.now());
          await page.click("#start");
          await page.waitForFunction(
            (n) => document.querySelectorAll("#predictions > div").length >= n,
            flags.windows + 1,
            { timeout: 120_000 },
          );
          const shown = await shownPredictions(page);
          windowS = shown[0].end_s - shown[0].start_s;
          ready.push(readyMs);
          first.push(Number(shown[0].data.shownAtMs));
          // The first window includes the worklet's start: skip it.
          for (const w of shown.slice(1, flags.windows + 1)) {
            latency.push(Number(w.data.latencyMs));
            compute.push(Number(w.data.computeMs));
            dom.push(Number(w.data.domMs));
          }
          await page.click("#stop");
          const done = await Promise.all(sizes);
          if (r === 0) {
            for (const s of done) {
              if (/\/api\/(model|weights)\b/.test(s.url)) modelBytes += s.bytes;
              else pageBytes += s.bytes;
            }
          }
          if (watch.problems.length || watch.external.length) {
            throw new Error(
              `page problems: ${[...watch.problems, ...watch.external]}`,
            );
          }
        } finally {
          await context.close();
        }
      }
    } finally {
      await server.stop();
    }
    console.log(
      `window ${windowS} s, hop ${
        HOP_MS / 1000
      } s, ${flags.runs} page loads × ${flags.windows} windows (the machine may be shared: see the ranges)`,
    );
    console.log(`page load → model ready ms: ${stats(ready)}`);
    console.log(
      `page load → first live prediction ms: ${
        stats(first)
      } (includes ${windowS} s of audio to fill the first window)`,
    );
    console.log(
      `bytes transferred (compressed): page ${
        (pageBytes / 1e6).toFixed(2)
      } MB (goal ≤ 3 MB), model ${(modelBytes / 1e6).toFixed(2)} MB`,
    );
    console.log(
      `per-window latency, chunk → chart drawn, ms: ${
        stats(latency)
      } (goal ≤ 30)`,
    );
    console.log(
      `per-window latency, chunk → prediction shown (top emotion, list), ms: ${
        stats(dom)
      }`,
    );
    console.log(`per-window features + model ms: ${stats(compute)}`);
    const headroom = HOP_MS / mean(latency);
    console.log(`live headroom: ${headroom.toFixed(1)}× real time (goal ≥ 5×)`);
    console.log(
      `serve_bench page_mb=${(pageBytes / 1e6).toFixed(3)} latency_ms=${
        mean(latency).toFixed(2)
      } compute_ms=${mean(compute).toFixed(2)} first_prediction_ms=${
        mean(first).toFixed(0)
      } headroom_x=${headroom.toFixed(1)}`,
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}
