/**
 * The features stage of a training run: the fixed-length features of every
 * clip, extracted by the batch extractor (worker pool, on-disk cache), with
 * a progress display; clips that fail are logged and left out.
 *
 * @module
 */
import type { Utterance } from "../corpora/mod.ts";
import {
  extractBatch,
  type FeatureConfig,
  fixLength,
} from "../features/mod.ts";
import type { FixedExample } from "../model/inputs.ts";
import { createProgress, type ProgressOptions } from "../progress.ts";

/** Options of {@linkcode clipFeatures}. */
export interface ClipFeaturesOptions {
  /** Extraction workers. */
  workers: number;
  /** Log lines (skipped clips, throughput). */
  log: (line: string) => void;
  /** Progress display mode (default: detect). */
  progress?: ProgressOptions["mode"];
}

/** Fixed-length features of each item, by path (absent where extraction failed). */
export async function clipFeatures(
  items: readonly Utterance[],
  config: FeatureConfig,
  options: ClipFeaturesOptions,
): Promise<Map<string, FixedExample>> {
  const { log } = options;
  const progress = createProgress({
    label: "features",
    total: items.length,
    mode: options.progress,
  });
  let reported = 0;
  const batch = await extractBatch(items.map((i) => i.path), config, {
    workers: options.workers,
    onProgress: (done) => {
      progress.tick(done - reported);
      reported = done;
    },
  });
  progress.done(`${batch.cacheHits} from cache`);
  for (const e of batch.errors) log(`skipping ${e.path}: ${e.reason}`);
  const out = new Map<string, FixedExample>();
  batch.features.forEach((m, i) => {
    if (m) out.set(items[i].path, fixLength(m, config.frames));
  });
  log(
    `features: ${out.size} clips, ${batch.audioS.toFixed(0)} s of audio in ${
      batch.wallS.toFixed(1)
    } s (${
      (batch.audioS / Math.max(batch.wallS, 1e-9)).toFixed(0)
    }× real time)`,
  );
  return out;
}
