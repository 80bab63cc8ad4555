/**
 * Path helpers: the project's folders and small path utilities, in one place.
 *
 * Everything that needs to know where `data/`, `models/`, `reports/` or the
 * shared reference material live asks this module.
 *
 * @module
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the repository root (the folder holding `deno.json`). */
export const REPO_ROOT: string = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
);

/**
 * Folder for corpora, downloads and feature caches (`data/`).
 * `SER_DATA_DIR` overrides it (the test suite points it at a temporary
 * folder).
 */
export const DATA_DIR: string = Deno.env.get("SER_DATA_DIR") ??
  path.join(REPO_ROOT, "data");

/**
 * Folder for trained models (`models/<run>/`). `SER_MODELS_DIR` overrides it
 * (the test suite points it at a temporary folder).
 */
export const MODELS_DIR: string = Deno.env.get("SER_MODELS_DIR") ??
  path.join(REPO_ROOT, "models");

/**
 * The shipped real-speech model (`models/pretrained/ravdess-8class/`, in the
 * repository): what prediction uses when no trained model is found.
 */
export const PRETRAINED_MODEL_DIR: string = path.join(
  REPO_ROOT,
  "models",
  "pretrained",
  "ravdess-8class",
);

/**
 * Folder for generated reports (`reports/<run>/`). `SER_REPORTS_DIR`
 * overrides it (the test suite points it at a temporary folder).
 */
export const REPORTS_DIR: string = Deno.env.get("SER_REPORTS_DIR") ??
  path.join(REPO_ROOT, "reports");

/**
 * The `shared/` folder that sits beside the repository (real RAVDESS clips,
 * librosa reference outputs, speed anchors). Override with `SER_SHARED_DIR`.
 */
export const SHARED_DIR: string = Deno.env.get("SER_SHARED_DIR") ??
  path.resolve(REPO_ROOT, "..", "shared");

/** The real RAVDESS clips in the shared folder. */
export const SHARED_RAVDESS_DIR: string = path.join(
  SHARED_DIR,
  "data",
  "ravdess",
);

/** librosa 0.10.2 reference outputs in the shared folder. */
export const LIBROSA_REFERENCE_DIR: string = path.join(
  SHARED_DIR,
  "reference",
  "librosa",
);

/** Path of `p` relative to the repository root, for display. */
export function displayPath(p: string): string {
  const rel = path.relative(REPO_ROOT, path.resolve(p));
  return rel.startsWith("..") ? path.resolve(p) : rel;
}

/** True if `p` exists (file or folder). */
export function exists(p: string): boolean {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Creates a folder and its parents if missing. */
export function ensureDir(p: string): void {
  Deno.mkdirSync(p, { recursive: true });
}

/** A file or folder a walk could not read, and why. */
export interface WalkError {
  /** The file, folder or link. */
  path: string;
  /** Why, without the path. */
  reason: string;
}

/** An OS error's reason without the operation and path Deno appends. */
function fsReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const reason = text.replace(/ \(os error \d+\).*$/s, "");
  return reason.charAt(0).toLowerCase() + reason.slice(1);
}

/**
 * Lists files below `dir` recursively, sorted folder by folder, whose
 * extension (lower case, with dot) is in `extensions`. Symbolic links are
 * followed, to files and to folders (people link corpora rather than copy
 * them), with loop protection: a folder already visited (by its real path)
 * is not visited again, so a link to an ancestor, or one folder linked
 * twice, is walked once. A sub-folder that cannot be read, or a link to
 * nothing named like a wanted file, is passed to `onError` and the walk goes
 * on; without `onError` it throws.
 */
export function walkFiles(
  dir: string,
  extensions: readonly string[],
  onError?: (error: WalkError) => void,
): string[] {
  const report = (p: string, reason: string, err: unknown) => {
    if (!onError) throw err;
    onError({ path: p, reason });
  };
  const wanted = (name: string) =>
    extensions.includes(path.extname(name).toLowerCase());
  const out: string[] = [];
  const visited = new Set<string>();
  const visit = (d: string) => {
    let entries: Deno.DirEntry[];
    try {
      const real = Deno.realPathSync(d);
      if (visited.has(real)) return;
      visited.add(real);
      entries = [...Deno.readDirSync(d)];
    } catch (err) {
      return report(d, `cannot read folder: ${fsReason(err)}`, err);
    }
    entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    for (const e of entries) {
      const full = path.join(d, e.name);
      let isDirectory = e.isDirectory;
      let isFile = e.isFile;
      if (e.isSymlink) {
        try {
          const target = Deno.statSync(full);
          isDirectory = target.isDirectory;
          isFile = target.isFile;
        } catch (err) {
          if (wanted(e.name)) {
            report(full, `broken link: ${fsReason(err)}`, err);
          }
          continue;
        }
      }
      if (isDirectory) visit(full);
      else if (isFile && wanted(e.name)) out.push(full);
    }
  };
  visit(dir);
  return out;
}

const STAGING_NAME = /^(.+)\.(?:tmp|old)-(\d+)-[0-9a-f]{8}$/;

/**
 * A fresh temporary name beside `target`, `<target>.<kind>-<pid>-<8 hex>`:
 * where a file or folder is built before it is renamed into place (`tmp`),
 * or where the one it replaces waits to be deleted (`old`).
 */
export function stagingPath(
  target: string,
  kind: "tmp" | "old" = "tmp",
): string {
  return `${target}.${kind}-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * For a name made by {@linkcode stagingPath} (the last path component), the
 * name of its target and the pid of the process that made it; else null.
 * Such names are never corpora, models or results: a process killed midway
 * leaves them behind.
 */
export function parseStagingName(
  name: string,
): { target: string; pid: number } | null {
  const match = STAGING_NAME.exec(name);
  return match ? { target: match[1], pid: Number(match[2]) } : null;
}

/**
 * Writes `data` to `target` atomically: it goes to a temporary file in the
 * same folder first and is renamed over `target` only once complete, so a
 * crash never leaves a half-written file in place of a good one.
 */
export function writeFileAtomic(
  target: string,
  data: Uint8Array | string,
): void {
  ensureDir(path.dirname(target));
  const tmp = stagingPath(target);
  try {
    if (typeof data === "string") Deno.writeTextFileSync(tmp, data);
    else Deno.writeFileSync(tmp, data);
    Deno.renameSync(tmp, target);
  } catch (err) {
    try {
      Deno.removeSync(tmp);
    } catch { /* already gone */ }
    throw err;
  }
}
