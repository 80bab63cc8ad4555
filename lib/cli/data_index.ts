/**
 * `deno task data index <dir>...` — scans corpus folders (or CSV manifests)
 * into a manifest and prints a summary: files, speakers, emotions, hours and
 * every file that could not be indexed, per corpus. `--json` prints the
 * summary as JSON (nothing else on stdout); `--out` writes the manifest CSV.
 * Individual bad files never make it fail; usage errors and a run where no
 * given folder exists do.
 *
 * @module
 */
import { Command, Option } from "commander";
import {
  type CorpusName,
  INDEXERS,
  parseMergeSpecs,
  parseSelect,
  scanCorpus,
  type ScanSummary,
  summarizeScan,
} from "../corpora/mod.ts";
import { displayPath, exists, writeFileAtomic } from "../paths.ts";
import { createCommand, parseList, parsePositiveInt } from "./common.ts";

interface IndexFlags {
  json?: boolean;
  out?: string;
  merge: string[];
  select?: string[];
  corpus?: CorpusName;
  concurrency: number;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function counts(emotions: Record<string, number>): string {
  const parts = Object.entries(emotions).map(([e, n]) => `${e} ${n}`);
  return parts.length > 0 ? parts.join(", ") : "none";
}

/** The human-readable summary of a scan. */
export function formatSummary(summary: ScanSummary): string {
  const lines: string[] = [];
  for (const [name, c] of Object.entries(summary.corpora)) {
    lines.push(`${name}: ${c.roots.map(displayPath).join(", ")}`);
    lines.push(
      `  ${c.files} files, ${c.speakers} speakers, ${
        c.hours.toFixed(3)
      } h, ${c.errors} errors` +
        (c.excluded > 0 ? `, ${c.excluded} excluded by --select` : ""),
    );
    lines.push(`  emotions: ${counts(c.emotions)}`);
  }
  const hours = Object.values(summary.corpora).reduce((s, c) => s + c.hours, 0);
  lines.push(
    `total: ${summary.files} files, ${summary.speakers} speakers, ${
      hours.toFixed(3)
    } h, ${summary.errors.length} errors`,
  );
  lines.push(`emotions: ${counts(summary.emotions)}`);
  if (summary.errors.length > 0) {
    lines.push("errors:");
    for (const e of summary.errors) {
      lines.push(`  ${displayPath(e.path)}: ${e.reason}`);
    }
  }
  return lines.join("\n");
}

/** Builds the `index` subcommand of `deno task data`. */
export function indexCommand(): Command {
  return createCommand(
    "index",
    "Scan corpus folders (RAVDESS, TESS, CREMA-D, SAVEE, EmoDB, synthetic, folder-per-label) or CSV manifests into a manifest",
  )
    .argument("<dirs...>", "corpus folders or CSV manifests")
    .option("--json", "print the summary as JSON on stdout")
    .option("--out <file>", "write the manifest as CSV (atomically)")
    .option(
      "--merge <from=to>",
      "merge one emotion into another, e.g. calm=neutral (repeatable)",
      collect,
      [],
    )
    .option(
      "--select <emotions>",
      "keep only these emotions (after merging), e.g. angry,happy,sad",
      parseList,
    )
    .addOption(
      new Option("--corpus <name>", "read every folder as this corpus")
        .choices(Object.keys(INDEXERS)),
    )
    .option(
      "--concurrency <n>",
      "files probed at once",
      parsePositiveInt,
      8,
    )
    .action(async (dirs: string[], flags: IndexFlags) => {
      const merge = parseMergeSpecs(flags.merge);
      const select = flags.select ? parseSelect(flags.select) : undefined;
      if (!dirs.some(exists)) {
        throw new Error(
          `none of the given folders exists: ${dirs.join(", ")}`,
        );
      }
      const scan = await scanCorpus(dirs, {
        merge,
        select,
        corpus: flags.corpus,
        concurrency: flags.concurrency,
      });
      const summary = summarizeScan(scan);
      if (flags.out) {
        const csv = scan.manifest.writeCSV();
        writeFileAtomic(flags.out, new Uint8Array(csv));
      }
      if (flags.json) {
        console.log(JSON.stringify(summary, null, 2));
      } else {
        console.log(formatSummary(summary));
        if (flags.out) console.log(`manifest: ${displayPath(flags.out)}`);
      }
    });
}
