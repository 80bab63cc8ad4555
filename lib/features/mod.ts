/**
 * Features: the typed config, librosa-matching and Meyda MFCC / log-mel,
 * deltas, trimming, normalisation, fixed-length framing, descriptors, batch
 * extraction and the on-disk cache.
 *
 * @module
 */
export * from "./config.ts";
export * from "./framing.ts";
export { baseFeatures, extractFeatures } from "./extract.ts";
export {
  logMelSpectrogram,
  type Matrix64,
  mfcc,
  type SpectralOptions,
} from "./librosa.ts";
export { fastLogMelSpectrogram, fastMfcc } from "./kernel.ts";
export { meydaLogMel, meydaMfcc } from "./meyda.ts";
export {
  type DescriptorName,
  type DescriptorOptions,
  type Descriptors,
  descriptors,
  type ScalarDescriptor,
} from "./descriptors.ts";
export { delta, type DeltaOptions } from "./delta.ts";
export { trimBounds, type TrimOptions } from "./trim.ts";
export { normalizeUtterance } from "./normalize.ts";
export {
  applyMelFilterBank,
  hzToMel,
  type MelFilterBank,
  melFilterBank,
  melFilterRow,
  melToHz,
  powerToDb,
} from "./mel.ts";
export {
  powerSpectrogram,
  type Spectrogram,
  type StftOptions,
} from "./stft.ts";
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
export { extractFile, type FileFeatures } from "./pipeline.ts";
export {
  type FeatureIndex,
  readFeatureSet,
  type StoredEntry,
  writeFeatureSet,
} from "./store.ts";
