/**
 * Predicting many inputs: files and folders (audio files found recursively)
 * are predicted one file at a time, and each becomes one result entry — the
 * prediction or the reason it failed — so one bad file never stops the rest.
 *
 * @module
 */
import { AUDIO_EXTENSIONS } from "../corpora/mod.ts";
import { walkFiles } from "../paths.ts";
import type { Predictor } from "./predictor.ts";
import type {
  ClassProbabilities,
  PredictOptions,
  TimelineWindow,
} from "./samples.ts";

/** A predicted file, as `deno task predict --json` prints it. */
export interface PredictedEntry {
  /** The file. */
  path: string;
  /** Top class of the verdict. */
  emotion: string;
  /** Probability of every class. */
  probabilities: ClassProbabilities;
  /** Sliding-window timeline (recordings longer than the window). */
  timeline?: TimelineWindow[];
  /** Whose statistics normalised it, for a speaker-normalised model (see `Prediction`). */
  normalization?: "speaker" | "recording";
}

/** A file (or input) that could not be predicted. */
export interface FailedEntry {
  /** The file, folder or argument. */
  path: string;
  /** Why, as a one-line message naming the file. */
  error: string;
}

/** One result of {@linkcode predictPaths}. */
export type PredictEntry = PredictedEntry | FailedEntry;

/** Options of {@linkcode predictPaths}. */
export interface PredictPathsOptions extends PredictOptions {
  /**
   * Every input is one speaker's recording: a model trained on
   * speaker-normalised features normalises them together (by the
   * statistics of all of them) instead of each by its own.
   */
  sameSpeaker?: boolean;
  /** Called once the files are known, with their number. */
  onStart?: (files: number) => void;
  /** Called after each file with its entry. */
  onFile?: (entry: PredictEntry) => void;
}

/** True for an entry that holds an error. */
export function isFailed(entry: PredictEntry): entry is FailedEntry {
  return "error" in entry;
}

/**
 * The files named by `inputs`: a file stands for itself, a folder for every
 * audio file below it (recursively, sorted; extensions as corpus scans use),
 * in input order. Inputs that do not exist, and folders without audio, come
 * back as failed entries in their place.
 */
export function expandInputs(
  inputs: readonly string[],
): (string | FailedEntry)[] {
  return inputs.flatMap((input): (string | FailedEntry)[] => {
    let stat: Deno.FileInfo;
    try {
      stat = Deno.statSync(input);
    } catch {
      return [{ path: input, error: `${input}: no such file or folder` }];
    }
    if (!stat.isDirectory) return [input];
    const files = walkFiles(input, AUDIO_EXTENSIONS);
    return files.length > 0 ? files : [{
      path: input,
      error: `${input}: no audio files in this folder (looked for ${
        AUDIO_EXTENSIONS.join(", ")
      })`,
    }];
  });
}

/**
 * Predicts every file named by `inputs` (see {@linkcode expandInputs}) with
 * `predictor`, one file at a time, and returns one entry per file in order.
 * Invalid window settings throw before any file is read.
 */
export async function predictPaths(
  predictor: Predictor,
  inputs: readonly string[],
  options: PredictPathsOptions = {},
): Promise<PredictEntry[]> {
  predictor.windowing(options);
  const items = expandInputs(inputs);
  const files = items.filter((i): i is string => typeof i === "string");
  const speakerStats = options.sameSpeaker && predictor.speakerNormalized &&
      files.length > 0
    ? await predictor.speakerStats(files)
    : options.speakerStats;
  options.onStart?.(items.length);
  const entries: PredictEntry[] = [];
  for (const item of items) {
    let entry: PredictEntry;
    if (typeof item !== "string") {
      entry = item;
    } else {
      try {
        const p = await predictor.predictFile(item, {
          ...options,
          speakerStats,
        });
        entry = {
          path: item,
          emotion: p.emotion,
          probabilities: p.probabilities,
          ...(p.timeline ? { timeline: p.timeline } : {}),
          ...(p.normalization ? { normalization: p.normalization } : {}),
        };
      } catch (err) {
        entry = {
          path: item,
          error: err instanceof Error ? err.message : String(err),
        };
      }
    }
    entries.push(entry);
    options.onFile?.(entry);
  }
  return entries;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

/**
 * A human-readable table of `entries`: one row per file (verdict, its
 * probability, every class probability), the timeline windows indented under
 * their file (silent ones marked), failed files as `error: <message>` (the
 * message names the file).
 */
export function formatPredictions(
  entries: readonly PredictEntry[],
  labels: readonly string[],
): string {
  const rows: string[][] = [];
  const notes: (string | null)[] = [];
  for (const e of entries) {
    if (isFailed(e)) {
      rows.push([e.path]);
      notes.push(`error: ${e.error}`);
      continue;
    }
    const probs = (p: ClassProbabilities) => labels.map((l) => p[l].toFixed(3));
    rows.push([e.path, e.emotion, ...probs(e.probabilities)]);
    notes.push(null);
    for (const w of e.timeline ?? []) {
      rows.push([
        `  ${w.start_s.toFixed(2)}–${w.end_s.toFixed(2)} s${
          w.silent ? " (silent)" : ""
        }`,
        w.emotion,
        ...probs(w.probabilities),
      ]);
      notes.push(null);
    }
  }
  const header = ["file", "emotion", ...labels];
  const widths = header.map((h, c) =>
    Math.max(
      h.length,
      ...rows.filter((_, i) => notes[i] === null).map((r) => r[c].length),
    )
  );
  const line = (cells: string[]) =>
    cells.map((cell, c) => pad(cell, widths[c])).join("  ").trimEnd();
  return [
    line(header),
    ...rows.map((r, i) => notes[i] ?? line(r)),
  ].join("\n");
}
