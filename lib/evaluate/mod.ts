/**
 * Evaluation: metrics (accuracy, UAR, per-class P/R/F1, confusion), the
 * scikit-learn-style classification report and `--json` shape,
 * cross-validation summaries and run comparison, and label-set mapping for
 * cross-corpus evaluation, and corpus evaluation orchestration. (The leakage
 * audit, which trains, is in `lib/train/audit.ts`.)
 *
 * @module
 */
export {
  type ClassificationMetrics,
  classificationReport,
  type ClassScores,
  confusionMatrix,
  evaluate,
  type EvaluateOptions,
  formatFixed,
  metricsFromConfusion,
  type MetricsJson,
  type ReportOptions,
  toJson,
} from "./metrics.ts";
export {
  compareRuns,
  type ComparisonRow,
  type CrossValidationJson,
  type CrossValidationSummary,
  crossValidationToJson,
  type FoldResult,
  type FoldStat,
  type FoldStatJson,
  formatConfusion,
  formatCrossValidation,
  formatTable,
  headline,
  meanStd,
  type RunComparison,
  type RunResult,
  summarizeFolds,
  SUMMARY_METRICS,
  type SummaryMetric,
  type TableOptions,
} from "./crossval.ts";
export {
  type CorpusLabelMap,
  type CrossCorpusMapping,
  type CrossCorpusOptions,
  describeMapping,
  mapLabelSets,
  type MappedPredictions,
  mapProbabilities,
  type RestrictedSamples,
  restrictSamples,
} from "./labels.ts";
export {
  type ClipError,
  type ClipPredictor,
  type CorpusEvaluation,
  type CorpusEvaluationOptions,
  evaluateCorpus,
  type EvaluatedClip,
  type EvaluatedModel,
  isCrossCorpus,
  type LabelledClip,
  leakageWarning,
} from "./cross_corpus.ts";
