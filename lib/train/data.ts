/**
 * Where training data comes from: the folders given, else real corpora placed
 * under `data/`, else the synthetic demo corpus (generated on first use).
 *
 * @module
 */
import * as path from "node:path";
import { ensureDemoCorpus } from "../corpora/mod.ts";
import { DATA_DIR, exists, parseStagingName } from "../paths.ts";

/** Folders under `data/` that are never corpora. */
const NOT_CORPORA = new Set(["synthetic", "cache", "downloads"]);

/** The corpus folders to train on, and whether they are the synthetic demo. */
export interface TrainingData {
  /** Absolute corpus folders (or CSV manifests). */
  dirs: string[];
  /** True when falling back to the synthetic demo corpus. */
  synthetic: boolean;
}

/**
 * Real corpus folders placed under `data/` (e.g. `data/ravdess`, or a link
 * to a corpus kept elsewhere). Never the synthetic corpus, the cache, the
 * downloads, hidden folders, or the staging folders a killed fetch or write
 * leaves behind (`ravdess.tmp-<pid>-<hex>`, see `parseStagingName`).
 */
export function realCorporaInDataDir(dataDir: string = DATA_DIR): string[] {
  if (!exists(dataDir)) return [];
  return [...Deno.readDirSync(dataDir)]
    .filter((e) =>
      !NOT_CORPORA.has(e.name) && !e.name.startsWith(".") &&
      parseStagingName(e.name) === null
    )
    .map((e) => path.join(dataDir, e.name))
    .filter(isDirectory)
    .sort();
}

/** True for a folder, or a link to one. */
function isDirectory(p: string): boolean {
  try {
    return Deno.statSync(p).isDirectory;
  } catch {
    return false;
  }
}

/**
 * Resolves the training data: `dirs` if given (each must exist), else the
 * real corpora under `data/`, else the synthetic demo corpus.
 */
export async function resolveTrainingData(
  dirs: readonly string[] | undefined,
): Promise<TrainingData> {
  if (dirs && dirs.length > 0) {
    const resolved = dirs.map((d) => path.resolve(d));
    for (const d of resolved) {
      if (!exists(d)) throw new Error(`${d}: no such corpus folder`);
    }
    return { dirs: resolved, synthetic: false };
  }
  const real = realCorporaInDataDir();
  if (real.length > 0) return { dirs: real, synthetic: false };
  return { dirs: [await ensureDemoCorpus()], synthetic: true };
}
