/**
 * Features: the typed config, librosa-matching and Meyda MFCC / log-mel,
 * deltas, normalisation, fixed-length framing, descriptors, batch
 * extraction and the on-disk cache (the DSP they build on is `lib/dsp/`).
 *
 * @module
 */
export * from "./config.ts";
export { extractionConfigHash, featureConfigHash } from "./config_hash.ts";
export * from "./framing.ts";
export { baseFeatures, extractFeatures } from "./extract.ts";
export {
  logMelSpectrogram,
  type MelSpectrogramOptions,
  mfcc,
  type MfccOptions,
  type SpectralOptions,
} from "./librosa.ts";
export { type MeydaFeatureOptions, meydaLogMel, meydaMfcc } from "./meyda.ts";
export {
  type DescriptorName,
  type DescriptorOptions,
  type Descriptors,
  descriptors,
  type ScalarDescriptor,
} from "./descriptors.ts";
export { delta, type DeltaOptions } from "./delta.ts";
export {
  type FramesLike,
  type FrameStats,
  frameStats,
  type FrameStatsAccumulator,
  frameStatsAccumulator,
  normalizeGroups,
  normalizeUtterance,
  standardize,
  typicalStats,
} from "./normalize.ts";
export {
  type BatchError,
  type BatchOptions,
  type BatchResult,
  createExtractorPool,
  extractBatch,
  type ExtractorPool,
} from "./batch.ts";
export {
  cachePath,
  contentHash,
  DEFAULT_CACHE_DIR,
  readCachedFeatures,
  writeCachedFeatures,
} from "./cache.ts";
export {
  extractFile,
  extractInput,
  extractSamples,
  type FileFeatures,
  type SamplesInput,
} from "./pipeline.ts";
export {
  type FeatureIndex,
  readFeatureSet,
  type StoredEntry,
  writeFeatureSet,
} from "./store.ts";
