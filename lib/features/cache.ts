/**
 * On-disk feature cache, so re-running a notebook or a training run does not
 * recompute features.
 *
 * Key: the SHA-256 of the audio file's bytes AND {@linkcode extractionConfigHash}
 * (the feature config without `frames`, which is applied after the cache).
 * Content rather than size+mtime: the bytes are read anyway to decode them,
 * and hashing measured 0.28 ms CPU per RAVDESS clip (240 clips, 100 MB: 68
 * ms, ≈ 1.5 GB/s with node:crypto) against ≈ 2.5 ms CPU to extract one —
 * about 10 %. A stat-based key would cost only 0.01–0.02 ms per file on a
 * hit, but it misses copies and restored backups and can serve stale
 * features after an edit that keeps size and mtime; content hashing cannot.
 * Layout: `<cacheDir>/<configHash>/<sha[0:2]>/<sha>.feat`.
 *
 * File format (little-endian): a 40-byte header — magic `SERF`, format
 * version (u32), frames (u32), dims (u32), checksum (u32), audio duration in
 * seconds (f32), the 16-character config hash — then `frames × dims` float32
 * values. The checksum (FNV-1a over 32-bit words) covers every word but the
 * magic, the version and itself: frames, dims, the duration, the config hash
 * and the payload, so a flipped byte anywhere is caught (version 1 left the
 * duration out, and a flipped byte reported 10,138 s of audio for 147).
 * Files are written with `writeFileAtomic`; any file whose magic, version,
 * config hash, length or checksum does not match (a torn or foreign write,
 * or a version 1 file) is a miss and is recomputed.
 *
 * The cache only ever saves work: callers (`extractFile`) treat a cache
 * they cannot read or write — the folder is a file or read-only, an entry
 * is a folder — as a miss and compute the features.
 *
 * @module
 */
import * as path from "node:path";
import { createHash } from "node:crypto";
import { DATA_DIR, writeFileAtomic } from "../paths.ts";
import { type FeatureConfig, type FeatureMatrix } from "./config.ts";
import { extractionConfigHash } from "./config_hash.ts";

/** Default cache folder: `data/cache/features`. */
export const DEFAULT_CACHE_DIR: string = path.join(
  DATA_DIR,
  "cache",
  "features",
);

const MAGIC = 0x46524553; // "SERF" read as a little-endian u32
const FORMAT_VERSION = 2;
const HEADER_BYTES = 40;

/** SHA-256 (hex) of a file's bytes: the content part of the cache key. */
export function contentHash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Where the features of content `sha` under `config` are cached. */
export function cachePath(
  cacheDir: string,
  sha: string,
  config: FeatureConfig,
): string {
  return path.join(
    cacheDir,
    extractionConfigHash(config),
    sha.slice(0, 2),
    `${sha}.feat`,
  );
}

/** FNV-1a over 32-bit words, continuing from `h`. */
function fnv(words: Uint32Array, h = 0x811c9dc5): number {
  for (let i = 0; i < words.length; i++) {
    h = Math.imul(h ^ words[i], 0x01000193);
  }
  return h >>> 0;
}

/** The checksum of a file: its header words 2, 3 and 5–9, then the payload. */
function checksum(header: DataView, payload: Uint32Array): number {
  const words = [2, 3, 5, 6, 7, 8, 9].map((w) => header.getUint32(w * 4, true));
  return fnv(payload, fnv(Uint32Array.from(words)));
}

/** Features read back from the cache with the duration of their audio. */
export interface CachedFeatures {
  /** The cached matrix. */
  matrix: FeatureMatrix;
  /** Duration of the source audio in seconds. */
  audioS: number;
}

/** Serialises features and their audio duration with a header (see the module docs). */
export function encodeFeatureFile(
  m: FeatureMatrix,
  configHash: string,
  audioS: number,
): Uint8Array {
  if (m.data.length !== m.frames * m.dims) {
    throw new Error(
      `feature matrix: ${m.data.length} values != ${m.frames} × ${m.dims}`,
    );
  }
  const bytes = new Uint8Array(HEADER_BYTES + m.data.length * 4);
  const view = new DataView(bytes.buffer);
  const payload = new Float32Array(bytes.buffer, HEADER_BYTES, m.data.length);
  payload.set(m.data);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, m.frames, true);
  view.setUint32(12, m.dims, true);
  view.setFloat32(20, audioS, true);
  bytes.set(new TextEncoder().encode(configHash.padEnd(16).slice(0, 16)), 24);
  view.setUint32(
    16,
    checksum(
      view,
      new Uint32Array(payload.buffer, HEADER_BYTES, m.data.length),
    ),
    true,
  );
  return bytes;
}

/**
 * Parses a feature file; `null` if it is not a complete, intact file for
 * `configHash` (wrong magic or version, foreign config, torn length, bad
 * checksum).
 */
export function decodeFeatureFile(
  bytes: Uint8Array,
  configHash: string,
): CachedFeatures | null {
  if (bytes.length < HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (
    view.getUint32(0, true) !== MAGIC ||
    view.getUint32(4, true) !== FORMAT_VERSION
  ) return null;
  const frames = view.getUint32(8, true);
  const dims = view.getUint32(12, true);
  if (bytes.length !== HEADER_BYTES + frames * dims * 4) return null;
  const hash = new TextDecoder().decode(bytes.subarray(24, 40));
  if (hash !== configHash.padEnd(16).slice(0, 16)) return null;
  // Copy to an aligned buffer (a file's bytes need not be 4-byte aligned).
  const data = new Float32Array(frames * dims);
  new Uint8Array(data.buffer).set(bytes.subarray(HEADER_BYTES));
  if (
    checksum(view, new Uint32Array(data.buffer)) !== view.getUint32(16, true)
  ) {
    return null;
  }
  const audioS = view.getFloat32(20, true);
  if (!(audioS >= 0 && audioS < Infinity)) return null;
  return { matrix: { data, frames, dims }, audioS };
}

/**
 * Cached features of content `sha` under `config`, or `null` on a miss (no
 * entry, or a torn or foreign one). Throws when the cache cannot be read
 * (its folder is a file, the entry is a folder, no permission).
 */
export function readCachedFeatures(
  cacheDir: string,
  sha: string,
  config: FeatureConfig,
): CachedFeatures | null {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(cachePath(cacheDir, sha, config));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
  return decodeFeatureFile(bytes, extractionConfigHash(config));
}

/**
 * Stores features of content `sha` under `config` (and the audio duration),
 * atomically. Throws when the cache cannot be written (read-only, its folder
 * a file, the entry a folder).
 */
export function writeCachedFeatures(
  cacheDir: string,
  sha: string,
  config: FeatureConfig,
  m: FeatureMatrix,
  audioS: number,
): void {
  writeFileAtomic(
    cachePath(cacheDir, sha, config),
    encodeFeatureFile(m, extractionConfigHash(config), audioS),
  );
}
