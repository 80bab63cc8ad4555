/**
 * A trained model scored on corpus clips: every clip predicted with the
 * model's predictor and the predictions scored by `evaluateCorpus`
 * (cross-corpus label mapping, leakage flags). The one adapter between
 * prediction and evaluation, used by `deno task evaluate`, the report and the
 * notebooks.
 *
 * @module
 */
import { type Emotion, scanCorpus } from "../corpora/mod.ts";
import {
  type CorpusEvaluation,
  describeMapping,
  evaluateCorpus,
  type LabelledClip,
  leakageWarning,
} from "../evaluate/mod.ts";
import type { FrameStats } from "../features/mod.ts";
import type { ProgressOptions } from "../progress.ts";
import { type ModelCard, testClipsOf } from "../run/mod.ts";
import { loadPredictor, type Predictor } from "./predictor.ts";

/** Options of {@linkcode evaluatePredictor}. */
export interface EvaluatePredictorOptions {
  /** Label merges applied on both sides (forces label-set mapping). */
  merge?: Partial<Record<Emotion, Emotion>>;
  /** Progress display (default: detect). */
  progress?: ProgressOptions["mode"];
  /**
   * For a speaker-normalised model: normalise each speaker's clips together
   * (default `true`), or each clip alone by its own statistics — the
   * single-file fall-back of `deno task predict <file>`.
   */
  bySpeaker?: boolean;
}

/**
 * Predicts every clip of `items` with `predictor` and scores the
 * predictions. A model trained on speaker-normalised features gets each
 * speaker's clips normalised by the statistics of that speaker's clips among
 * `items` (unlabelled — as a user would normalise a folder of one speaker's
 * recordings), never by another speaker's.
 */
export async function evaluatePredictor(
  predictor: Predictor,
  items: readonly LabelledClip[],
  options: EvaluatePredictorOptions = {},
): Promise<CorpusEvaluation> {
  const stats = new Map<string, FrameStats>();
  if (predictor.speakerNormalized && options.bySpeaker !== false) {
    for (const speaker of new Set(items.map((i) => i.speaker))) {
      const paths = items.filter((i) => i.speaker === speaker).map((i) =>
        i.path
      );
      try {
        stats.set(speaker, await predictor.speakerStats(paths));
      } catch { /* every clip fails to predict, and is reported so */ }
    }
  }
  const speakerOf = new Map(items.map((i) => [i.path, i.speaker]));
  return await evaluateCorpus({
    card: predictor.facts,
    items,
    merge: options.merge,
    progress: options.progress,
    predict: async (file) => {
      const p = await predictor.predictFile(file, {
        speakerStats: stats.get(speakerOf.get(file)!),
      });
      return predictor.labels.map((l) => p.probabilities[l]);
    },
  });
}

/** Options of {@linkcode evaluateModelOn}. */
export interface EvaluateModelOptions extends EvaluatePredictorOptions {
  /** Notes: unreadable files, label mapping, dropped clips, leakage warnings. */
  log?: (line: string) => void;
}

/**
 * Scans `dataDirs` and scores the model in `dir` on their clips, logging
 * what a reader of the numbers must know: files that could not be indexed
 * or predicted, the cross-corpus label mapping, clips dropped for labels the
 * model lacks, and a loud warning when the clips include speakers the model
 * trained on.
 */
export async function evaluateModelOn(
  dir: string,
  dataDirs: readonly string[],
  options: EvaluateModelOptions = {},
): Promise<CorpusEvaluation> {
  const log = options.log ?? ((s: string) => console.error(s));
  const scan = await scanCorpus([...dataDirs]);
  for (const e of scan.errorList.slice(0, 10)) {
    log(`skipping ${e.path}: ${e.reason}`);
  }
  if (scan.errorList.length > 10) {
    log(
      `… and ${
        scan.errorList.length - 10
      } more files that could not be indexed`,
    );
  }
  if (scan.items.length === 0) {
    throw new Error(`no usable clips in ${dataDirs.join(", ")}`);
  }
  const predictor = await loadPredictor(dir);
  try {
    log(predictor.description);
    const result = await evaluatePredictor(predictor, scan.items, options);
    if (result.mapping) {
      log(`cross-corpus evaluation:\n${describeMapping(result.mapping)}`);
    }
    const dropped = Object.entries(result.droppedCounts);
    if (dropped.length > 0) {
      log(
        `clips dropped (emotion not in the model): ${
          dropped.map(([l, n]) => `${l} ${n}`).join(", ")
        }`,
      );
    }
    for (const e of result.errors) {
      log(`could not predict ${e.path}: ${e.reason}`);
    }
    const warning = leakageWarning(predictor.facts, result);
    if (warning) log(`\n${"!".repeat(72)}\n${warning}\n${"!".repeat(72)}\n`);
    log(
      `evaluated ${result.clips.length} clips from ${result.speakers.length} speakers with ${dir}`,
    );
    return result;
  } finally {
    predictor.dispose();
  }
}

/**
 * The clips to score `card`'s model on as a voice it never heard: the test
 * clips its card records, or — for a model refitted on every speaker (the
 * shipped model) — the clips of `dataDirs` whose speakers it neither
 * trained nor validated on. Throws saying why when there are none.
 */
export async function unheardClips(
  card: ModelCard,
  dataDirs: readonly string[],
): Promise<LabelledClip[]> {
  if (card.split.testClips.length > 0) return testClipsOf(card);
  const heard = new Set([
    ...card.split.speakers.train,
    ...card.split.speakers.validation,
  ]);
  const clips = (await scanCorpus([...dataDirs])).items.filter((i) =>
    !heard.has(i.speaker)
  );
  if (clips.length === 0) {
    throw new Error(
      `${card.run} trained on every speaker of ${
        dataDirs.join(", ")
      }: no unheard voice to score it on (its estimate is the cross-validation in its card)`,
    );
  }
  return clips;
}
