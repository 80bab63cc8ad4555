/**
 * CREMA-D (Cao et al. 2014): `1001_DFA_ANG_XX.wav` = actor (1001–1091),
 * sentence code, emotion (ANG DIS FEA HAP NEU SAD), level (LO MD HI, XX
 * unspecified). Speaker genders come from the corpus's
 * `VideoDemographics.csv` (columns `ActorID`, `Sex`) when it sits in the
 * scanned folder or its parent; otherwise they are `unknown`.
 *
 * @module
 */
import * as path from "node:path";
import pl from "nodejs-polars";
import { exists } from "../paths.ts";
import { CREMAD_EMOTIONS } from "./emotions.ts";
import { CorpusError } from "./errors.ts";
import { labelFiles } from "./files.ts";
import type { CorpusIndexer, Gender, UtteranceLabel } from "./types.ts";

/** The twelve CREMA-D sentence codes. */
export const CREMAD_SENTENCES: readonly string[] = [
  "IEO",
  "TIE",
  "IOM",
  "IWW",
  "TAI",
  "MTI",
  "IWL",
  "ITH",
  "DFA",
  "ITS",
  "TSI",
  "WSI",
];

const LEVELS: Readonly<Record<string, string | null>> = {
  LO: "low",
  MD: "medium",
  HI: "high",
  XX: null,
};

const NAME = /^(\d{4})_([A-Z]{3})_([A-Z]{3})_([A-Z]{2})$/;

/**
 * Parses a CREMA-D file path. `genders` maps actor ids (`1001`) to gender
 * (from {@linkcode readCremadDemographics}); actors missing from it are
 * `unknown`. Throws a {@linkcode CorpusError} naming the file for an
 * unknown sentence, emotion or level code or an actor outside 1001–1091.
 */
export function parseCremadName(
  file: string,
  genders: ReadonlyMap<string, Gender> = new Map(),
): UtteranceLabel {
  const stem = path.basename(file, path.extname(file));
  const m = NAME.exec(stem);
  if (!m) {
    throw new CorpusError(
      file,
      "not a CREMA-D name (expected actor_sentence_emotion_level, e.g. 1001_DFA_ANG_XX.wav)",
    );
  }
  const [, actor, sentence, emotion, level] = m;
  const actorNum = Number(actor);
  if (actorNum < 1001 || actorNum > 1091) {
    throw new CorpusError(file, `CREMA-D actor ${actor} is outside 1001–1091`);
  }
  if (!CREMAD_SENTENCES.includes(sentence)) {
    throw new CorpusError(file, `unknown CREMA-D sentence "${sentence}"`);
  }
  if (!Object.hasOwn(CREMAD_EMOTIONS, emotion)) {
    throw new CorpusError(file, `unknown CREMA-D emotion "${emotion}"`);
  }
  if (!Object.hasOwn(LEVELS, level)) {
    throw new CorpusError(file, `unknown CREMA-D level "${level}"`);
  }
  return {
    corpus: "crema-d",
    speaker: `crema-d:${actor}`,
    gender: genders.get(actor) ?? "unknown",
    emotion: CREMAD_EMOTIONS[emotion],
    label: emotion,
    intensity: LEVELS[level],
    statement: sentence,
    repetition: null,
    modality: null,
    vocalChannel: null,
  };
}

/**
 * Reads CREMA-D's `VideoDemographics.csv` into actor id → gender. Throws a
 * {@linkcode CorpusError} naming the file if the `ActorID`/`Sex` columns are
 * missing or a sex value is neither Male nor Female.
 */
export function readCremadDemographics(file: string): Map<string, Gender> {
  let rows: Record<string, unknown>[];
  try {
    rows = pl.readCSV(Deno.readTextFileSync(file), { inferSchemaLength: 0 })
      .toRecords();
  } catch (err) {
    throw new CorpusError(file, `unreadable CSV (${String(err)})`);
  }
  const out = new Map<string, Gender>();
  for (const [i, row] of rows.entries()) {
    if (!("ActorID" in row) || !("Sex" in row)) {
      throw new CorpusError(file, "missing column ActorID or Sex");
    }
    const sex = String(row.Sex).trim().toLowerCase();
    if (sex !== "male" && sex !== "female") {
      throw new CorpusError(
        file,
        `row ${i + 2}: Sex "${row.Sex}" is neither Male nor Female`,
      );
    }
    out.set(String(row.ActorID).trim(), sex);
  }
  return out;
}

/** Where `VideoDemographics.csv` is for a CREMA-D folder, if present. */
export function findCremadDemographics(root: string): string | undefined {
  return [root, path.dirname(root)].map((d) =>
    path.join(d, "VideoDemographics.csv")
  ).find(exists);
}

/** True if a base name looks like a CREMA-D file name (for detection). */
export function looksLikeCremad(baseName: string): boolean {
  return NAME.test(baseName.replace(/\.[^.]+$/, ""));
}

/** Indexer for a CREMA-D folder (e.g. its `AudioWAV/`). */
export const cremadIndexer: CorpusIndexer = {
  corpus: "crema-d",
  list: (root) => {
    const csv = findCremadDemographics(root);
    const genders = csv ? readCremadDemographics(csv) : new Map();
    return Promise.resolve(
      labelFiles(root, (f) => parseCremadName(f, genders)),
    );
  },
};
