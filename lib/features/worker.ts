/**
 * Web Worker of the batch extractor: receives a config once, then inputs —
 * file paths, or in-memory samples with their cache key — and answers each
 * with its features (buffer transferred) or the reason it failed.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import type { FeatureConfig } from "./config.ts";
import { extractInput, type SamplesInput } from "./pipeline.ts";

/** Messages the pool sends to a worker. */
export type WorkerRequest =
  | { type: "init"; config: FeatureConfig; cacheDir: string | null }
  | { type: "job"; id: number; input: string | SamplesInput };

/** A worker's answer to one job. */
export type WorkerResponse =
  | {
    id: number;
    ok: true;
    data: Float32Array;
    frames: number;
    dims: number;
    audioS: number;
    cached: boolean;
    cacheProblem?: string;
  }
  | { id: number; ok: false; reason: string };

let settings: { config: FeatureConfig; cacheDir: string | null } | null = null;

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  if (msg.type === "init") {
    settings = { config: msg.config, cacheDir: msg.cacheDir };
    return;
  }
  if (!settings) {
    self.postMessage({
      id: msg.id,
      ok: false,
      reason: "worker not initialised",
    });
    return;
  }
  try {
    const r = await extractInput(
      msg.input,
      settings.config,
      settings.cacheDir,
    );
    const response: WorkerResponse = {
      id: msg.id,
      ok: true,
      data: r.matrix.data,
      frames: r.matrix.frames,
      dims: r.matrix.dims,
      audioS: r.audioS,
      cached: r.cached,
      cacheProblem: r.cacheProblem,
    };
    self.postMessage(response, [r.matrix.data.buffer as ArrayBuffer]);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    self.postMessage(
      { id: msg.id, ok: false, reason } satisfies WorkerResponse,
    );
  }
};
