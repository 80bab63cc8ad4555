/**
 * The run directory — what training writes and everything downstream reads:
 * its layout, the model card (typed, one builder, one checked reader), the
 * history and resumable checkpoint, finding the newest model, and opening a
 * model directory for prediction.
 *
 * @module
 */
export {
  CARD_JSON,
  CHECKPOINT_DIR,
  defaultRunName,
  foldDirName,
  foldNumber,
  HISTORY_JSON,
  OPTIMIZER_BIN,
  OPTIMIZER_JSON,
  REFIT_DIR,
  runDirOf,
  STATE_JSON,
} from "./layout.ts";
export {
  CARD_VERSION,
  type CardData,
  type CardFields,
  type CardMetrics,
  type CardSplit,
  type CardTrainConfig,
  type CardTraining,
  createCard,
  IN_PROGRESS,
  isFinished,
  type ModelCard,
  readCard,
  recipeOf,
  testClipsOf,
  TOOLKIT_VERSION,
  writeCard,
} from "./card.ts";
export {
  type Checkpoint,
  type EpochRecord,
  hasCheckpoint,
  identityDifferences,
  loadCheckpoint,
  readHistory,
  type RunIdentity,
  saveCheckpoint,
  type TrainState,
  writeHistory,
} from "./checkpoint.ts";
export {
  findModelDir,
  foldTestMetrics,
  type FoundModel,
  listModelDirs,
  type ModelDirEntry,
  type ModelRun,
  newestModelDir,
  resolveModelRun,
} from "./find.ts";
export { openMember, openModelDir } from "./open.ts";
export {
  memberFromArtifacts,
  modelFacts,
  type OpenedMember,
  type OpenedModel,
} from "./member.ts";
export {
  type Ensemble,
  ENSEMBLE_JSON,
  ENSEMBLE_VERSION,
  type EnsembleManifest,
  isEnsembleDir,
  readEnsemble,
  writeEnsemble,
} from "./ensemble.ts";
export { type ClaimOptions, claimRunDir, modelDirsOf } from "./claim.ts";
