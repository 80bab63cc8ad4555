/**
 * Web Worker that trains one cross-validation fold of a run (its own TF.js
 * wasm backend), so `trainRun` can train several folds at once, one per core.
 * It receives the run's options and a fold number, posts log lines and
 * epoch histories while training, and finally the trained model (or the
 * error). An `abort` message stops it as Ctrl-C stops a run.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import type { ClassificationMetrics } from "../evaluate/mod.ts";
import type { EpochRecord, ModelCard } from "../run/mod.ts";
import { trainFold, type TrainRunOptions } from "./run.ts";

/** Messages the main thread sends. */
export type FoldRequest =
  | {
    type: "train";
    /** The run's options, functions and signal left out. */
    options: TrainRunOptions;
    /** 1-based fold to train. */
    fold: number;
  }
  | { type: "abort" };

/** Messages the worker sends back. */
export type FoldResponse =
  | { type: "log"; line: string }
  | { type: "epoch"; history: EpochRecord[] }
  | {
    type: "done";
    model: { dir: string; card: ModelCard; test: ClassificationMetrics } | null;
  }
  | { type: "error"; message: string };

const controller = new AbortController();
const post = (m: FoldResponse) => self.postMessage(m);

self.onmessage = async (event: MessageEvent<FoldRequest>) => {
  const msg = event.data;
  if (msg.type === "abort") {
    controller.abort();
    return;
  }
  try {
    const model = await trainFold({
      ...msg.options,
      signal: controller.signal,
      log: (line) => post({ type: "log", line }),
      onEpoch: (history) => post({ type: "epoch", history: [...history] }),
    }, msg.fold);
    post({ type: "done", model });
  } catch (err) {
    post({
      type: "error",
      message: err instanceof Error ? err.message : String(err),
    });
  }
};
