/**
 * TESS (Toronto emotional speech set): two female speakers, OAF (older) and
 * YAF (younger), in folders such as `OAF_angry/` or `YAF_pleasant_surprised/`
 * holding `OAF_back_angry.wav` = speaker_word_emotion, where `ps` means
 * pleasant surprise.
 *
 * @module
 */
import * as path from "node:path";
import { TESS_EMOTIONS } from "./emotions.ts";
import { CorpusError } from "./errors.ts";
import { labelFiles } from "./files.ts";
import type { CorpusIndexer, UtteranceLabel } from "./types.ts";

const NAME = /^(OAF|YAF)_([a-z]+)_([a-z_]+)$/i;

/** Emotion words TESS spells in more than one way. */
const SPELLINGS: Readonly<Record<string, string>> = {
  pleasant_surprise: "ps",
  pleasant_surprised: "ps",
  fearful: "fear",
};

/**
 * Parses a TESS file path (`OAF_back_angry.wav`). Throws a
 * {@linkcode CorpusError} naming the file for an unknown speaker or emotion
 * word, or when an `OAF_…`/`YAF_…` folder disagrees with the name.
 */
export function parseTessName(file: string): UtteranceLabel {
  const stem = path.basename(file, path.extname(file));
  const m = NAME.exec(stem);
  if (!m) {
    throw new CorpusError(
      file,
      "not a TESS name (expected OAF_word_emotion or YAF_word_emotion, e.g. OAF_back_angry.wav)",
    );
  }
  const speaker = m[1].toUpperCase();
  const raw = m[3].toLowerCase();
  const word = SPELLINGS[raw] ?? raw;
  if (!Object.hasOwn(TESS_EMOTIONS, word)) {
    throw new CorpusError(file, `unknown TESS emotion "${m[3]}"`);
  }
  const folder = /^(OAF|YAF)_/i.exec(path.basename(path.dirname(file)));
  if (folder && folder[1].toUpperCase() !== speaker) {
    throw new CorpusError(
      file,
      `speaker ${speaker} in the name but the file is in ${
        path.basename(path.dirname(file))
      }`,
    );
  }
  return {
    corpus: "tess",
    speaker: `tess:${speaker}`,
    gender: "female",
    emotion: TESS_EMOTIONS[word],
    label: word,
    intensity: null,
    statement: m[2].toLowerCase(),
    repetition: null,
    modality: null,
    vocalChannel: null,
  };
}

/** True if a base name looks like a TESS file name (for detection). */
export function looksLikeTess(baseName: string): boolean {
  return NAME.test(baseName.replace(/\.[^.]+$/, ""));
}

/** Indexer for a TESS folder. */
export const tessIndexer: CorpusIndexer = {
  corpus: "tess",
  list: (root) => Promise.resolve(labelFiles(root, parseTessName)),
};
