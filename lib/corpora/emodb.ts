/**
 * EmoDB (Berlin Database of Emotional Speech, Burkhardt et al. 2005):
 * `03a01Fa.wav` = speaker `03`, text `a01`, emotion letter `F`, version `a`.
 * Ten actors with published genders.
 *
 * @module
 */
import * as path from "node:path";
import { EMODB_EMOTIONS } from "./emotions.ts";
import { CorpusError } from "./errors.ts";
import { labelFiles } from "./files.ts";
import type { CorpusIndexer, Gender, UtteranceLabel } from "./types.ts";

/** The ten EmoDB speakers and their published genders. */
export const EMODB_SPEAKERS: Readonly<Record<string, Gender>> = {
  "03": "male",
  "08": "female",
  "09": "female",
  "10": "male",
  "11": "male",
  "12": "male",
  "13": "female",
  "14": "female",
  "15": "male",
  "16": "female",
};

const NAME = /^(\d{2})([ab]\d{2})([A-Z])([a-z])$/;

/**
 * Parses an EmoDB file path (`03a01Fa.wav`). Throws a
 * {@linkcode CorpusError} naming the file for an unknown speaker or emotion
 * letter. The version letter becomes the repetition (`a` = 1, `b` = 2, …).
 */
export function parseEmodbName(file: string): UtteranceLabel {
  const stem = path.basename(file, path.extname(file));
  const m = NAME.exec(stem);
  if (!m) {
    throw new CorpusError(
      file,
      "not an EmoDB name (expected speaker, text, emotion letter, version, e.g. 03a01Fa.wav)",
    );
  }
  const [, speaker, text, letter, version] = m;
  if (!Object.hasOwn(EMODB_SPEAKERS, speaker)) {
    throw new CorpusError(file, `unknown EmoDB speaker "${speaker}"`);
  }
  if (!Object.hasOwn(EMODB_EMOTIONS, letter)) {
    throw new CorpusError(
      file,
      `unknown EmoDB emotion letter "${letter}" (known: ${
        Object.keys(EMODB_EMOTIONS).join("")
      })`,
    );
  }
  return {
    corpus: "emodb",
    speaker: `emodb:${speaker}`,
    gender: EMODB_SPEAKERS[speaker],
    emotion: EMODB_EMOTIONS[letter],
    label: letter,
    intensity: null,
    statement: text,
    repetition: version.charCodeAt(0) - 96,
    modality: null,
    vocalChannel: null,
  };
}

/** True if a base name looks like an EmoDB file name (for detection). */
export function looksLikeEmodb(baseName: string): boolean {
  return NAME.test(baseName.replace(/\.[^.]+$/, ""));
}

/** Indexer for an EmoDB folder (`wav/` or flat). */
export const emodbIndexer: CorpusIndexer = {
  corpus: "emodb",
  list: (root) => Promise.resolve(labelFiles(root, parseEmodbName)),
};
