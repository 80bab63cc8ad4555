/**
 * Evaluating a trained model on a corpus: every clip is predicted, the
 * model's and the corpus's label sets are mapped onto the shared vocabulary
 * when the corpus is not the one the model was trained on (cross-corpus:
 * evaluation on the classes both have, what was dropped on each side
 * reported), and clips from speakers the model was trained or validated on
 * are flagged — such an evaluation is not held out.
 *
 * The model is reached through a {@linkcode ClipPredictor} (built on
 * `lib/predict`) and described by the few facts of its card this needs
 * ({@linkcode EvaluatedModel}), so this orchestration is independent of TF.js
 * and of the run directory.
 *
 * @module
 */
import {
  applyLabelOptions,
  type Emotion,
  EMOTIONS,
  type LabelOptions,
} from "../corpora/emotions.ts";
import { argmax } from "../model/argmax.ts";
import type { Utterance } from "../corpora/types.ts";
import { createProgress, type ProgressOptions } from "../progress.ts";
import {
  type CrossCorpusMapping,
  mapLabelSets,
  mapProbabilities,
  restrictSamples,
} from "./labels.ts";
import { type ClassificationMetrics, evaluate } from "./metrics.ts";

/**
 * What evaluation needs to know of a model (a model card has all of it):
 * its labels, the corpora and label options it was trained with, and which
 * speakers it trained and early-stopped on.
 */
export interface EvaluatedModel {
  /** Run name, for messages. */
  run: string;
  /** Class labels in output order. */
  labels: readonly string[];
  /** Training data: corpora (with clip counts) and label options. */
  data: {
    corpora: Readonly<Record<string, number>>;
    labelOptions?: LabelOptions;
  };
  /** The training split: leaky or not, and its speakers. */
  split: {
    leaky: boolean;
    speakers: {
      train: readonly string[];
      validation: readonly string[];
    };
  };
}

/** A clip to evaluate: its audio file, corpus, speaker and true emotion. */
export type LabelledClip = Pick<
  Utterance,
  "path" | "corpus" | "speaker" | "emotion"
>;

/** Class probabilities of one audio file, in the model's label order. */
export type ClipPredictor = (path: string) => Promise<ArrayLike<number>>;

/** One evaluated clip. */
export interface EvaluatedClip {
  /** Audio file. */
  path: string;
  /** Corpus the clip belongs to. */
  corpus: string;
  /** Corpus-namespaced speaker id. */
  speaker: string;
  /** True label, in the evaluation's label set. */
  trueLabel: string;
  /** Predicted label, in the evaluation's label set. */
  predicted: string;
  /** The model's probability for each of its own classes. */
  probabilities: Record<string, number>;
}

/** A clip that could not be predicted. */
export interface ClipError {
  /** Audio file. */
  path: string;
  /** Why it failed. */
  reason: string;
}

/** Options of {@linkcode evaluateCorpus}. */
export interface CorpusEvaluationOptions {
  /** The model (its card: labels, training corpora, split speakers). */
  card: EvaluatedModel;
  /** The clips to evaluate (e.g. a `scanCorpus` result's `items`, unmerged). */
  items: readonly LabelledClip[];
  /** Predicts one file. */
  predict: ClipPredictor;
  /** Label merges applied on both sides (forces label-set mapping). */
  merge?: Partial<Record<Emotion, Emotion>>;
  /** Progress display on stderr (default: detect). */
  progress?: ProgressOptions["mode"];
}

/** What {@linkcode evaluateCorpus} found. */
export interface CorpusEvaluation {
  /** Metrics over the evaluated clips, on the evaluation labels. */
  metrics: ClassificationMetrics;
  /** The label mapping when the evaluation is cross-corpus, else null. */
  mapping: CrossCorpusMapping | null;
  /**
   * Clips left out, per label: excluded by the model's training label
   * options (`select`), or outside the shared set of a cross-corpus mapping.
   */
  droppedCounts: Record<string, number>;
  /** Every clip predicted (in the evaluation's labels); dropped ones excluded. */
  clips: EvaluatedClip[];
  /** Clips that could not be predicted. */
  errors: ClipError[];
  /** Distinct speakers of the evaluated clips. */
  speakers: string[];
  /** Evaluated speakers the model was trained on (not held out!). */
  trainSpeakersSeen: string[];
  /** Evaluated speakers used for the model's early stopping. */
  validationSpeakersSeen: string[];
}

const byVocabulary = (a: string, b: string) =>
  (EMOTIONS as readonly string[]).indexOf(a) -
  (EMOTIONS as readonly string[]).indexOf(b);

/**
 * Whether evaluating a model with `card` on clips of `corpora` with
 * `labels` needs label-set mapping: the clips come from a corpus the model
 * was not trained on, have a label the model lacks, or merges were asked for.
 */
export function isCrossCorpus(
  card: EvaluatedModel,
  corpora: readonly string[],
  labels: readonly string[],
  merge?: Partial<Record<Emotion, Emotion>>,
): boolean {
  return (merge !== undefined && Object.keys(merge).length > 0) ||
    corpora.some((c) => !Object.hasOwn(card.data.corpora, c)) ||
    labels.some((l) => !card.labels.includes(l));
}

/**
 * Predicts every clip with `options.predict` and scores the predictions.
 * The clips' labels are first read as training read them (the card's label
 * merges; clips its `select` excluded are dropped). Same-corpus: metrics on the model's labels. Cross-corpus (see
 * {@linkcode isCrossCorpus}): both label sets are mapped onto the shared
 * vocabulary, clips whose emotion the model lacks are dropped (counted in
 * `droppedCounts`), and the model's probabilities are re-expressed over the
 * shared emotions before the arg max. A clip that fails to predict is
 * recorded in `errors` and left out; no clip predicted at all is an error.
 */
export async function evaluateCorpus(
  options: CorpusEvaluationOptions,
): Promise<CorpusEvaluation> {
  const { card } = options;
  if (options.items.length === 0) throw new Error("no clips to evaluate");
  // Read the corpus's labels as training read them (its merges, selection).
  const trained = card.data.labelOptions ?? {};
  const excluded: Record<string, number> = {};
  const items: LabelledClip[] = [];
  for (const it of options.items) {
    const emotion = applyLabelOptions(it.emotion, trained);
    if (emotion === null) {
      excluded[it.emotion] = (excluded[it.emotion] ?? 0) + 1;
    } else items.push(emotion === it.emotion ? it : { ...it, emotion });
  }
  if (items.length === 0) {
    throw new Error(
      `none of the ${options.items.length} clips has an emotion the model was trained on (${
        card.labels.join(", ")
      })`,
    );
  }
  const corpora = [...new Set(items.map((i) => i.corpus))].sort();
  const testLabels = [...new Set(items.map((i) => i.emotion))].sort(
    byVocabulary,
  );
  const mapping = isCrossCorpus(card, corpora, testLabels, options.merge)
    ? mapLabelSets(card.labels, testLabels, {
      merge: options.merge,
      trainName: `model ${card.run} (${
        Object.keys(card.data.corpora).join("+")
      })`,
      testName: corpora.join("+"),
    })
    : null;
  const kept = mapping
    ? restrictSamples(mapping, items.map((i) => i.emotion))
    : {
      indices: items.map((_, i) => i),
      yTrue: items.map((i) => i.emotion),
      droppedCounts: {},
    };

  const progress = createProgress({
    label: "predict",
    total: kept.indices.length,
    mode: options.progress,
  });
  const rows: { item: LabelledClip; truth: string; p: number[] }[] = [];
  const errors: ClipError[] = [];
  for (let k = 0; k < kept.indices.length; k++) {
    const item = items[kept.indices[k]];
    try {
      const p = Array.from(await options.predict(item.path));
      if (p.length !== card.labels.length) {
        throw new Error(
          `the model returned ${p.length} probabilities for ${card.labels.length} labels`,
        );
      }
      rows.push({ item, truth: kept.yTrue[k], p });
    } catch (err) {
      errors.push({ path: item.path, reason: (err as Error).message });
    }
    progress.tick();
  }
  progress.done(errors.length > 0 ? `${errors.length} failed` : undefined);
  if (rows.length === 0) {
    throw new Error(
      `none of the ${kept.indices.length} clips could be predicted (first: ${
        errors[0]?.path ?? "?"
      }: ${errors[0]?.reason ?? "?"})`,
    );
  }

  const labels: string[] = mapping ? mapping.labels : [...card.labels];
  const predicted = mapping
    ? mapProbabilities(mapping, rows.map((r) => r.p)).predicted
    : rows.map((r) => card.labels[argmax(r.p)]);
  const metrics = evaluate(rows.map((r) => r.truth), predicted, {
    labels,
    source: corpora.join("+"),
  });
  const clips = rows.map((r, i): EvaluatedClip => ({
    path: r.item.path,
    corpus: r.item.corpus,
    speaker: r.item.speaker,
    trueLabel: r.truth,
    predicted: predicted[i],
    probabilities: Object.fromEntries(card.labels.map((l, j) => [l, r.p[j]])),
  }));
  const speakers = [...new Set(clips.map((c) => c.speaker))].sort();
  const split = card.split.speakers;
  return {
    metrics,
    mapping,
    droppedCounts: { ...excluded, ...kept.droppedCounts },
    clips,
    errors,
    speakers,
    trainSpeakersSeen: speakers.filter((s) => split.train.includes(s)),
    validationSpeakersSeen: speakers.filter((s) =>
      split.validation.includes(s)
    ),
  };
}

/**
 * A loud multi-line warning when the evaluated clips include speakers the
 * model was trained (or early-stopped) on, or the model's split was random
 * (speaker-dependent); null for a held-out evaluation.
 */
export function leakageWarning(
  card: EvaluatedModel,
  result: CorpusEvaluation,
): string | null {
  const lines: string[] = [];
  if (result.trainSpeakersSeen.length > 0) {
    const n = result.clips.filter((c) =>
      result.trainSpeakersSeen.includes(c.speaker)
    ).length;
    lines.push(
      `${n} of ${result.clips.length} evaluated clips come from ${result.trainSpeakersSeen.length} speaker(s) the model was TRAINED on: ${
        result.trainSpeakersSeen.join(", ")
      }`,
    );
  }
  if (result.validationSpeakersSeen.length > 0) {
    lines.push(
      `evaluated clips include the model's validation (early-stopping) speaker(s): ${
        result.validationSpeakersSeen.join(", ")
      }`,
    );
  }
  if (lines.length === 0) return null;
  if (card.split.leaky) {
    lines.push(
      `the model was trained on a random (speaker-dependent) split: every speaker it saw may appear here`,
    );
  }
  return [
    "WARNING: this is NOT a held-out evaluation — scores are inflated",
    ...lines.map((l) => `  ${l}`),
    "  evaluate on speakers outside card.json split.speakers.train/validation for an honest number",
  ].join("\n");
}
