/**
 * Incremental file hashing for download verification (MD5, SHA-1, SHA-256,
 * SHA-512) through `node:crypto`, which hashes in streaming fashion so a
 * 200 MB archive never has to sit in memory.
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import type { ChecksumAlgorithm } from "./sources.ts";

/** Creates an incremental hasher for `algorithm`. */
export function createHasher(algorithm: ChecksumAlgorithm): Hash {
  return createHash(algorithm);
}

/**
 * Feeds the first `length` bytes of the file at `path` (default: all of it)
 * into `hasher`, reading it in chunks. Returns the number of bytes read.
 */
export async function updateFromFile(
  hasher: Hash,
  path: string,
  length = Infinity,
): Promise<number> {
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(1 << 20);
  let total = 0;
  while (total < length) {
    const want = Math.min(buffer.length, length - total);
    const n = await file.read(buffer.subarray(0, want));
    if (n === null) break;
    hasher.update(buffer.subarray(0, n));
    total += n;
  }
  return total;
}

/** Hex digest of the whole file at `path` with `algorithm`. */
export async function hashFile(
  path: string,
  algorithm: ChecksumAlgorithm,
): Promise<string> {
  const hasher = createHasher(algorithm);
  await updateFromFile(hasher, path);
  return hasher.digest("hex");
}
