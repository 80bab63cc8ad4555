/**
 * RAVDESS file names: `Actor_NN/MM-VV-EE-II-SS-RR-NN.wav` =
 * modality-vocal channel-emotion-intensity-statement-repetition-actor
 * (Livingstone & Russo 2018). Speech and song are both read; gender follows
 * the actor number (odd male, even female). The synthetic demo corpus uses
 * the same naming under the corpus name `synthetic`.
 *
 * @module
 */
import * as path from "node:path";
import { type Emotion, RAVDESS_EMOTIONS } from "./emotions.ts";
import { CorpusError } from "./errors.ts";
import { labelFiles } from "./files.ts";
import type { CorpusIndexer, UtteranceLabel } from "./types.ts";

const MODALITIES: Readonly<Record<string, string>> = {
  "01": "audio-video",
  "02": "video-only",
  "03": "audio-only",
};
const CHANNELS: Readonly<Record<string, "speech" | "song">> = {
  "01": "speech",
  "02": "song",
};
const INTENSITIES: Readonly<Record<string, string>> = {
  "01": "normal",
  "02": "strong",
};
/** Emotions RAVDESS recorded as song (no disgust, no surprise). */
const SONG_EMOTIONS = new Set(["01", "02", "03", "04", "05", "06"]);

const NAME = /^(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})$/;

/** The fields of a RAVDESS-style file name, as numbers. */
export interface RavdessFields {
  /** 1 audio-video, 2 video-only, 3 audio-only. */
  modality: number;
  /** 1 speech, 2 song. */
  vocalChannel: number;
  /** 1–8, see {@linkcode RAVDESS_EMOTIONS}. */
  emotion: number;
  /** 1 normal, 2 strong. */
  intensity: number;
  /** 1 "Kids are talking by the door", 2 "Dogs are sitting by the door". */
  statement: number;
  /** 1 or 2. */
  repetition: number;
  /** Actor number (RAVDESS: 1–24). */
  actor: number;
}

/** Formats RAVDESS fields as a file name, e.g. `03-01-05-02-01-01-07.wav`. */
export function formatRavdessName(fields: RavdessFields): string {
  const f = fields;
  return [
    f.modality,
    f.vocalChannel,
    f.emotion,
    f.intensity,
    f.statement,
    f.repetition,
    f.actor,
  ].map((n) => String(n).padStart(2, "0")).join("-") + ".wav";
}

/** The RAVDESS emotion code (1–8) of a vocabulary emotion, if it has one. */
export function ravdessEmotionCode(emotion: Emotion): number | undefined {
  const hit = Object.entries(RAVDESS_EMOTIONS).find(([, e]) => e === emotion);
  return hit ? Number(hit[0]) : undefined;
}

/** Options of {@linkcode parseRavdessName}. */
export interface RavdessNameOptions {
  /** Corpus name for the label and speaker namespace (default `ravdess`). */
  corpus?: "ravdess" | "synthetic";
  /** Highest valid actor number (default 24, RAVDESS's count). */
  maxActor?: number;
}

/**
 * Parses a RAVDESS-style file path into its label. Throws a
 * {@linkcode CorpusError} naming the file if any field is out of range, if
 * the combination does not exist in RAVDESS (strong neutral, sung disgust or
 * surprise) or if an `Actor_NN` folder disagrees with the actor field.
 */
export function parseRavdessName(
  file: string,
  options: RavdessNameOptions = {},
): UtteranceLabel {
  const corpus = options.corpus ?? "ravdess";
  const maxActor = options.maxActor ?? 24;
  const stem = path.basename(file, path.extname(file));
  const m = NAME.exec(stem);
  if (!m) {
    throw new CorpusError(
      file,
      `not a RAVDESS name (expected MM-VV-EE-II-SS-RR-AA, e.g. 03-01-05-02-01-01-07.wav)`,
    );
  }
  const [, mod, vc, emo, inten, stmt, rep, actor] = m;
  const bad = (field: string, value: string) =>
    new CorpusError(file, `RAVDESS ${field} "${value}" is out of range`);
  if (!(mod in MODALITIES)) throw bad("modality", mod);
  if (!(vc in CHANNELS)) throw bad("vocal channel", vc);
  if (!(emo in RAVDESS_EMOTIONS)) throw bad("emotion", emo);
  if (!(inten in INTENSITIES)) throw bad("intensity", inten);
  if (stmt !== "01" && stmt !== "02") throw bad("statement", stmt);
  if (rep !== "01" && rep !== "02") throw bad("repetition", rep);
  const actorNum = Number(actor);
  if (actorNum < 1 || actorNum > maxActor) throw bad("actor", actor);
  if (emo === "01" && inten === "02") {
    throw new CorpusError(file, "RAVDESS has no strong intensity for neutral");
  }
  if (CHANNELS[vc] === "song" && !SONG_EMOTIONS.has(emo)) {
    throw new CorpusError(
      file,
      `RAVDESS song has no ${RAVDESS_EMOTIONS[emo]} (emotion ${emo})`,
    );
  }
  const folder = /^Actor_(\d+)$/i.exec(path.basename(path.dirname(file)));
  if (folder && Number(folder[1]) !== actorNum) {
    throw new CorpusError(
      file,
      `actor ${actor} in the name but the file is in ${
        path.basename(path.dirname(file))
      }`,
    );
  }
  return {
    corpus,
    speaker: `${corpus}:${actor}`,
    gender: actorNum % 2 === 1 ? "male" : "female",
    emotion: RAVDESS_EMOTIONS[emo],
    label: emo,
    intensity: INTENSITIES[inten],
    statement: stmt,
    repetition: Number(rep),
    modality: MODALITIES[mod],
    vocalChannel: CHANNELS[vc],
  };
}

/** True if a base name looks like a RAVDESS file name (for detection). */
export function looksLikeRavdess(baseName: string): boolean {
  return NAME.test(baseName.replace(/\.[^.]+$/, ""));
}

/** Indexer for a RAVDESS folder (speech and song, any nesting). */
export const ravdessIndexer: CorpusIndexer = {
  corpus: "ravdess",
  list: (root) => Promise.resolve(labelFiles(root, (f) => parseRavdessName(f))),
};
