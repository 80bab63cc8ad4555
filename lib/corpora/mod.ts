/**
 * Corpora: the shared emotion vocabulary and its per-corpus mapping, one
 * indexer per corpus (RAVDESS, TESS, CREMA-D, SAVEE, EmoDB, folder-per-label,
 * CSV manifest), corpus detection, scanning into a nodejs-polars manifest,
 * and the seeded synthetic demo corpus.
 *
 * @module
 */
export * from "./emotions.ts";
export type {
  Candidate,
  CorpusIndexer,
  CorpusName,
  Gender,
  Utterance,
  UtteranceLabel,
} from "./types.ts";
export { CorpusError } from "./errors.ts";
export { AUDIO_EXTENSIONS, listAudioFiles } from "./files.ts";
export {
  formatRavdessName,
  parseRavdessName,
  ravdessEmotionCode,
  type RavdessFields,
  ravdessIndexer,
  type RavdessNameOptions,
} from "./ravdess.ts";
export { parseTessName, tessIndexer } from "./tess.ts";
export {
  CREMAD_SENTENCES,
  cremadIndexer,
  parseCremadName,
  readCremadDemographics,
} from "./cremad.ts";
export { parseSaveeName, SAVEE_SPEAKERS, saveeIndexer } from "./savee.ts";
export { EMODB_SPEAKERS, emodbIndexer, parseEmodbName } from "./emodb.ts";
export { folderIndexer, parseFolderPath } from "./folder.ts";
export {
  CSV_REQUIRED_COLUMNS,
  csvIndexer,
  parseCsvRow,
  readCsvManifest,
  readManifestPaths,
} from "./csv.ts";
export { detectCorpus, INDEXERS } from "./detect.ts";
export {
  errorsFrame,
  MANIFEST_COLUMNS,
  manifestFrame,
  type ScanError,
} from "./manifest.ts";
export {
  PROGRESS_MIN_FILES,
  scanCorpus,
  type ScannedSource,
  type ScanOptions,
  type ScanResult,
} from "./scan.ts";
export {
  type CorpusSummary,
  type ScanSummary,
  summarizeScan,
} from "./summary.ts";
export {
  isSyntheticCorpus,
  SYNTHETIC_MARKER,
  syntheticIndexer,
} from "./synthetic_index.ts";
export {
  ensureDemoCorpus,
  generateSyntheticCorpus,
  readSyntheticManifest,
  synthesizeClip,
  SYNTHETIC_EMOTIONS,
  SYNTHETIC_VERSION,
  type SyntheticClip,
  syntheticClipPath,
  syntheticClips,
  type SyntheticManifest,
  type SyntheticOptions,
} from "./synthetic.ts";
export {
  EMOTION_PROFILES,
  type EmotionProfile,
  profileFor,
  STRONG_FACTOR,
  type SynthEmotion,
} from "./synth_profiles.ts";
