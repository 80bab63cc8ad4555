/**
 * Fixtures of the `serve` tests and benchmark: `deno task serve` started as
 * a child process (its URL read from its output), `deno task predict --json`
 * on a file, and comparing the page's `#predictions` with a timeline.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import type { Page } from "playwright-core";
import { REPO_ROOT } from "../../lib/paths.ts";
import type { TimelineWindow } from "../../lib/predict/mod.ts";
import { runCliScript } from "../cli.ts";

/** A `deno task serve` child process. */
export interface ServeProcess {
  /** The page's URL. */
  url: string;
  /** Everything it printed on stderr so far. */
  stderr: () => string;
  /** Stops it and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `lib/cli/serve.ts --port 0` with `args`, `SER_MODELS_DIR` and
 * `SER_DATA_DIR` in `tmp` (the bundle is built there), and waits for its URL.
 */
export async function startServe(
  tmp: string,
  args: readonly string[] = [],
): Promise<ServeProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      path.join(REPO_ROOT, "lib/cli/serve.ts"),
      "--port",
      "0",
      ...args,
    ],
    cwd: REPO_ROOT,
    env: {
      SER_MODELS_DIR: path.join(tmp, "models"),
      SER_DATA_DIR: path.join(tmp, "data"),
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let err = "";
  (async () => {
    for await (const c of child.stderr.pipeThrough(new TextDecoderStream())) {
      err += c;
    }
  })();
  let out = "";
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        throw new Error(`serve exited before printing its URL:\n${err}`);
      }
      out += value;
      const m = out.match(/serving the page at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) {
        (async () => {
          while (!(await reader.read()).done) { /* drain */ }
        })();
        return { url: m[1], stderr: () => err, stop };
      }
    }
  } catch (e) {
    await stop();
    throw e;
  }
}

/** One entry of `deno task predict --json`. */
export interface PredictJson {
  path: string;
  emotion: string;
  probabilities: Record<string, number>;
  timeline?: TimelineWindow[];
}

/** `deno task predict --json --model <model> <file> [args]`'s entry for the file. */
export async function predictJson(
  model: string,
  file: string,
  args: readonly string[] = [],
): Promise<PredictJson> {
  const run = await runCliScript("lib/cli/predict.ts", [
    "--json",
    "--model",
    model,
    ...args,
    file,
  ]);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout)[0];
}

/** The page's `#predictions` elements as timeline windows (with their data). */
export async function shownPredictions(
  page: Page,
): Promise<(TimelineWindow & { data: Record<string, string> })[]> {
  return await page.$$eval("#predictions > div", (els) =>
    els.map((el) => {
      const d = (el as HTMLElement).dataset;
      return {
        start_s: Number(d.startS),
        end_s: Number(d.endS),
        emotion: d.emotion!,
        probabilities: JSON.parse(d.probabilities!),
        ...(d.silent === "true" ? { silent: true } : {}),
        data: { ...d } as Record<string, string>,
      };
    }));
}

/**
 * Asserts that `shown` is `expected` window for window: the same spans,
 * top classes and silence marks, every probability within `tolerance`.
 */
export function assertSameTimeline(
  shown: readonly TimelineWindow[],
  expected: readonly TimelineWindow[],
  tolerance = 1e-4,
): void {
  const brief = (w: TimelineWindow) => [
    w.start_s,
    w.end_s,
    w.emotion,
    w.silent === true,
  ];
  assert.deepEqual(shown.map(brief), expected.map(brief));
  shown.forEach((w, i) => {
    for (const [label, p] of Object.entries(expected[i].probabilities)) {
      const d = Math.abs(w.probabilities[label] - p);
      assert.ok(
        d <= tolerance,
        `window ${i} (${w.start_s}–${w.end_s} s) ${label}: page ${
          w.probabilities[label]
        }, predict ${p} (|Δ| ${d})`,
      );
    }
  });
}
