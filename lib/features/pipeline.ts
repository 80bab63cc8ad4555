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
  /**
   * Why the cache could not be used for this file (read or written), when
   * it could not: the features were computed all the same.
   */
  cacheProblem?: string;
}

function cacheProblemOf(cacheDir: string, err: unknown): string {
  return `feature cache ${cacheDir} unusable (${
    err instanceof Error ? err.message : err
  })`;
}

/**
 * Extracts the features of the audio file at `path`. With a `cacheDir`,
 * looks them up by content hash and config first and stores them after; a
 * cache that cannot be read or written never fails the file (the features
 * are computed, and `cacheProblem` says why the cache was not used). Errors
 * name the file and the reason.
 */
export async function extractFile(
  path: string,
  config: FeatureConfig,
  cacheDir: string | null = null,
): Promise<FileFeatures> {
  const bytes = await readAudioFile(path);
  const sha = cacheDir === null ? "" : contentHash(bytes);
  let cacheProblem: string | undefined;
  if (cacheDir !== null) {
    try {
      const hit = readCachedFeatures(cacheDir, sha, config);
      if (hit) return { ...hit, cached: true };
    } catch (err) {
      cacheProblem = cacheProblemOf(cacheDir, err);
    }
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
    try {
      writeCachedFeatures(cacheDir, sha, config, matrix, audioS);
    } catch (err) {
      cacheProblem ??= cacheProblemOf(cacheDir, err);
    }
  }
  return cacheProblem === undefined
    ? { matrix, audioS, cached: false }
    : { matrix, audioS, cached: false, cacheProblem };
}

/**
 * Audio already in memory — e.g. an augmented copy of a training clip — with
 * the cache key its features are stored under (any hex string that names
 * this audio exactly, e.g. a hash of the source's content hash and how it
 * was transformed).
 */
export interface SamplesInput {
  /** Mono samples at the config's sample rate. */
  samples: Float32Array;
  /** Cache key (hex, at least 2 characters). */
  key: string;
  /** Names the audio in errors and results. */
  label: string;
}

/**
 * Extracts the features of in-memory samples, looked up in and stored to
 * the cache under `input.key` like {@linkcode extractFile} (an unusable
 * cache never fails it). Errors name `input.label`.
 */
export function extractSamples(
  input: SamplesInput,
  config: FeatureConfig,
  cacheDir: string | null = null,
): FileFeatures {
  const audioS = input.samples.length / config.sr;
  let cacheProblem: string | undefined;
  if (cacheDir !== null) {
    try {
      const hit = readCachedFeatures(cacheDir, input.key, config);
      if (hit) return { ...hit, cached: true };
    } catch (err) {
      cacheProblem = cacheProblemOf(cacheDir, err);
    }
  }
  let matrix: FeatureMatrix;
  try {
    matrix = extractFeatures(input.samples, config);
  } catch (err) {
    throw new Error(
      `${input.label}: ${err instanceof Error ? err.message : err}`,
    );
  }
  if (cacheDir !== null) {
    try {
      writeCachedFeatures(cacheDir, input.key, config, matrix, audioS);
    } catch (err) {
      cacheProblem ??= cacheProblemOf(cacheDir, err);
    }
  }
  return cacheProblem === undefined
    ? { matrix, audioS, cached: false }
    : { matrix, audioS, cached: false, cacheProblem };
}

/** Extracts one input of a batch: a file path or in-memory samples. */
export async function extractInput(
  input: string | SamplesInput,
  config: FeatureConfig,
  cacheDir: string | null,
): Promise<FileFeatures> {
  return typeof input === "string"
    ? await extractFile(input, config, cacheDir)
    : extractSamples(input, config, cacheDir);
}
