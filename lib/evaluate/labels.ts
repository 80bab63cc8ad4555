/**
 * Label-set mapping for cross-corpus evaluation: a model trained on corpus A
 * is tested on corpus B, whose emotions differ (EmoDB has boredom but no
 * calm or surprise; RAVDESS has calm, …). Both label sets are mapped onto
 * the shared vocabulary (`EMOTIONS` of `lib/corpora`), optional merges are
 * applied (e.g. calm → neutral), and evaluation is restricted to the
 * emotions both sides then have. What was dropped on each side is reported.
 *
 * The vocabulary is imported from `corpora/emotions.ts` itself rather than
 * `corpora/mod.ts`, which would load nodejs-polars into pure metric code.
 *
 * @module
 */
import {
  applyLabelOptions,
  type Emotion,
  emotionFromWord,
  EMOTIONS,
  isEmotion,
  validateLabelOptions,
} from "../corpora/emotions.ts";
import { argmax } from "../model/argmax.ts";

/** Options of {@linkcode mapLabelSets}. */
export interface CrossCorpusOptions {
  /** Merges applied on both sides before intersecting, e.g. `{ calm: "neutral" }`. */
  merge?: Partial<Record<Emotion, Emotion>>;
  /** Name of the training corpus, for messages (default `"train"`). */
  trainName?: string;
  /** Name of the test corpus, for messages (default `"test"`). */
  testName?: string;
}

/** How one corpus's labels map onto the shared evaluation labels. */
export interface CorpusLabelMap {
  /** Corpus name, for messages. */
  name: string;
  /** The corpus's own labels, as given (for the model side: output order). */
  labels: string[];
  /** Each own label → its shared evaluation label, or null if dropped. */
  toShared: Record<string, Emotion | null>;
  /** Own labels renamed by a merge, as `[label, merged emotion]` pairs. */
  merged: [string, Emotion][];
  /** Own labels left out because the other corpus lacks their emotion. */
  dropped: string[];
}

/** The result of {@linkcode mapLabelSets}. */
export interface CrossCorpusMapping {
  /** The evaluation labels: emotions both sides have, in vocabulary order. */
  labels: Emotion[];
  /** Mapping of the training corpus's (the model's) labels. */
  train: CorpusLabelMap;
  /** Mapping of the test corpus's labels. */
  test: CorpusLabelMap;
}

/** Test samples kept by {@linkcode restrictSamples}. */
export interface RestrictedSamples {
  /** Indices (into the input) of the samples kept. */
  indices: number[];
  /** Their labels in the shared vocabulary. */
  yTrue: Emotion[];
  /** Number of samples dropped, per original label. */
  droppedCounts: Record<string, number>;
}

/** Probabilities re-expressed over the shared labels. */
export interface MappedPredictions {
  /** One row per sample over `mapping.labels`, summing to 1. */
  probabilities: number[][];
  /** The most probable shared label of each sample. */
  predicted: Emotion[];
}

function toVocabulary(label: string, corpus: string): Emotion {
  const e = isEmotion(label) ? label : emotionFromWord(label);
  if (e === undefined) {
    throw new Error(
      `${corpus}: label "${label}" is not in the shared vocabulary (${
        EMOTIONS.join(", ")
      })`,
    );
  }
  return e;
}

function sideMap(
  name: string,
  labels: readonly string[],
  merge: CrossCorpusOptions["merge"],
): { labels: string[]; emotions: Map<string, Emotion> } {
  if (labels.length === 0) throw new Error(`${name}: no labels`);
  const emotions = new Map<string, Emotion>();
  for (const l of labels) {
    if (emotions.has(l)) throw new Error(`${name}: label "${l}" listed twice`);
    emotions.set(l, applyLabelOptions(toVocabulary(l, name), { merge })!);
  }
  return { labels: [...labels], emotions };
}

function finish(
  name: string,
  side: { labels: string[]; emotions: Map<string, Emotion> },
  shared: Set<Emotion>,
): CorpusLabelMap {
  const toShared: Record<string, Emotion | null> = {};
  const merged: [string, Emotion][] = [];
  const dropped: string[] = [];
  for (const l of side.labels) {
    const e = side.emotions.get(l)!;
    const plain = toVocabulary(l, name);
    if (plain !== e) merged.push([l, e]);
    toShared[l] = shared.has(e) ? e : null;
    if (!shared.has(e)) dropped.push(l);
  }
  return { name, labels: side.labels, toShared, merged, dropped };
}

/**
 * Maps the label sets of a training and a test corpus onto the shared
 * vocabulary (labels may be vocabulary names or known words such as `fear`,
 * `anger`), applies `merge`, and keeps the emotions both sides have. A label
 * that maps to no emotion is an error naming it and its corpus; an empty
 * intersection is an error listing both sides.
 */
export function mapLabelSets(
  trainLabels: readonly string[],
  testLabels: readonly string[],
  options: CrossCorpusOptions = {},
): CrossCorpusMapping {
  validateLabelOptions({ merge: options.merge });
  const trainName = options.trainName ?? "train";
  const testName = options.testName ?? "test";
  const a = sideMap(trainName, trainLabels, options.merge);
  const b = sideMap(testName, testLabels, options.merge);
  const inB = new Set(b.emotions.values());
  const shared = new Set([...a.emotions.values()].filter((e) => inB.has(e)));
  if (shared.size === 0) {
    throw new Error(
      `${trainName} (${[...a.emotions.values()].join(", ")}) and ${testName} (${
        [...inB].join(", ")
      }) share no emotion`,
    );
  }
  return {
    labels: EMOTIONS.filter((e) => shared.has(e)),
    train: finish(trainName, a, shared),
    test: finish(testName, b, shared),
  };
}

/**
 * Keeps the test samples whose label maps to a shared emotion and returns
 * their indices and shared labels, with a count of what was dropped. A label
 * not in the test corpus's label set is an error naming it.
 */
export function restrictSamples(
  mapping: CrossCorpusMapping,
  yTrue: readonly string[],
): RestrictedSamples {
  const indices: number[] = [];
  const labels: Emotion[] = [];
  const droppedCounts: Record<string, number> = {};
  yTrue.forEach((l, i) => {
    if (!Object.hasOwn(mapping.test.toShared, l)) {
      throw new Error(
        `${mapping.test.name}: sample ${i} has label "${l}", not among ${
          mapping.test.labels.join(", ")
        }`,
      );
    }
    const e = mapping.test.toShared[l];
    if (e === null) droppedCounts[l] = (droppedCounts[l] ?? 0) + 1;
    else {
      indices.push(i);
      labels.push(e);
    }
  });
  return { indices, yTrue: labels, droppedCounts };
}

/**
 * Re-expresses the model's class probabilities (rows over
 * `mapping.train.labels`, the model's output order) over the shared labels:
 * merged classes are summed, classes outside the shared set are left out,
 * and each row is renormalised to sum to 1. The prediction is the arg max.
 */
export function mapProbabilities(
  mapping: CrossCorpusMapping,
  probabilities: readonly ArrayLike<number>[],
): MappedPredictions {
  const n = mapping.train.labels.length;
  const column = new Map(mapping.labels.map((e, j) => [e, j]));
  const target = mapping.train.labels.map((l) => {
    const e = mapping.train.toShared[l];
    return e === null ? -1 : column.get(e)!;
  });
  const rows = probabilities.map((p, i) => {
    if (p.length !== n) {
      throw new Error(
        `${mapping.train.name}: probability row ${i} has ${p.length} values, the model has ${n} classes`,
      );
    }
    const row = new Array<number>(mapping.labels.length).fill(0);
    for (let k = 0; k < n; k++) if (target[k] >= 0) row[target[k]] += p[k];
    const sum = row.reduce((s, v) => s + v, 0);
    if (!(sum > 0)) {
      throw new Error(
        `${mapping.train.name}: probability row ${i} puts no mass on ${
          mapping.labels.join(", ")
        }`,
      );
    }
    return row.map((v) => v / sum);
  });
  const predicted = rows.map((r) => mapping.labels[argmax(r)]);
  return { probabilities: rows, predicted };
}

/** One-paragraph description of a mapping: shared labels, merges, drops. */
export function describeMapping(mapping: CrossCorpusMapping): string {
  const side = (s: CorpusLabelMap) => {
    const parts = [`${s.name}: ${s.labels.length} labels`];
    if (s.merged.length > 0) {
      parts.push(`merged ${s.merged.map(([l, e]) => `${l}→${e}`).join(", ")}`);
    }
    parts.push(
      s.dropped.length > 0 ? `dropped ${s.dropped.join(", ")}` : "none dropped",
    );
    return parts.join("; ");
  };
  return [
    `evaluated on ${mapping.labels.length} shared emotions: ${
      mapping.labels.join(", ")
    }`,
    side(mapping.train),
    side(mapping.test),
  ].join("\n") + "\n";
}
