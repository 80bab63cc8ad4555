/**
 * Classification metrics for emotion labels: accuracy, UAR, per-class
 * precision / recall / F1 / support, macro and weighted averages and the
 * confusion matrix — computed as scikit-learn computes them.
 *
 * Conventions (those of scikit-learn's defaults):
 * - Precision of a class that is never predicted, recall of a class with no
 *   true samples, and F1 where precision + recall is 0 are reported as 0
 *   (`zero_division` left at its default, which reports 0).
 * - UAR (unweighted average recall, = `balanced_accuracy_score`) is the mean
 *   recall over the classes that have at least one true sample: classes with
 *   zero support are left out (scikit-learn ignores them and warns); they are
 *   listed in {@linkcode ClassificationMetrics.zeroSupportLabels}.
 * - Macro averages run over every label in `labels`, zero-support classes
 *   included (as `classification_report(..., labels=labels)` does); weighted
 *   averages weight each class by its support.
 * - The row-normalised confusion matrix divides each row (true class) by its
 *   total; a row with no samples stays all zeros.
 *
 * @module
 */

/** Precision, recall, F1 and support of one class (or an average of them). */
export interface ClassScores {
  /** True positives / predicted positives (0 when never predicted). */
  precision: number;
  /** True positives / actual positives (0 when the class has no samples). */
  recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  f1: number;
  /** Number of true samples (for averages: all samples). */
  support: number;
}

/** Everything {@linkcode evaluate} measures on one set of predictions. */
export interface ClassificationMetrics {
  /** The class labels, in the order used by every per-class field. */
  labels: string[];
  /** Fraction of samples predicted correctly. */
  accuracy: number;
  /** Unweighted average recall over the classes with support (balanced accuracy). */
  uar: number;
  /** Scores of each class, in `labels` order. */
  perClass: ClassScores[];
  /** Unweighted mean of the per-class scores over all labels. */
  macroAvg: ClassScores;
  /** Support-weighted mean of the per-class scores. */
  weightedAvg: ClassScores;
  /** Counts: `confusion[i][j]` = samples of true class i predicted as class j. */
  confusion: number[][];
  /** `confusion` with each row divided by its total (empty rows stay 0). */
  confusionNormalized: number[][];
  /** Labels with no true samples (left out of the UAR). */
  zeroSupportLabels: string[];
  /** Total number of samples. */
  total: number;
}

/** The `--json` shape of a metrics set (snake_case, as the CLI prints it). */
export interface MetricsJson {
  /** Fraction correct. */
  accuracy: number;
  /** Unweighted average recall. */
  uar: number;
  /** Macro-averaged F1. */
  macro_f1: number;
  /** Support-weighted F1. */
  weighted_f1: number;
  /** Per-class scores by label. */
  per_class: Record<
    string,
    { precision: number; recall: number; f1: number; support: number }
  >;
  /** Confusion counts (rows: true, columns: predicted). */
  confusion: { labels: string[]; matrix: number[][] };
}

/** Options of {@linkcode evaluate}. */
export interface EvaluateOptions {
  /**
   * The class labels (emotion names). Numeric `yTrue` / `yPred` entries are
   * indices into this list.
   */
  labels: readonly string[];
  /** Name of the data the labels come from, used in error messages. */
  source?: string;
}

/** Options of {@linkcode classificationReport}. */
export interface ReportOptions {
  /** Digits after the decimal point (scikit-learn's `digits`, default 2). */
  digits?: number;
}

function checkLabels(labels: readonly string[], source: string): void {
  if (labels.length === 0) {
    throw new Error(`${source}: the label list is empty`);
  }
  const seen = new Set<string>();
  for (const l of labels) {
    if (seen.has(l)) {
      throw new Error(
        `${source}: label "${l}" appears twice in the label list`,
      );
    }
    seen.add(l);
  }
}

function toIndices(
  values: readonly (string | number)[],
  labels: readonly string[],
  what: string,
  source: string,
): number[] {
  const index = new Map(labels.map((l, i) => [l, i]));
  return values.map((v, k) => {
    if (typeof v === "number") {
      if (!Number.isInteger(v) || v < 0 || v >= labels.length) {
        throw new Error(
          `${source}: ${what}[${k}] = ${v} is not a class index (0..${
            labels.length - 1
          })`,
        );
      }
      return v;
    }
    const i = index.get(v);
    if (i === undefined) {
      throw new Error(
        `${source}: unknown label "${v}" in ${what}[${k}] (known: ${
          labels.join(", ")
        })`,
      );
    }
    return i;
  });
}

/**
 * Builds the confusion matrix (rows: true class, columns: predicted class)
 * of two label vectors. String entries must be in `labels`; numeric entries
 * are indices into `labels`. Unknown labels are an error naming them.
 */
export function confusionMatrix(
  yTrue: readonly (string | number)[],
  yPred: readonly (string | number)[],
  options: EvaluateOptions,
): number[][] {
  const source = options.source ?? "evaluate";
  checkLabels(options.labels, source);
  if (yTrue.length !== yPred.length) {
    throw new Error(
      `${source}: ${yTrue.length} true labels but ${yPred.length} predictions`,
    );
  }
  if (yTrue.length === 0) throw new Error(`${source}: no samples to evaluate`);
  const t = toIndices(yTrue, options.labels, "yTrue", source);
  const p = toIndices(yPred, options.labels, "yPred", source);
  const n = options.labels.length;
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let k = 0; k < t.length; k++) m[t[k]][p[k]]++;
  return m;
}

function average(
  scores: readonly ClassScores[],
  weights: readonly number[],
): ClassScores {
  const wSum = weights.reduce((a, b) => a + b, 0);
  const mean = (key: "precision" | "recall" | "f1") =>
    wSum === 0
      ? 0
      : scores.reduce((acc, s, i) => acc + s[key] * weights[i], 0) / wSum;
  return {
    precision: mean("precision"),
    recall: mean("recall"),
    f1: mean("f1"),
    support: scores.reduce((acc, s) => acc + s.support, 0),
  };
}

/**
 * Computes every metric from a confusion matrix of counts (rows: true class,
 * columns: predicted class, both in `labels` order). Used by
 * {@linkcode evaluate} and to pool cross-validation folds.
 */
export function metricsFromConfusion(
  labels: readonly string[],
  confusion: readonly (readonly number[])[],
): ClassificationMetrics {
  const n = labels.length;
  checkLabels(labels, "confusion matrix");
  if (confusion.length !== n || confusion.some((r) => r.length !== n)) {
    throw new Error(
      `confusion matrix: expected ${n}×${n} for labels ${labels.join(", ")}`,
    );
  }
  const rowSums = confusion.map((r) => r.reduce((a, b) => a + b, 0));
  const colSums = labels.map((_, j) => confusion.reduce((a, r) => a + r[j], 0));
  const total = rowSums.reduce((a, b) => a + b, 0);
  if (total === 0) throw new Error("confusion matrix: no samples");
  let correct = 0;
  const perClass: ClassScores[] = labels.map((_, i) => {
    const tp = confusion[i][i];
    correct += tp;
    const precision = colSums[i] === 0 ? 0 : tp / colSums[i];
    const recall = rowSums[i] === 0 ? 0 : tp / rowSums[i];
    // scikit-learn 1.2's form: 2·P·R / (P + R), 0 when P + R is 0.
    const pr = precision + recall;
    const f1 = pr === 0 ? 0 : (2 * precision * recall) / pr;
    return { precision, recall, f1, support: rowSums[i] };
  });
  const withSupport = perClass.filter((s) => s.support > 0);
  const uar = withSupport.reduce((a, s) => a + s.recall, 0) /
    withSupport.length;
  return {
    labels: [...labels],
    accuracy: correct / total,
    uar,
    perClass,
    macroAvg: average(perClass, perClass.map(() => 1)),
    weightedAvg: average(perClass, rowSums),
    confusion: confusion.map((r) => [...r]),
    confusionNormalized: confusion.map((r, i) =>
      r.map((c) => rowSums[i] === 0 ? 0 : c / rowSums[i])
    ),
    zeroSupportLabels: labels.filter((_, i) => rowSums[i] === 0),
    total,
  };
}

/**
 * Scores predictions against true labels. Both vectors hold emotion names
 * from `options.labels` (or indices into it); a label outside the list is an
 * error naming it.
 *
 * @example
 * ```ts
 * const m = evaluate(["sad", "happy"], ["sad", "sad"], { labels: ["happy", "sad"] });
 * m.accuracy; // 0.5
 * ```
 */
export function evaluate(
  yTrue: readonly string[] | readonly number[],
  yPred: readonly string[] | readonly number[],
  options: EvaluateOptions,
): ClassificationMetrics {
  return metricsFromConfusion(
    options.labels,
    confusionMatrix(yTrue, yPred, options),
  );
}

/**
 * Formats `x` with `digits` decimals the way Python's `format(x, ".{d}f")`
 * does: exact binary value, ties (only possible when the value is exactly
 * representable, e.g. 0.125) rounded half to even. JavaScript's `toFixed`
 * rounds such ties up, so 0.125 would print 0.13 where Python prints 0.12.
 */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return String(x);
  const exact = x.toFixed(Math.min(100, digits + 30));
  const dot = exact.indexOf(".");
  const tail = exact.slice(dot + 1 + digits);
  if (/^50*$/.test(tail)) {
    const kept = exact.slice(0, dot + 1 + digits).replace(/\.$/, "");
    const lastDigit = Number(kept[kept.length - 1]);
    if (lastDigit % 2 === 0) return kept;
  }
  return x.toFixed(digits);
}

/**
 * Renders `metrics` as text laid out exactly like scikit-learn's
 * `classification_report(y_true, y_pred, labels=labels, digits=digits)`:
 * one row per class, then the accuracy, macro avg and weighted avg rows (a
 * "micro avg" row instead of "accuracy" when some label occurs neither in
 * the true labels nor in the predictions, as scikit-learn does).
 */
export function classificationReport(
  metrics: ClassificationMetrics,
  options: ReportOptions = {},
): string {
  const digits = options.digits ?? 2;
  const heading = "weighted avg";
  const width = Math.max(
    ...metrics.labels.map((l) => l.length),
    heading.length,
    digits,
  );
  const num = (x: number) => formatFixed(x, digits).padStart(9);
  const int = (x: number) => String(x).padStart(9);
  const row = (name: string, s: ClassScores) =>
    `${name.padStart(width)}  ${num(s.precision)} ${num(s.recall)} ${
      num(s.f1)
    } ${int(s.support)}\n`;
  let out = `${"".padStart(width)}  ${
    ["precision", "recall", "f1-score", "support"].map((h) => h.padStart(9))
      .join(" ")
  }\n\n`;
  metrics.labels.forEach((l, i) => out += row(l, metrics.perClass[i]));
  out += "\n";
  // scikit-learn titles the micro average "accuracy" only when every label
  // occurs in y_true or y_pred; otherwise it prints a full "micro avg" row
  // (its precision, recall and F1 all equal the accuracy here).
  const unseen = metrics.labels.some((_, j) =>
    metrics.perClass[j].support === 0 &&
    metrics.confusion.every((r) => r[j] === 0)
  );
  const a = metrics.accuracy;
  out += unseen
    ? row("micro avg", {
      precision: a,
      recall: a,
      f1: a,
      support: metrics.total,
    })
    : `${"accuracy".padStart(width)}  ${"".padStart(9)} ${"".padStart(9)} ${
      num(a)
    } ${int(metrics.total)}\n`;
  out += row("macro avg", metrics.macroAvg);
  out += row(heading, metrics.weightedAvg);
  return out;
}

/**
 * The `--json` shape of `metrics`: `{accuracy, uar, macro_f1, weighted_f1,
 * per_class: {<label>: {precision, recall, f1, support}}, confusion:
 * {labels, matrix}}`.
 */
export function toJson(metrics: ClassificationMetrics): MetricsJson {
  const perClass: MetricsJson["per_class"] = {};
  metrics.labels.forEach((l, i) => {
    const s = metrics.perClass[i];
    perClass[l] = {
      precision: s.precision,
      recall: s.recall,
      f1: s.f1,
      support: s.support,
    };
  });
  return {
    accuracy: metrics.accuracy,
    uar: metrics.uar,
    macro_f1: metrics.macroAvg.f1,
    weighted_f1: metrics.weightedAvg.f1,
    per_class: perClass,
    confusion: {
      labels: [...metrics.labels],
      matrix: metrics.confusion.map((r) => [...r]),
    },
  };
}
