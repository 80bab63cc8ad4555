/**
 * `deno task features <dir|manifest.csv> [--flavour librosa|meyda] [--kind
 * mfcc|logmel] [--workers N] [--out dir] [--no-cache]` — extracts features of
 * every audio file under a folder (links followed) or listed in a CSV
 * manifest's `path` column, with a progress bar, and ends with one
 * machine-readable line on stdout:
 * `features files=<n> audio_s=<seconds of audio> wall_s=<seconds> realtime=<audio_s/wall_s>`.
 *
 * @module
 */
import * as path from "node:path";
import { listAudioFiles, readManifestPaths } from "../corpora/mod.ts";
import {
  DEFAULT_CACHE_DIR,
  DEFAULT_FEATURE_CONFIG,
  extractBatch,
  type FeatureConfig,
  resolveFeatureConfig,
  writeFeatureSet,
} from "../features/mod.ts";
import { displayPath } from "../paths.ts";
import { createProgress } from "../progress.ts";
import { createCommand, parsePositiveInt, runCli } from "./common.ts";

interface FeaturesFlags {
  flavour: string;
  kind: string;
  workers?: number;
  out?: string;
  cache: boolean;
  cacheDir: string;
}

/**
 * The audio files named by a folder (recursively, links followed) or by a
 * CSV manifest's `path` column (read by the corpora module), and what could
 * not be listed (an unreadable sub-folder, a row without a path).
 */
export function listInputs(
  source: string,
): { paths: string[]; errors: { path: string; reason: string }[] } {
  let stat: Deno.FileInfo;
  try {
    stat = Deno.statSync(source);
  } catch {
    throw new Error(`${source}: no such folder or manifest`);
  }
  if (stat.isDirectory) {
    const errors: { path: string; reason: string }[] = [];
    return { paths: listAudioFiles(source, (e) => errors.push(e)), errors };
  }
  if (path.extname(source).toLowerCase() !== ".csv") {
    throw new Error(
      `${source}: not a folder or a CSV manifest; a file given to features must be a .csv manifest with a path column (for audio files, give their folder)`,
    );
  }
  return readManifestPaths(source);
}

/** Builds the `features` command. */
export function featuresCommand() {
  return createCommand(
    "features",
    "Extract MFCC / log-mel features of a folder or manifest",
  )
    .argument(
      "<source>",
      "folder of audio files, or a CSV manifest with a path column",
    )
    .option(
      "--flavour <flavour>",
      "librosa or meyda",
      DEFAULT_FEATURE_CONFIG.flavour,
    )
    .option("--kind <kind>", "mfcc or logmel", DEFAULT_FEATURE_CONFIG.kind)
    .option(
      "--workers <n>",
      "parallel threads (1 = this thread; default: cores, 1 below 16 files)",
      parsePositiveInt,
    )
    .option(
      "--out <dir>",
      "write the features as <dir>/index.json + features.f32 (atomically)",
    )
    .option("--no-cache", "do not read or write the feature cache")
    .option("--cache-dir <dir>", "feature cache folder", DEFAULT_CACHE_DIR)
    .action(async (source: string, flags: FeaturesFlags) => {
      const config: FeatureConfig = resolveFeatureConfig(
        { flavour: flags.flavour, kind: flags.kind },
        "--flavour/--kind",
      );
      const cores = navigator.hardwareConcurrency;
      if (flags.workers !== undefined && flags.workers > cores) {
        console.error(
          `note: --workers ${flags.workers} is more than the ${cores} cores here; using ${cores} (more only add memory)`,
        );
      }
      const { paths, errors } = listInputs(source);
      for (const e of errors) {
        console.error(`skipped ${displayPath(e.path)}: ${e.reason}`);
      }
      if (paths.length === 0) {
        throw new Error(`${source}: no audio files found`);
      }
      const progress = createProgress({
        label: "features",
        total: paths.length,
      });
      let shown = 0;
      const result = await extractBatch(paths, config, {
        workers: flags.workers,
        cacheDir: flags.cache ? flags.cacheDir : null,
        onProgress: (done) => {
          progress.tick(done - shown);
          shown = done;
        },
      });
      progress.done(
        `${result.errors.length} failed, ${result.cacheHits} from cache`,
      );
      for (const e of result.errors) {
        console.error(`skipped ${displayPath(e.path)}: ${e.reason}`);
      }
      const ok = result.features.flatMap((m, i) =>
        m ? [{ path: paths[i], matrix: m }] : []
      );
      if (ok.length === 0) {
        throw new Error(`${source}: no file could be extracted`);
      }
      if (flags.out) writeFeatureSet(flags.out, config, ok);
      const realtime = result.audioS / result.wallS;
      console.log(
        `features files=${ok.length} audio_s=${
          result.audioS.toFixed(3)
        } wall_s=${result.wallS.toFixed(3)} realtime=${realtime.toFixed(1)}`,
      );
    });
}

if (import.meta.main) await runCli(featuresCommand(), Deno.args);
