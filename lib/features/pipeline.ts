/**
 * One file, end to end: read bytes → (cache lookup) → decode → mono →
 * resample to `config.sr` → {@linkcode extractFeatures} → (cache store).
 * Used by the batch extractor in the calling thread and in its workers.
 *
 * @module
 */
import { decodeAudioBytes, readAudioFile } from "../audio/mod.ts";
import type { FeatureConfig, FeatureMatrix } from "./config.ts";
import {
  contentHash,
  readCachedFeatures,
  writeCachedFeatures,
} from "./cache.ts";
import { extractFeatures } from "./extract.ts";

/** Features of one file and facts about it. */
export interface FileFeatures {
  /** The features (not yet cropped or padded). */
  matrix: FeatureMatrix;
  /** Duration of the audio in seconds. */
  audioS: number;
  /** True if the features came from the cache. */
  cached: boolean;
}

/**
 * Extracts the features of the audio file at `path`. With a `cacheDir`,
 * looks them up by content hash and config first and stores them after.
 * Errors name the file and the reason.
 */
export async function extractFile(
  path: string,
  config: FeatureConfig,
  cacheDir: string | null = null,
): Promise<FileFeatures> {
  const bytes = await readAudioFile(path);
  const sha = cacheDir === null ? "" : contentHash(bytes);
  if (cacheDir !== null) {
    const hit = readCachedFeatures(cacheDir, sha, config);
    if (hit) return { ...hit, cached: true };
  }
  const audio = await decodeAudioBytes(bytes, path, { sr: config.sr });
  let matrix: FeatureMatrix;
  try {
    matrix = extractFeatures(audio.samples, config);
  } catch (err) {
    throw new Error(`${path}: ${err instanceof Error ? err.message : err}`);
  }
  const audioS = audio.info.durationS;
  if (cacheDir !== null) {
    writeCachedFeatures(cacheDir, sha, config, matrix, audioS);
  }
  return { matrix, audioS, cached: false };
}
