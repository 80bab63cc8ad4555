/**
 * Scanning corpus folders into a manifest: detect each folder's corpus,
 * label every audio file by its name, read its header facts with
 * `probeAudio`, apply the label options, and record every file that fails in
 * the errors table — a scan never stops at one bad file and never drops one
 * silently. A file listed twice (two manifest rows, or two folders given)
 * is indexed once; when the listings disagree on its label, the second is
 * an error row saying both.
 *
 * @module
 */
import * as path from "node:path";
import type pl from "nodejs-polars";
import { probeAudio } from "../audio/mod.ts";
import { createProgress } from "../progress.ts";
import { detectCorpus, INDEXERS } from "./detect.ts";
import {
  applyLabelOptions,
  type LabelOptions,
  validateLabelOptions,
} from "./emotions.ts";
import { reasonOf } from "./files.ts";
import { errorsFrame, manifestFrame, type ScanError } from "./manifest.ts";
import type { Candidate, CorpusName, Utterance } from "./types.ts";

/** Scans of at least this many files show progress by default. */
export const PROGRESS_MIN_FILES = 1000;

/** Options of {@linkcode scanCorpus}. */
export interface ScanOptions extends LabelOptions {
  /** Skip detection and read every folder as this corpus. */
  corpus?: CorpusName;
  /** Files probed at once (default 8). */
  concurrency?: number;
  /** Show progress on stderr (default: when ≥ {@linkcode PROGRESS_MIN_FILES} files). */
  progress?: boolean;
}

/** A scanned folder (or CSV manifest) and the corpus it was read as. */
export interface ScannedSource {
  /** The folder or CSV file as given (resolved to an absolute path). */
  root: string;
  /** The detected (or forced) corpus; null if the folder could not be read. */
  corpus: CorpusName | null;
  /** Audio files found (manifest rows + errors + excluded). */
  files: number;
  /** Corpus names of the clips read from it (a CSV manifest may name several). */
  itemCorpora: string[];
}

/** Result of {@linkcode scanCorpus}. */
export interface ScanResult {
  /** One row per indexed clip; see `MANIFEST_COLUMNS`. */
  manifest: pl.DataFrame;
  /** One row per file that could not be indexed: `path`, `corpus`, `reason`. */
  errors: pl.DataFrame;
  /** The manifest rows as objects, in manifest order. */
  items: Utterance[];
  /** The errors as objects, in table order. */
  errorList: ScanError[];
  /** Clips read fine but left out by `select`, per corpus. */
  excludedByCorpus: Record<string, number>;
  /** Each folder given, with its corpus. */
  sources: ScannedSource[];
}

async function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return out;
}

/**
 * Why a second listing of one file contradicts the first (another emotion,
 * speaker or corpus, or a label where the first had an error or the other
 * way round), or null when both say the same or both are errors (the first
 * is reported as one).
 */
function labelConflict(first: Candidate, again: Candidate): string | null {
  if ("error" in first && "error" in again) return null;
  if ("label" in first && "label" in again) {
    const a = first.label;
    const b = again.label;
    if (
      a.emotion === b.emotion && a.speaker === b.speaker &&
      a.corpus === b.corpus
    ) return null;
  }
  const says = (c: Candidate, fallback: string) =>
    `${c.where ?? fallback} ${
      "label" in c
        ? `says ${c.label.emotion} (speaker ${c.label.speaker})`
        : `is an error (${c.error})`
    }`;
  return `listed twice with different labels: ${
    says(first, "the first listing")
  }, ${says(again, "the second")}; the first is kept`;
}

type Probed = { item: Utterance } | { error: string };

async function probe(c: Candidate): Promise<Probed> {
  if ("error" in c) return { error: c.error };
  try {
    const info = await probeAudio(c.path);
    if (info.frames === 0) return { error: "empty audio: 0 frames" };
    return {
      item: {
        ...c.label,
        path: c.path,
        durationS: info.durationS,
        sampleRate: info.sampleRate,
        channels: info.channels,
        frames: info.frames,
        codec: info.codec,
      },
    };
  } catch (err) {
    return { error: reasonOf(err) };
  }
}

/**
 * Scans folders (or CSV manifests) into a manifest. Each target's corpus is
 * detected (see `detectCorpus`) unless `options.corpus` forces one; a target
 * that is missing or unreadable becomes one error row for that path. Label
 * options (`merge`, `select`) are validated first (throws on unknown
 * emotions) and applied to every clip.
 */
export async function scanCorpus(
  dirs: readonly string[],
  options: ScanOptions = {},
): Promise<ScanResult> {
  validateLabelOptions(options);
  const errorList: ScanError[] = [];
  const sources: ScannedSource[] = [];
  const jobs: { candidate: Candidate; corpus: string; source: number }[] = [];
  const seen = new Map<string, Candidate>();
  for (const dir of dirs) {
    const root = path.resolve(dir);
    let corpus: CorpusName | null = null;
    let found = 0;
    try {
      corpus = options.corpus ?? detectCorpus(root);
      for (const candidate of await INDEXERS[corpus].list(root)) {
        const first = seen.get(candidate.path);
        if (first) {
          const conflict = labelConflict(first, candidate);
          if (conflict) {
            errorList.push({ path: candidate.path, reason: conflict, corpus });
          }
          continue;
        }
        seen.set(candidate.path, candidate);
        found++;
        jobs.push({ candidate, corpus, source: sources.length });
      }
    } catch (err) {
      errorList.push({
        path: root,
        reason: reasonOf(err),
        corpus: corpus ?? "unknown",
      });
    }
    sources.push({ root, corpus, files: found, itemCorpora: [] });
  }

  const show = options.progress ?? jobs.length >= PROGRESS_MIN_FILES;
  const progress = createProgress({
    label: "index",
    total: jobs.length,
    mode: show ? undefined : "silent",
  });
  const probed = await mapPool(
    jobs,
    options.concurrency ?? 8,
    async (job) => {
      const result = await probe(job.candidate);
      progress.tick();
      return result;
    },
  );
  progress.done();

  const items: Utterance[] = [];
  const excludedByCorpus: Record<string, number> = {};
  probed.forEach((result, i) => {
    const { candidate, corpus, source } = jobs[i];
    if ("error" in result) {
      errorList.push({ path: candidate.path, reason: result.error, corpus });
      return;
    }
    const names = sources[source].itemCorpora;
    if (!names.includes(result.item.corpus)) names.push(result.item.corpus);
    const emotion = applyLabelOptions(result.item.emotion, options);
    if (emotion === null) {
      const c = result.item.corpus;
      excludedByCorpus[c] = (excludedByCorpus[c] ?? 0) + 1;
    } else items.push({ ...result.item, emotion });
  });
  return {
    manifest: manifestFrame(items),
    errors: errorsFrame(errorList),
    items,
    errorList,
    excludedByCorpus,
    sources,
  };
}
