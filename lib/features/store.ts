/**
 * Writing and reading a set of extracted features as one folder: an
 * `index.json` (config, config hash, per file: path, frames, dims, offset)
 * and `features.f32` (every matrix concatenated, little-endian float32).
 * The folder is built under a temporary name and renamed into place, so a
 * reader never sees half of it.
 *
 * @module
 */
import * as path from "node:path";
import { ensureDir, exists, stagingPath } from "../paths.ts";
import {
  type FeatureConfig,
  type FeatureMatrix,
  validateFeatureConfig,
} from "./config.ts";
import { featureConfigHash } from "./config_hash.ts";

/** One stored matrix: its source file and where it sits in `features.f32`. */
export interface StoredEntry {
  /** The audio file. */
  path: string;
  /** Rows. */
  frames: number;
  /** Columns. */
  dims: number;
  /** Offset of the first value in `features.f32`, in float32 values. */
  offset: number;
}

/** Contents of `index.json`. */
export interface FeatureIndex {
  /** Format version. */
  version: 1;
  /** The config the features were extracted with. */
  config: FeatureConfig;
  /** Its {@linkcode featureConfigHash}. */
  configHash: string;
  /** One entry per stored file. */
  items: StoredEntry[];
}

const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Writes `items` (path + matrix) under `outDir` atomically, replacing any previous folder. */
export function writeFeatureSet(
  outDir: string,
  config: FeatureConfig,
  items: { path: string; matrix: FeatureMatrix }[],
): void {
  if (!little) {
    throw new Error("writeFeatureSet: big-endian hosts are not supported");
  }
  const target = path.resolve(outDir);
  ensureDir(path.dirname(target));
  const tmp = stagingPath(target);
  Deno.mkdirSync(tmp);
  try {
    const total = items.reduce((s, it) => s + it.matrix.data.length, 0);
    const all = new Float32Array(total);
    const entries: StoredEntry[] = [];
    let offset = 0;
    for (const it of items) {
      all.set(it.matrix.data, offset);
      entries.push({
        path: it.path,
        frames: it.matrix.frames,
        dims: it.matrix.dims,
        offset,
      });
      offset += it.matrix.data.length;
    }
    Deno.writeFileSync(
      path.join(tmp, "features.f32"),
      new Uint8Array(all.buffer),
    );
    const index: FeatureIndex = {
      version: 1,
      config,
      configHash: featureConfigHash(config),
      items: entries,
    };
    Deno.writeTextFileSync(
      path.join(tmp, "index.json"),
      JSON.stringify(index, null, 1) + "\n",
    );
    const old = stagingPath(target, "old");
    const replacing = exists(target);
    if (replacing) Deno.renameSync(target, old);
    Deno.renameSync(tmp, target);
    if (replacing) Deno.removeSync(old, { recursive: true });
  } catch (err) {
    try {
      Deno.removeSync(tmp, { recursive: true });
    } catch { /* already gone */ }
    throw err;
  }
}

/** Reads a folder written by {@linkcode writeFeatureSet}; errors name the folder and the reason. */
export function readFeatureSet(
  dir: string,
): { index: FeatureIndex; matrices: FeatureMatrix[] } {
  const where = path.join(dir, "index.json");
  let index: FeatureIndex;
  let bytes: Uint8Array;
  try {
    index = JSON.parse(Deno.readTextFileSync(where));
    bytes = Deno.readFileSync(path.join(dir, "features.f32"));
  } catch (err) {
    throw new Error(
      `${dir}: not a feature set (${err instanceof Error ? err.message : err})`,
    );
  }
  if (index.version !== 1) {
    throw new Error(`${where}: unsupported version ${index.version}`);
  }
  validateFeatureConfig(index.config, where);
  const values = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(values.buffer).set(bytes.subarray(0, values.length * 4));
  const matrices = index.items.map((e) => {
    const end = e.offset + e.frames * e.dims;
    if (end > values.length) {
      throw new Error(`${dir}: features.f32 is truncated at ${e.path}`);
    }
    return {
      data: values.slice(e.offset, end),
      frames: e.frames,
      dims: e.dims,
    };
  });
  return { index, matrices };
}
