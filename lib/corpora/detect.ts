/**
 * Telling which corpus a folder holds from its layout and file names.
 *
 * @module
 */
import * as path from "node:path";
import { cremadIndexer, looksLikeCremad } from "./cremad.ts";
import { csvIndexer } from "./csv.ts";
import { emodbIndexer, looksLikeEmodb } from "./emodb.ts";
import { CorpusError } from "./errors.ts";
import { listAudioFiles } from "./files.ts";
import { folderIndexer } from "./folder.ts";
import { looksLikeRavdess, ravdessIndexer } from "./ravdess.ts";
import { looksLikeSavee, saveeIndexer } from "./savee.ts";
import { isSyntheticCorpus, syntheticIndexer } from "./synthetic_index.ts";
import { looksLikeTess, tessIndexer } from "./tess.ts";
import type { CorpusIndexer, CorpusName } from "./types.ts";

/** Every indexer, by corpus name. */
export const INDEXERS: Readonly<Record<CorpusName, CorpusIndexer>> = {
  ravdess: ravdessIndexer,
  synthetic: syntheticIndexer,
  tess: tessIndexer,
  "crema-d": cremadIndexer,
  savee: saveeIndexer,
  emodb: emodbIndexer,
  folder: folderIndexer,
  csv: csvIndexer,
};

/** Corpora recognised by their file names, tried in this order. */
const BY_NAME: readonly [CorpusName, (file: string) => boolean][] = [
  ["ravdess", (f) => looksLikeRavdess(path.basename(f))],
  ["tess", (f) => looksLikeTess(path.basename(f))],
  ["crema-d", (f) => looksLikeCremad(path.basename(f))],
  ["emodb", (f) => looksLikeEmodb(path.basename(f))],
  ["savee", looksLikeSavee],
];

/**
 * Detects the corpus at `target`:
 * - a `.csv` file is a CSV manifest (`csv`);
 * - a folder with the `synthetic.json` marker is the synthetic corpus;
 * - otherwise the corpus whose file-name pattern matches most audio files,
 *   if it matches at least half of them (RAVDESS, TESS, CREMA-D, EmoDB,
 *   SAVEE) — the rest are then reported as misnamed by that corpus's parser;
 * - otherwise the generic folder-per-label layout (`folder`), whose parser
 *   reports every file that is not below an emotion-word folder.
 *
 * Throws a {@linkcode CorpusError} naming `target` if it does not exist, is
 * not a folder or CSV file, or holds no audio files (naming the sub-folders
 * that could not be read, if any). Links to files and folders are followed.
 */
export function detectCorpus(target: string): CorpusName {
  let stat: Deno.FileInfo;
  try {
    stat = Deno.statSync(target);
  } catch {
    throw new CorpusError(target, "no such file or folder");
  }
  if (stat.isFile) {
    if (path.extname(target).toLowerCase() === ".csv") return "csv";
    throw new CorpusError(target, "not a folder or a CSV manifest");
  }
  if (isSyntheticCorpus(target)) return "synthetic";
  const unreadable: string[] = [];
  const files = listAudioFiles(target, (e) => unreadable.push(e.path));
  if (files.length === 0) {
    throw new CorpusError(
      target,
      unreadable.length === 0
        ? "no audio files found"
        : `no audio files found (${unreadable.length} unreadable: ${
          unreadable.slice(0, 3).join(", ")
        }${unreadable.length > 3 ? ", …" : ""})`,
    );
  }
  let best: CorpusName | null = null;
  let bestCount = 0;
  for (const [name, test] of BY_NAME) {
    const count = files.filter(test).length;
    if (count > bestCount) [best, bestCount] = [name, count];
  }
  if (best !== null && bestCount * 2 >= files.length) return best;
  return "folder";
}
