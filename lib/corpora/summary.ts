/**
 * Counting a scan: files, speakers, emotions, hours and errors, overall and
 * per corpus — the figures `deno task data index` prints.
 *
 * @module
 */
import { EMOTIONS } from "./emotions.ts";
import type { ScanResult } from "./scan.ts";
import type { Utterance } from "./types.ts";

/** Counts for one corpus of a scan. */
export interface CorpusSummary {
  /** Folders (or CSV files) its clips came from. */
  roots: string[];
  /** Clips in the manifest. */
  files: number;
  /** Distinct speakers. */
  speakers: number;
  /** Clips per emotion (vocabulary order, only emotions present). */
  emotions: Record<string, number>;
  /** Total audio duration in hours. */
  hours: number;
  /** Files that could not be indexed in folders detected as this corpus. */
  errors: number;
  /** Clips left out by `select`. */
  excluded: number;
}

/** Counts for a whole scan; the shape `data index --json` prints. */
export interface ScanSummary {
  /** Clips in the manifest. */
  files: number;
  /** Distinct speakers over all corpora (ids are namespaced by corpus). */
  speakers: number;
  /** Clips per emotion (vocabulary order, only emotions present). */
  emotions: Record<string, number>;
  /** Per corpus, keyed by corpus name. */
  corpora: Record<string, CorpusSummary>;
  /** Every file that could not be indexed, with the reason. */
  errors: { path: string; reason: string }[];
}

function countEmotions(items: readonly Utterance[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of EMOTIONS) {
    const n = items.filter((u) => u.emotion === e).length;
    if (n > 0) counts[e] = n;
  }
  return counts;
}

function hoursOf(items: readonly Utterance[]): number {
  return items.reduce((s, u) => s + u.durationS, 0) / 3600;
}

/** Summarises a scan (see {@linkcode ScanSummary}). */
export function summarizeScan(scan: ScanResult): ScanSummary {
  const corpora: Record<string, CorpusSummary> = {};
  const entry = (name: string): CorpusSummary =>
    corpora[name] ??= {
      roots: [],
      files: 0,
      speakers: 0,
      emotions: {},
      hours: 0,
      errors: 0,
      excluded: 0,
    };
  for (const s of scan.sources) {
    const names = s.itemCorpora.length > 0
      ? s.itemCorpora
      : s.corpus !== null
      ? [s.corpus]
      : [];
    for (const name of names) entry(name).roots.push(s.root);
  }
  const names = new Set(scan.items.map((u) => u.corpus));
  for (const name of names) {
    const items = scan.items.filter((u) => u.corpus === name);
    Object.assign(entry(name), {
      files: items.length,
      speakers: new Set(items.map((u) => u.speaker)).size,
      emotions: countEmotions(items),
      hours: hoursOf(items),
    });
  }
  for (const e of scan.errorList) {
    if (e.corpus !== "unknown") entry(e.corpus).errors++;
  }
  for (const [name, n] of Object.entries(scan.excludedByCorpus)) {
    entry(name).excluded = n;
  }
  return {
    files: scan.items.length,
    speakers: new Set(scan.items.map((u) => u.speaker)).size,
    emotions: countEmotions(scan.items),
    corpora,
    errors: scan.errorList.map(({ path, reason }) => ({ path, reason })),
  };
}
