/**
 * Recognising and indexing the synthetic demo corpus: RAVDESS naming, the
 * corpus name `synthetic` (speakers `synthetic:01`, …), and a marker file
 * `synthetic.json` at its root that says the audio is synthetic.
 *
 * @module
 */
import * as path from "node:path";
import { exists } from "../paths.ts";
import { labelFiles } from "./files.ts";
import { parseRavdessName } from "./ravdess.ts";
import type { CorpusIndexer } from "./types.ts";

/** Name of the marker file at the root of a synthetic corpus. */
export const SYNTHETIC_MARKER = "synthetic.json";

/** Highest actor number the synthetic corpus may use (two digits). */
export const SYNTHETIC_MAX_ACTORS = 99;

/** True if `dir` is the root of a synthetic corpus (has the marker file). */
export function isSyntheticCorpus(dir: string): boolean {
  return exists(path.join(dir, SYNTHETIC_MARKER));
}

/** Indexer for the synthetic demo corpus (RAVDESS naming, corpus `synthetic`). */
export const syntheticIndexer: CorpusIndexer = {
  corpus: "synthetic",
  list: (root) =>
    Promise.resolve(
      labelFiles(
        root,
        (f) =>
          parseRavdessName(f, {
            corpus: "synthetic",
            maxActor: SYNTHETIC_MAX_ACTORS,
          }),
      ),
    ),
};
