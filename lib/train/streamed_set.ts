/**
 * The features and training-set stages for streaming training (corpora
 * larger than memory): every clip's fixed-length features go to a row file
 * as they are extracted, a part of the corpus at a time; the training
 * fold's waveform copies likewise; the training set is then three
 * {@linkcode StreamedRows} views over those files, normalised with
 * statistics computed in one pass over the training rows (after a first
 * pass for each speaker's statistics when the recipe normalises per
 * speaker) and SpecAugmented per batch. The models are the same as with
 * the in-memory stages (examples.ts, training_set.ts): same rows, same
 * order, same statistics, same masks.
 *
 * @module
 */
import * as path from "node:path";
import { mapTrainingFold, type TrainingFold } from "../augment/mod.ts";
import type { Utterance } from "../corpora/mod.ts";
import {
  createExtractorPool,
  type FeatureConfig,
  featureDims,
  fixLength,
  type FrameStats,
  type FrameStatsAccumulator,
  frameStatsAccumulator,
  standardize,
  typicalStats,
} from "../features/mod.ts";
import { statsAccumulator } from "../model/inputs.ts";
import type { Recipe } from "../model/recipe.ts";
import { createProgress, type ProgressOptions } from "../progress.ts";
import { augmentedCopies, specAugmenter } from "./augment.ts";
import type { DataSplit } from "./split.ts";
import { RowFile, type RowRef, streamedRows } from "./stream.ts";
import { speakerGroup, type TrainingSet } from "./training_set.ts";

/** Clips extracted to a row file: where each clip's features are. */
export interface ClipRows {
  /** The file (raw fixed-length features, one row per clip). */
  file: RowFile;
  /** Row and true frame count of each clip that gave features, by path. */
  rowOf: ReadonlyMap<string, { row: number; length: number }>;
}

/** Clips per extraction round: what memory holds at once. */
const CHUNK = 64;

/** Options of {@linkcode streamClipFeatures}. */
export interface StreamClipOptions {
  /** Extraction workers. */
  workers: number;
  /** Folder for the row file. */
  dir: string;
  /** Log lines (skipped clips, throughput). */
  log: (line: string) => void;
  /** Progress display mode (default: detect). */
  progress?: ProgressOptions["mode"];
}

/**
 * Extracts every clip's features (worker pool, on-disk cache) a part at a
 * time and appends them, fixed to `config.frames`, to a row file in
 * `options.dir`; clips that fail are logged and left out.
 */
export async function streamClipFeatures(
  items: readonly Utterance[],
  config: FeatureConfig,
  options: StreamClipOptions,
): Promise<ClipRows> {
  const file = new RowFile(
    path.join(options.dir, "clips.f32"),
    config.frames * featureDims(config),
  );
  const rowOf = new Map<string, { row: number; length: number }>();
  const progress = createProgress({
    label: "features",
    total: items.length,
    mode: options.progress,
  });
  const pool = createExtractorPool(config, { workers: options.workers });
  let hits = 0;
  let audioS = 0;
  const started = performance.now();
  try {
    for (let at = 0; at < items.length; at += CHUNK) {
      const chunk = items.slice(at, at + CHUNK);
      let reported = 0;
      const batch = await pool.extract(chunk.map((i) => i.path), (done) => {
        progress.tick(done - reported);
        reported = done;
      });
      hits += batch.cacheHits;
      audioS += batch.audioS;
      for (const e of batch.errors) {
        options.log(`skipping ${e.path}: ${e.reason}`);
      }
      batch.features.forEach((m, i) => {
        if (!m) return;
        const fixed = fixLength(m, config.frames);
        rowOf.set(chunk[i].path, {
          row: file.append(fixed.data),
          length: fixed.length,
        });
      });
    }
  } finally {
    pool.close();
  }
  progress.done(`${hits} from cache`);
  const wallS = (performance.now() - started) / 1000;
  options.log(
    `features: ${rowOf.size} clips, ${audioS.toFixed(0)} s of audio in ${
      wallS.toFixed(1)
    } s, streamed to ${file.path}`,
  );
  return { file, rowOf };
}

/**
 * The {@linkcode TrainingSet} of `split` over `clips`, streamed: the
 * training fold's rows, then each waveform copy's (made `CHUNK` clips at a
 * time into a row file in `dir`), validation and test, all read from disk
 * per batch. Speaker-level normalisation as in `buildTrainingSet`: each
 * speaker's statistics (each augmented copy its own session) from one pass
 * over their rows, applied as rows are read.
 */
export async function buildStreamedTrainingSet(
  split: DataSplit<Utterance>,
  clips: ClipRows,
  labels: readonly string[],
  recipe: Recipe,
  dir: string,
  progress?: ProgressOptions["mode"],
  workers = 1,
): Promise<TrainingSet> {
  const frames = recipe.features.frames;
  const dims = featureDims(recipe.features);
  const clipRefs = (part: readonly Utterance[]) =>
    part.map((u) => {
      const at = clips.rowOf.get(u.path);
      if (!at) throw new Error(`${u.path}: no features`);
      return { file: clips.file, row: at.row, length: at.length };
    });
  const n = split.train.length;
  const copies = recipe.augment.waveform.length > 0 ? recipe.augment.copies : 0;
  const copyRefs: (RowRef & { length: number })[][] = Array.from(
    { length: copies },
    () => new Array(n),
  );
  const copyFile = copies > 0
    ? new RowFile(
      path.join(dir, `copies-${crypto.randomUUID()}.f32`),
      frames * dims,
    )
    : null;
  if (copyFile) {
    const file = copyFile;
    for (let start = 0; start < n; start += CHUNK) {
      const end = Math.min(start + CHUNK, n);
      const made = await augmentedCopies(
        split.train,
        recipe.features,
        recipe.augment,
        recipe.train.seed,
        { progress, workers, range: [start, end] },
      );
      made.forEach((part, c) =>
        part.forEach((e, j) => {
          copyRefs[c][start + j] = {
            file,
            row: file.append(e.data),
            length: e.length,
          };
        })
      );
    }
  }
  const trainRefs = [clipRefs(split.train), ...copyRefs].flat();
  const labelsOf = (part: readonly Utterance[]) =>
    Int32Array.from(part, (u) => labels.indexOf(u.emotion));
  const trainLabels = labelsOf(
    [split.train, ...copyRefs.map(() => split.train)].flat(),
  );
  // Speaker-level normalisation: the statistics of each speaker's rows (as
  // normalizeGroups groups them: speaker and session).
  const row = new Float32Array(frames * dims);
  const bySpeaker = recipe.features.normalize === "speaker";
  const groupStats = (
    refs: readonly (RowRef & { length: number })[],
    keyOf: (i: number) => string,
  ) => {
    const accs = new Map<string, FrameStatsAccumulator>();
    refs.forEach((ref, i) => {
      ref.file.read(ref.row, row);
      const key = keyOf(i);
      let group = accs.get(key);
      if (!group) accs.set(key, group = frameStatsAccumulator(dims));
      group.add({ data: row, frames, dims, length: ref.length });
    });
    const done = new Map([...accs].map(([k, g]) => [k, g.result()]));
    return { of: refs.map((_, i) => done.get(keyOf(i))!), byKey: done };
  };
  const trainGroups = bySpeaker
    ? groupStats(
      trainRefs,
      (i) =>
        speakerGroup(split.train[i % n].speaker, String(Math.floor(i / n))),
    )
    : null;
  const partStats = (part: readonly Utterance[]) =>
    bySpeaker
      ? groupStats(clipRefs(part), (i) => speakerGroup(part[i].speaker)).of
      : undefined;
  // Statistics of the training rows, in row order (as normalizationStats).
  const acc = statsAccumulator(frames, dims);
  trainRefs.forEach((ref, i) => {
    ref.file.read(ref.row, row);
    acc.add(
      trainGroups
        ? standardize(
          { data: row, frames, dims, length: ref.length },
          trainGroups.of[i],
        )
        : row,
      ref.length,
    );
  });
  const stats = acc.result();
  // The typical training speaker (unaugmented clips), as speakerPrior.
  const speakerPrior: FrameStats | undefined = trainGroups
    ? typicalStats(
      [...new Set(split.train.map((u) => u.speaker))].map((s) =>
        trainGroups.byKey.get(speakerGroup(s, "0"))!
      ),
    )
    : undefined;
  // SpecAugment: the training loop's augmenter, over items whose features
  // are the row being augmented.
  let current: Float32Array = row;
  const items = (fold: TrainingFold<unknown>) =>
    mapTrainingFold(fold, () => ({
      get features() {
        return current;
      },
      dims,
      // [base | Δ | ΔΔ]: a frequency mask blanks the same bands in each.
      channels: 1 + recipe.features.deltaOrder,
    }));
  const spec = specAugmenter(
    [split.train, ...copyRefs.map(() => split.train)].map((f) =>
      items(f as TrainingFold<unknown>)
    ),
    recipe.augment,
    recipe.train.seed,
  );
  const view = (
    refs: readonly (RowRef & { length: number })[],
    y: Int32Array,
    speakerStats: readonly FrameStats[] | undefined,
    augment?: (row: number, epoch: number, f: Float32Array) => Float32Array,
  ) =>
    streamedRows({
      refs,
      y,
      lengths: Int32Array.from(refs, (r) => r.length),
      frames,
      dims,
      stats,
      speakerStats,
      augment,
    });
  return {
    train: view(
      trainRefs,
      trainLabels,
      trainGroups?.of,
      spec
        ? (r, epoch, f) => {
          current = f;
          return spec(r, epoch);
        }
        : undefined,
    ),
    validation: view(
      clipRefs(split.validation),
      labelsOf(split.validation),
      partStats(split.validation),
    ),
    test: view(
      clipRefs(split.test),
      labelsOf(split.test),
      partStats(split.test),
    ),
    stats,
    ...(speakerPrior ? { speakerPrior } : {}),
    copies,
    close: () => {
      copyFile?.close();
      if (copyFile) Deno.removeSync(copyFile.path);
    },
  };
}
