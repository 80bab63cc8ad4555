/**
 * Cross-validation summaries (mean ± sample standard deviation over folds,
 * pooled confusion) and side-by-side comparison of two runs — the pieces the
 * leave-speakers-out evaluation and the leakage audit print.
 *
 * @module
 */
import {
  type ClassificationMetrics,
  formatFixed,
  metricsFromConfusion,
  type MetricsJson,
  toJson,
} from "./metrics.ts";

/** Mean and sample standard deviation of one metric over folds. */
export interface FoldStat {
  /** Arithmetic mean over folds. */
  mean: number;
  /** Sample standard deviation (n − 1 denominator); NaN for a single fold. */
  std: number;
  /** The per-fold values, in fold order. */
  values: number[];
}

/** The headline metrics summarised by {@linkcode summarizeFolds}. */
export const SUMMARY_METRICS = [
  "accuracy",
  "uar",
  "macroF1",
  "weightedF1",
] as const;

/** Name of one headline metric. */
export type SummaryMetric = typeof SUMMARY_METRICS[number];

/** Display names of the headline metrics. */
const METRIC_TITLES: Record<SummaryMetric, string> = {
  accuracy: "accuracy",
  uar: "UAR",
  macroF1: "macro-F1",
  weightedF1: "weighted-F1",
};

/** One fold's result, optionally named (e.g. the held-out speakers). */
export interface FoldResult {
  /** Label of the fold for tables, e.g. `"actors 01,02"`. */
  name?: string;
  /** The fold's test-set metrics. */
  metrics: ClassificationMetrics;
}

/** Summary of a cross-validation run. */
export interface CrossValidationSummary {
  /** Class labels shared by every fold. */
  labels: string[];
  /** Fold names (`fold 1`, … where not given). */
  foldNames: string[];
  /** Mean ± std of each headline metric over folds. */
  stats: Record<SummaryMetric, FoldStat>;
  /** The metrics of all folds' predictions pooled into one confusion matrix. */
  pooled: ClassificationMetrics;
}

/** Options for the text tables. */
export interface TableOptions {
  /** Digits after the decimal point (default 3). */
  digits?: number;
}

/** Mean and sample standard deviation of `values` (std NaN when n < 2). */
export function meanStd(values: readonly number[]): FoldStat {
  if (values.length === 0) throw new Error("meanStd: no values");
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n < 2
    ? NaN
    : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { mean, std, values: [...values] };
}

/** The value of one headline metric in a metrics set. */
export function headline(
  metrics: ClassificationMetrics,
  metric: SummaryMetric,
): number {
  switch (metric) {
    case "accuracy":
      return metrics.accuracy;
    case "uar":
      return metrics.uar;
    case "macroF1":
      return metrics.macroAvg.f1;
    case "weightedF1":
      return metrics.weightedAvg.f1;
  }
}

/**
 * Summarises folds: mean ± sample std of accuracy, UAR, macro-F1 and
 * weighted-F1 per fold, and the metrics of the pooled confusion matrix (the
 * sum of the folds' matrices). Every fold must use the same labels in the
 * same order.
 */
export function summarizeFolds(
  folds: readonly FoldResult[],
): CrossValidationSummary {
  if (folds.length === 0) throw new Error("cross-validation: no folds");
  const labels = folds[0].metrics.labels;
  const foldNames = folds.map((f, i) => f.name ?? `fold ${i + 1}`);
  folds.forEach((f, i) => {
    if (f.metrics.labels.join("\u0000") !== labels.join("\u0000")) {
      throw new Error(
        `cross-validation: ${foldNames[i]} has labels ${
          f.metrics.labels.join(", ")
        } but ${foldNames[0]} has ${labels.join(", ")}`,
      );
    }
  });
  const pooled = labels.map((_, i) =>
    labels.map((_, j) =>
      folds.reduce((acc, f) => acc + f.metrics.confusion[i][j], 0)
    )
  );
  const stats = Object.fromEntries(
    SUMMARY_METRICS.map((
      m,
    ) => [m, meanStd(folds.map((f) => headline(f.metrics, m)))]),
  ) as Record<SummaryMetric, FoldStat>;
  return {
    labels: [...labels],
    foldNames,
    stats,
    pooled: metricsFromConfusion(labels, pooled),
  };
}

/** Mean, sample std (null for a single fold) and per-fold values, as JSON. */
export interface FoldStatJson {
  /** Mean over folds. */
  mean: number;
  /** Sample standard deviation; null when there is one fold. */
  std: number | null;
  /** Per-fold values. */
  values: number[];
}

/** The JSON shape of a cross-validation summary (snake_case, like `toJson`). */
export interface CrossValidationJson {
  /** Fold names, in order. */
  folds: string[];
  /** Accuracy over folds. */
  accuracy: FoldStatJson;
  /** UAR over folds. */
  uar: FoldStatJson;
  /** Macro-F1 over folds. */
  macro_f1: FoldStatJson;
  /** Weighted-F1 over folds. */
  weighted_f1: FoldStatJson;
  /** Metrics of the pooled confusion matrix, in `toJson`'s shape. */
  pooled: MetricsJson;
}

/** A cross-validation summary as JSON (for `--json` outputs). */
export function crossValidationToJson(
  summary: CrossValidationSummary,
): CrossValidationJson {
  const stat = (m: SummaryMetric): FoldStatJson => {
    const s = summary.stats[m];
    return {
      mean: s.mean,
      std: Number.isNaN(s.std) ? null : s.std,
      values: [...s.values],
    };
  };
  return {
    folds: [...summary.foldNames],
    accuracy: stat("accuracy"),
    uar: stat("uar"),
    macro_f1: stat("macroF1"),
    weighted_f1: stat("weightedF1"),
    pooled: toJson(summary.pooled),
  };
}

/** Lays out rows of cells as a text table: first column left, others right. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) =>
    Math.max(...rows.map((r) => r[c].length))
  );
  return rows.map((r) =>
    r.map((cell, c) =>
      c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])
    ).join("  ").trimEnd()
  ).join("\n") + "\n";
}

function formatStat(s: FoldStat, digits: number): string {
  const std = Number.isNaN(s.std) ? "n/a" : formatFixed(s.std, digits);
  return `${formatFixed(s.mean, digits)} ± ${std}`;
}

/** Formats a confusion matrix of counts with its labels as a text table. */
export function formatConfusion(
  labels: readonly string[],
  matrix: readonly (readonly number[])[],
): string {
  return formatTable([
    ["true \\ pred", ...labels],
    ...labels.map((l, i) => [l, ...matrix[i].map(String)]),
  ]);
}

/**
 * Formats a cross-validation summary: one row per fold, the mean ± std row,
 * the pooled row, then the pooled confusion matrix.
 */
export function formatCrossValidation(
  summary: CrossValidationSummary,
  options: TableOptions = {},
): string {
  const digits = options.digits ?? 3;
  const header = ["fold", ...SUMMARY_METRICS.map((m) => METRIC_TITLES[m])];
  const foldRows = summary.foldNames.map((name, i) => [
    name,
    ...SUMMARY_METRICS.map((m) =>
      formatFixed(summary.stats[m].values[i], digits)
    ),
  ]);
  const meanRow = [
    "mean ± std",
    ...SUMMARY_METRICS.map((m) => formatStat(summary.stats[m], digits)),
  ];
  const pooledRow = [
    "pooled",
    ...SUMMARY_METRICS.map((m) =>
      formatFixed(headline(summary.pooled, m), digits)
    ),
  ];
  return formatTable([header, ...foldRows, meanRow, pooledRow]) +
    "\npooled confusion (rows: true, columns: predicted)\n" +
    formatConfusion(summary.labels, summary.pooled.confusion);
}

/** One row of a {@linkcode RunComparison}. */
export interface ComparisonRow {
  /** Metric name, e.g. `UAR` or `F1 angry`. */
  metric: string;
  /** Value in the first run (the mean, for a cross-validation summary). */
  a: number;
  /** Value in the second run. */
  b: number;
  /** `a − b`: for a random split vs a speaker split, the leakage inflation. */
  gap: number;
}

/** Two runs side by side (see {@linkcode compareRuns}). */
export interface RunComparison {
  /** Names of the two runs, e.g. `["random split", "speaker split"]`. */
  names: [string, string];
  /** Headline metrics, then per-class F1 of the labels both runs share. */
  rows: ComparisonRow[];
  /** The rows laid out as a text table. */
  table: string;
}

/** A single run's metrics or a cross-validation summary. */
export type RunResult = ClassificationMetrics | CrossValidationSummary;

function isSummary(r: RunResult): r is CrossValidationSummary {
  return "stats" in r;
}

function headlineOf(r: RunResult, m: SummaryMetric): FoldStat {
  return isSummary(r)
    ? r.stats[m]
    : { mean: headline(r, m), std: NaN, values: [headline(r, m)] };
}

function perClassF1(r: RunResult): Map<string, number> {
  const m = isSummary(r) ? r.pooled : r;
  return new Map(m.labels.map((l, i) => [l, m.perClass[i].f1]));
}

/**
 * Puts two runs side by side — for the leakage audit, the same config
 * trained with a random split (`a`) and with a speaker split (`b`) — with
 * the gap `a − b` for accuracy, UAR, macro-F1, weighted-F1 and the F1 of
 * each class both runs have. A cross-validation summary contributes its
 * means (shown with ± std) and its pooled per-class F1.
 */
export function compareRuns(
  a: RunResult,
  b: RunResult,
  names: [string, string],
  options: TableOptions = {},
): RunComparison {
  const digits = options.digits ?? 3;
  const cell = (s: FoldStat) =>
    Number.isNaN(s.std) ? formatFixed(s.mean, digits) : formatStat(s, digits);
  const signed = (x: number) => (x > 0 ? "+" : "") + formatFixed(x, digits);
  const rows: ComparisonRow[] = [];
  const text: string[][] = [["metric", names[0], names[1], "gap"]];
  for (const m of SUMMARY_METRICS) {
    const sa = headlineOf(a, m);
    const sb = headlineOf(b, m);
    rows.push({
      metric: METRIC_TITLES[m],
      a: sa.mean,
      b: sb.mean,
      gap: sa.mean - sb.mean,
    });
    text.push([
      METRIC_TITLES[m],
      cell(sa),
      cell(sb),
      signed(sa.mean - sb.mean),
    ]);
  }
  const fa = perClassF1(a);
  const fb = perClassF1(b);
  for (const [label, va] of fa) {
    const vb = fb.get(label);
    if (vb === undefined) continue;
    rows.push({ metric: `F1 ${label}`, a: va, b: vb, gap: va - vb });
    text.push([
      `F1 ${label}`,
      formatFixed(va, digits),
      formatFixed(vb, digits),
      signed(va - vb),
    ]);
  }
  return { names: [names[0], names[1]], rows, table: formatTable(text) };
}
