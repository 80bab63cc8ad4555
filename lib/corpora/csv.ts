/**
 * A CSV manifest for anything else: columns `path`, `emotion`, `speaker`
 * (required) and optionally `gender`, `intensity`, `statement`, `repetition`,
 * `corpus` (default `csv`). Paths are relative to the CSV's folder (or
 * absolute); emotions are words as in `emotionFromWord`. Speaker ids are
 * namespaced as `<corpus>:<speaker>` unless they already contain a `:`.
 *
 * @module
 */
import * as path from "node:path";
import pl from "nodejs-polars";
import { emotionFromWord } from "./emotions.ts";
import { CorpusError } from "./errors.ts";
import type {
  Candidate,
  CorpusIndexer,
  Gender,
  UtteranceLabel,
} from "./types.ts";

/** The columns a CSV manifest must have. */
export const CSV_REQUIRED_COLUMNS: readonly string[] = [
  "path",
  "emotion",
  "speaker",
];

function cell(row: Record<string, unknown>, key: string): string | null {
  const v = row[key];
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === "" ? null : s;
}

function parseGender(value: string | null): Gender | undefined {
  if (value === null) return "unknown";
  const v = value.toLowerCase();
  if (v === "m" || v === "male") return "male";
  if (v === "f" || v === "female") return "female";
  if (v === "unknown") return "unknown";
  return undefined;
}

/**
 * Labels one manifest row; `where` names the row in errors. Throws a
 * {@linkcode CorpusError} for an unknown emotion or gender, an empty
 * speaker or a repetition that is not a positive integer.
 */
export function parseCsvRow(
  row: Record<string, unknown>,
  where: string,
): UtteranceLabel {
  const emotionCell = cell(row, "emotion") ?? "";
  const emotion = emotionFromWord(emotionCell);
  if (!emotion) {
    throw new CorpusError(where, `unknown emotion "${emotionCell}"`);
  }
  const speaker = cell(row, "speaker");
  if (speaker === null) throw new CorpusError(where, "empty speaker");
  const gender = parseGender(cell(row, "gender"));
  if (!gender) {
    throw new CorpusError(where, `unknown gender "${cell(row, "gender")}"`);
  }
  const repCell = cell(row, "repetition");
  const repetition = repCell === null ? null : Number(repCell);
  if (
    repetition !== null && (!Number.isInteger(repetition) || repetition < 1)
  ) {
    throw new CorpusError(where, `repetition "${repCell}" is not 1, 2, …`);
  }
  const corpus = cell(row, "corpus") ?? "csv";
  return {
    corpus,
    speaker: speaker.includes(":") ? speaker : `${corpus}:${speaker}`,
    gender,
    emotion,
    label: emotionCell,
    intensity: cell(row, "intensity"),
    statement: cell(row, "statement"),
    repetition,
    modality: null,
    vocalChannel: null,
  };
}

/**
 * Reads the CSV `file` (every cell a string) and checks it has `required`
 * columns; throws a {@linkcode CorpusError} naming it otherwise.
 */
function readCsvTable(file: string, required: readonly string[]): pl.DataFrame {
  let df: pl.DataFrame;
  try {
    df = pl.readCSV(Deno.readTextFileSync(file), { inferSchemaLength: 0 });
  } catch (err) {
    throw new CorpusError(file, `unreadable CSV (${String(err)})`);
  }
  const missing = required.filter((c) => !df.columns.includes(c));
  if (missing.length > 0) {
    throw new CorpusError(
      file,
      `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`,
    );
  }
  return df;
}

/**
 * One row of a manifest (`line`: its line in the file, `where`: `<csv> row
 * <line>`): its audio path (resolved), or why it has none.
 */
type ManifestRow =
  & { row: Record<string, unknown>; line: number; where: string }
  & ({ audio: string } | { error: string });

/** The rows of a manifest with their paths resolved against its folder. */
function manifestRows(
  file: string,
  required: readonly string[],
): ManifestRow[] {
  const dir = path.dirname(path.resolve(file));
  return readCsvTable(file, required).toRecords().map((row, i) => {
    const line = i + 2;
    const where = `${file} row ${line}`;
    const rel = cell(row, "path");
    return rel === null
      ? { row, line, where, error: `row ${line}: empty path` }
      : { row, line, where, audio: path.resolve(dir, rel) };
  });
}

/**
 * Reads a CSV manifest into candidates (one per row). Throws a
 * {@linkcode CorpusError} naming the CSV if it cannot be read or lacks a
 * required column; a bad row becomes a candidate with its reason. Paths may
 * point anywhere; what they point at is checked when the clip is probed
 * (a regular audio file, see `probeAudio`), and errors never quote its bytes.
 */
export function readCsvManifest(file: string): Candidate[] {
  return manifestRows(file, CSV_REQUIRED_COLUMNS).map((r): Candidate => {
    if ("error" in r) return { path: r.where, error: r.error, where: r.where };
    try {
      return {
        path: r.audio,
        label: parseCsvRow(r.row, r.where),
        where: r.where,
      };
    } catch (err) {
      return {
        path: r.audio,
        error: `row ${r.line}: ${(err as CorpusError).reason}`,
        where: r.where,
      };
    }
  });
}

/**
 * The audio paths a CSV manifest lists in its `path` column (the only
 * column needed), resolved against its folder, and the rows without one.
 * Throws a {@linkcode CorpusError} if it cannot be read or has no `path`
 * column.
 */
export function readManifestPaths(
  file: string,
): { paths: string[]; errors: { path: string; reason: string }[] } {
  const paths: string[] = [];
  const errors: { path: string; reason: string }[] = [];
  for (const r of manifestRows(file, ["path"])) {
    if ("error" in r) errors.push({ path: file, reason: r.error });
    else paths.push(r.audio);
  }
  return { paths, errors };
}

/** Indexer for a CSV manifest (`root` is the CSV file). */
export const csvIndexer: CorpusIndexer = {
  corpus: "csv",
  list: (root) => Promise.resolve(readCsvManifest(root)),
};
