/**
 * Manifest and error tables as nodejs-polars DataFrames.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { Utterance } from "./types.ts";

/** The manifest's columns, in order. */
export const MANIFEST_COLUMNS = [
  "path",
  "corpus",
  "speaker",
  "gender",
  "emotion",
  "label",
  "intensity",
  "statement",
  "repetition",
  "durationS",
  "sampleRate",
  "channels",
  "frames",
  "codec",
  "modality",
  "vocalChannel",
] as const;

/** A file that could not be indexed, and why. */
export interface ScanError {
  /** The file (or folder, or CSV row) concerned. */
  path: string;
  /** Why it is not in the manifest. */
  reason: string;
  /** Corpus of the folder it was found in (`unknown` if not detected). */
  corpus: string;
}

function strings(name: string, values: (string | null)[]): pl.Series {
  return pl.Series(name, values, pl.Utf8);
}

function ints(name: string, values: (number | null)[]): pl.Series {
  // Built as f64 and cast: nodejs-polars turns null into 0 when an integer
  // Series is built directly from values.
  return pl.Series(name, values, pl.Float64).cast(pl.Int64);
}

/**
 * The manifest DataFrame of `items`: one row per clip, columns
 * {@linkcode MANIFEST_COLUMNS} (strings; `repetition`, `sampleRate`,
 * `channels`, `frames` as Int64; `durationS` as Float64; nulls where a corpus
 * lacks the field).
 */
export function manifestFrame(items: readonly Utterance[]): pl.DataFrame {
  const col = <K extends keyof Utterance>(k: K) => items.map((u) => u[k]);
  return pl.DataFrame([
    strings("path", col("path")),
    strings("corpus", col("corpus")),
    strings("speaker", col("speaker")),
    strings("gender", col("gender")),
    strings("emotion", col("emotion")),
    strings("label", col("label")),
    strings("intensity", col("intensity")),
    strings("statement", col("statement")),
    ints("repetition", col("repetition")),
    pl.Series("durationS", col("durationS"), pl.Float64),
    ints("sampleRate", col("sampleRate")),
    ints("channels", col("channels")),
    ints("frames", col("frames")),
    strings("codec", col("codec")),
    strings("modality", col("modality")),
    strings("vocalChannel", col("vocalChannel")),
  ]);
}

/** The errors DataFrame: columns `path`, `corpus`, `reason`. */
export function errorsFrame(errors: readonly ScanError[]): pl.DataFrame {
  return pl.DataFrame([
    strings("path", errors.map((e) => e.path)),
    strings("corpus", errors.map((e) => e.corpus)),
    strings("reason", errors.map((e) => e.reason)),
  ]);
}
