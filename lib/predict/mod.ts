/**
 * Prediction: loading a model directory (the newest under `models/` by
 * default) and predicting files or samples with the card's exact feature
 * config, with a sliding-window timeline and silence marking for long
 * recordings.
 *
 * @module
 */
export {
  type ClassProbabilities,
  loadPredictor,
  type LoadPredictorOptions,
  MAX_BATCH,
  MIN_DURATION_S,
  type ModelSource,
  type Prediction,
  type PredictOptions,
  type Predictor,
  type PredictSamplesOptions,
  type TimelineWindow,
  type Windowing,
} from "./predictor.ts";
export {
  DEFAULT_SILENCE_DB,
  peakLevelDb,
  type SampleSpan,
  SILENT_CLIP_DBFS,
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
