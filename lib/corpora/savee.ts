/**
 * SAVEE (Surrey Audio-Visual Expressed Emotion): four male speakers DC, JE,
 * JK, KL; files `DC/a01.wav` (speaker folders) or `DC_a01.wav` (flat), with
 * the emotion prefix a, d, f, h, n, sa, su and a sentence number.
 *
 * @module
 */
import * as path from "node:path";
import { SAVEE_EMOTIONS } from "./emotions.ts";
import { CorpusError } from "./errors.ts";
import { labelFiles } from "./files.ts";
import type { CorpusIndexer, UtteranceLabel } from "./types.ts";

/** The four SAVEE speakers (all male). */
export const SAVEE_SPEAKERS: readonly string[] = ["DC", "JE", "JK", "KL"];

const FLAT = /^([A-Z]{2})_(sa|su|[adfhn])(\d{2})$/;
const IN_FOLDER = /^(sa|su|[adfhn])(\d{2})$/;

/**
 * Parses a SAVEE file path (`DC_a01.wav` or `DC/sa03.wav`). Throws a
 * {@linkcode CorpusError} naming the file for an unknown speaker or emotion
 * prefix.
 */
export function parseSaveeName(file: string): UtteranceLabel {
  const stem = path.basename(file, path.extname(file));
  const folder = path.basename(path.dirname(file));
  let speaker: string;
  let code: string;
  let number: string;
  const flat = FLAT.exec(stem);
  const inFolder = IN_FOLDER.exec(stem);
  if (flat) {
    [, speaker, code, number] = flat;
  } else if (inFolder) {
    [, code, number] = inFolder;
    speaker = folder;
  } else {
    throw new CorpusError(
      file,
      "not a SAVEE name (expected DC_a01.wav, or a01.wav inside a DC/JE/JK/KL folder; emotions a d f h n sa su)",
    );
  }
  if (!SAVEE_SPEAKERS.includes(speaker)) {
    throw new CorpusError(
      file,
      `unknown SAVEE speaker "${speaker}" (known: ${
        SAVEE_SPEAKERS.join(", ")
      })`,
    );
  }
  return {
    corpus: "savee",
    speaker: `savee:${speaker}`,
    gender: "male",
    emotion: SAVEE_EMOTIONS[code],
    label: code,
    intensity: null,
    statement: number,
    repetition: null,
    modality: null,
    vocalChannel: null,
  };
}

/** True if a path (base name and parent folder) looks like SAVEE (for detection). */
export function looksLikeSavee(file: string): boolean {
  const stem = path.basename(file).replace(/\.[^.]+$/, "");
  if (FLAT.test(stem)) return SAVEE_SPEAKERS.includes(stem.slice(0, 2));
  return IN_FOLDER.test(stem) &&
    SAVEE_SPEAKERS.includes(path.basename(path.dirname(file)));
}

/** Indexer for a SAVEE folder. */
export const saveeIndexer: CorpusIndexer = {
  corpus: "savee",
  list: (root) => Promise.resolve(labelFiles(root, parseSaveeName)),
};
