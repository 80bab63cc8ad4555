/**
 * Prediction: loading a model directory (the newest under `models/` by
 * default) and predicting files or samples with the card's exact feature
 * config, with a sliding-window timeline and silence marking for long
 * recordings.
 *
 * @module
 */
export {
  loadPredictor,
  type LoadPredictorOptions,
  type ModelSource,
  type Predictor,
} from "./predictor.ts";
export {
  type ClassProbabilities,
  MAX_BATCH,
  meanRows,
  MIN_DURATION_S,
  type Prediction,
  type PredictOptions,
  type PredictSamplesOptions,
  SamplePredictor,
  type SamplesModel,
  type TimelineWindow,
  type Windowing,
} from "./samples.ts";
export {
  DEFAULT_SILENCE_DB,
  peakLevelDb,
  type SampleSpan,
  SILENT_CLIP_DBFS,
  silentLevels,
  silentWindows,
} from "./level.ts";
export { slidingWindows } from "./windows.ts";
export {
  RAVDESS_LABELS,
  type UntrainedModelOptions,
  writeUntrainedModel,
} from "./untrained.ts";
export {
  expandInputs,
  type FailedEntry,
  formatPredictions,
  isFailed,
  type PredictedEntry,
  type PredictEntry,
  predictPaths,
  type PredictPathsOptions,
} from "./files.ts";
export {
  evaluateModelOn,
  type EvaluateModelOptions,
  evaluatePredictor,
  type EvaluatePredictorOptions,
  unheardClips,
} from "./evaluate.ts";
export {
  LIVE_HOP_S,
  LiveTimeline,
  type LiveTimelineOptions,
  type LiveUpdate,
} from "./live.ts";
