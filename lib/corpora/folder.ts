/**
 * The generic folder-per-label layout for any other corpus:
 * `<root>/<label>/<file>` or `<root>/<label>/<speaker>/<file>`, where the
 * label is an emotion word (see `emotionFromWord`: `angry`, `Anger`,
 * `happiness`, `ps`, …). Speakers are `folder:<root name>:<speaker>`, or
 * `folder:<root name>:unknown` when the layout has no speaker level.
 *
 * @module
 */
import * as path from "node:path";
import { emotionFromWord } from "./emotions.ts";
import { CorpusError } from "./errors.ts";
import { labelFiles } from "./files.ts";
import type { CorpusIndexer, UtteranceLabel } from "./types.ts";

/**
 * Labels one file of a folder-per-label corpus rooted at `root`. Throws a
 * {@linkcode CorpusError} naming the file when it is not inside a label
 * folder, is nested too deep, or its label folder is not an emotion word.
 */
export function parseFolderPath(root: string, file: string): UtteranceLabel {
  const parts = path.relative(root, file).split(path.sep);
  if (parts.length < 2 || parts.length > 3) {
    throw new CorpusError(
      file,
      "expected <label>/<file> or <label>/<speaker>/<file> below the corpus folder",
    );
  }
  const emotion = emotionFromWord(parts[0]);
  if (!emotion) {
    throw new CorpusError(
      file,
      `unknown emotion label "${parts[0]}" (folder name)`,
    );
  }
  const ns = `folder:${path.basename(path.resolve(root))}`;
  const speaker = parts.length === 3 ? parts[1] : "unknown";
  return {
    corpus: "folder",
    speaker: `${ns}:${speaker}`,
    gender: "unknown",
    emotion,
    label: parts[0],
    intensity: null,
    statement: null,
    repetition: null,
    modality: null,
    vocalChannel: null,
  };
}

/** Indexer for a folder-per-label corpus. */
export const folderIndexer: CorpusIndexer = {
  corpus: "folder",
  list: (root) =>
    Promise.resolve(labelFiles(root, (f) => parseFolderPath(root, f))),
};
