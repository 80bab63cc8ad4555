/**
 * `fetchCorpus`: download a public corpus from its official source (or a
 * mirror given with `url`), verify it, and move it into `<dest>/<corpus>`
 * only when complete.
 *
 * - zip sources (RAVDESS): the archive goes to `<dest>/downloads/<file>`
 *   (resumable, size and checksum verified; from a URL without a checksum,
 *   the zip must open completely before it counts), is extracted safely into
 *   a temporary folder beside the target, and that folder is renamed to
 *   `<dest>/<corpus>`. The archive is kept: `force` re-extracts it without
 *   downloading again when a checksum vouches for it, and downloads it again
 *   when none does.
 * - dataverse sources (TESS): each file of the dataset is downloaded into
 *   `<dest>/downloads/<corpus>/` (resumable, size and published checksum
 *   verified; files already verified are not fetched again), then all are
 *   moved into a temporary folder that is renamed to `<dest>/<corpus>`.
 *
 * A complete corpus folder carries `.fetch.json` (what was fetched, from
 * where, how it was verified). An existing complete folder is left alone
 * unless `force` is set. One fetch at a time writes into a `dest`: it holds
 * `<dest>/.lock` (`lockDir`) while it runs, and a second one fails at once
 * naming the first (two would share one `.part` and corrupt it).
 *
 * @module
 */
import * as path from "node:path";
import { lockDir } from "../lock.ts";
import { DATA_DIR, displayPath, exists, walkFiles } from "../paths.ts";
import { createProgress, type ProgressOptions } from "../progress.ts";
import { download } from "./download.ts";
import { checkZipComplete, type ExtractLimits, extractZip } from "./extract.ts";
import { dataverseFileUrl, listDataverseFiles } from "./dataverse.ts";
import { buildDirAtomically, removeStaleStaging } from "./staging.ts";
import {
  type Checksum,
  type CorpusName,
  type CorpusSource,
  type DataverseSource,
  getSource,
  type ZipSource,
} from "./sources.ts";

/** Name of the marker file a complete fetched corpus folder carries. */
export const FETCH_MARKER = ".fetch.json";

/** Audio file extensions counted in a fetched corpus. */
export const AUDIO_EXTENSIONS: readonly string[] = [
  ".wav",
  ".mp3",
  ".flac",
  ".ogg",
];

/** Options for {@linkcode fetchCorpus}. */
export interface FetchOptions {
  /** Corpus name (`ravdess` or `tess`). */
  corpus: string;
  /** Data folder holding `downloads/` and `<corpus>/` (default `data/`). */
  dest?: string;
  /**
   * Override of the source location: the zip URL for zip sources (the
   * published size and checksum then no longer apply, unless `checksum` is
   * given), the base URL of the Dataverse installation for dataverse sources.
   */
  url?: string;
  /** Checksum to verify a zip downloaded from `url` against. */
  checksum?: Checksum;
  /** Fetch again even if `<dest>/<corpus>` is complete. */
  force?: boolean;
  /** Progress display mode (see `createProgress`). */
  progress?: ProgressOptions["mode"];
  /** Overrides of the extraction limits. */
  limits?: Partial<ExtractLimits>;
  /** Parallel file downloads for dataverse sources (default 4). */
  concurrency?: number;
  /** Seconds without data before a request is given up (default 60; see `download`). */
  readTimeoutS?: number;
  /** Where status lines go (default `console.log`). */
  log?: (line: string) => void;
}

/** What {@linkcode fetchCorpus} did. */
export interface FetchResult {
  /** Corpus name. */
  corpus: CorpusName;
  /** Folder holding the corpus. */
  dir: string;
  /** Number of audio files in it. */
  audioFiles: number;
  /** True if the corpus was already complete and nothing was fetched. */
  alreadyPresent: boolean;
}

/** Contents of the {@linkcode FETCH_MARKER} file. */
export interface FetchRecord {
  /** Corpus name. */
  corpus: CorpusName;
  /** Title of the source. */
  title: string;
  /** URL the corpus was fetched from. */
  url: string;
  /** How the download was verified, e.g. `md5 bc69…` or `size only`. */
  verified: string;
  /** Licence of the corpus. */
  licence: string;
  /** Number of audio files. */
  audioFiles: number;
  /** ISO time of completion. */
  fetchedAt: string;
}

function fileNameFromUrl(url: string, fallback: string): string {
  const base = path.posix.basename(new URL(url).pathname);
  return /^[\w.-]+\.zip$/i.test(base) ? base : fallback;
}

function countAudio(dir: string): number {
  return walkFiles(dir, AUDIO_EXTENSIONS).length;
}

async function writeRecord(dir: string, record: FetchRecord): Promise<void> {
  await Deno.writeTextFile(
    path.join(dir, FETCH_MARKER),
    JSON.stringify(record, null, 2) + "\n",
  );
}

async function fetchZip(
  source: ZipSource,
  dir: string,
  options: FetchOptions,
  log: (line: string) => void,
): Promise<FetchRecord> {
  const official = options.url === undefined;
  const url = options.url ?? source.url;
  const checksum = options.checksum ?? (official ? source.checksum : undefined);
  const dest = options.dest ?? DATA_DIR;
  const archive = path.join(
    dest,
    "downloads",
    official ? source.fileName : fileNameFromUrl(url, `${source.corpus}.zip`),
  );
  log(`downloading ${url}`);
  log(`  to ${displayPath(archive)}`);
  log(
    checksum
      ? `  verifying ${checksum.algorithm} ${checksum.value}`
      : "  no published checksum for this URL: verifying the length the server announces and that the zip opens completely only (pass --checksum md5:<hex> to verify)",
  );
  // Without a checksum nothing vouches for a kept archive: --force fetches it again.
  const fresh = options.force === true && checksum === undefined;
  if (fresh && exists(archive)) log("  --force: downloading the archive again");
  const result = await download({
    url,
    dest: archive,
    size: official ? source.size : undefined,
    checksum,
    validate: checksum ? undefined : checkZipComplete,
    fresh,
    progress: options.progress,
    readTimeoutS: options.readTimeoutS,
  });
  if (result.reused) log(`  already downloaded and verified`);
  else if (result.resumedFrom > 0) {
    log(`  resumed after ${result.resumedFrom} bytes`);
  }
  log(`extracting into ${displayPath(dir)}`);
  const audioFiles = await buildDirAtomically(dir, async (tmp) => {
    await extractZip({
      archive,
      into: tmp,
      limits: options.limits,
      progress: options.progress,
    });
    const record: FetchRecord = {
      corpus: source.corpus,
      title: source.title,
      url,
      verified: checksum
        ? `${checksum.algorithm} ${checksum.value}`
        : `size ${result.bytes} bytes only`,
      licence: source.licence,
      audioFiles: countAudio(tmp),
      fetchedAt: new Date().toISOString(),
    };
    await writeRecord(tmp, record);
    return record;
  });
  log(`  archive kept at ${displayPath(archive)} (delete it to free space)`);
  return audioFiles;
}

async function fetchDataverse(
  source: DataverseSource,
  dir: string,
  options: FetchOptions,
  log: (line: string) => void,
): Promise<FetchRecord> {
  const server = (options.url ?? source.server).replace(/\/+$/, "");
  const dest = options.dest ?? DATA_DIR;
  const staging = path.join(dest, "downloads", source.corpus);
  log(`listing ${source.persistentId} on ${server}`);
  const files = await listDataverseFiles(
    server,
    source.persistentId,
    options.readTimeoutS,
  );
  if (files.length === 0) {
    throw new Error(`${source.persistentId} on ${server} lists no files`);
  }
  const algorithms = [...new Set(files.map((f) => f.checksum.algorithm))];
  log(
    `downloading ${files.length} files to ${
      displayPath(staging)
    }, verifying size and ${algorithms.join("/")} of each`,
  );
  const progress = createProgress({
    label: `download ${source.corpus}`,
    total: files.length,
    mode: options.progress,
  });
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++];
      await download({
        url: dataverseFileUrl(server, file.id),
        dest: path.join(staging, ...file.relPath.split("/")),
        size: file.size,
        checksum: file.checksum,
        progress: "silent",
        readTimeoutS: options.readTimeoutS,
      });
      progress.tick(1, file.relPath);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, files.length));
  await Promise.all(Array.from({ length: workers }, worker));
  progress.done(`${files.length} files`);
  log(`moving into ${displayPath(dir)}`);
  const record = await buildDirAtomically(dir, async (tmp) => {
    for (const file of files) {
      const target = path.join(tmp, ...file.relPath.split("/"));
      await Deno.mkdir(path.dirname(target), { recursive: true });
      await Deno.rename(path.join(staging, ...file.relPath.split("/")), target);
    }
    const record: FetchRecord = {
      corpus: source.corpus,
      title: source.title,
      url: `${server} ${source.persistentId}`,
      verified: `size and ${
        algorithms.join("/")
      } of each of ${files.length} files`,
      licence: source.licence,
      audioFiles: countAudio(tmp),
      fetchedAt: new Date().toISOString(),
    };
    await writeRecord(tmp, record);
    return record;
  });
  await Deno.remove(staging, { recursive: true });
  return record;
}

/**
 * Fetches `options.corpus` into `<dest>/<corpus>`; see the module
 * documentation. Throws on an unknown corpus, on a download, verification or
 * extraction failure (leaving no partial `<dest>/<corpus>`), when
 * `<dest>/<corpus>` exists without a fetch record and `force` is not set,
 * and when another fetch holds the lock on `<dest>` (see `lockDir`).
 */
export async function fetchCorpus(options: FetchOptions): Promise<FetchResult> {
  const source = getSource(options.corpus);
  const lock = lockDir(options.dest ?? DATA_DIR, `data fetch ${source.corpus}`);
  try {
    return await fetchLocked(source, options);
  } finally {
    lock.release();
  }
}

async function fetchLocked(
  source: CorpusSource,
  options: FetchOptions,
): Promise<FetchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dir = path.join(options.dest ?? DATA_DIR, source.corpus);
  const marker = path.join(dir, FETCH_MARKER);
  for (const stale of await removeStaleStaging(dir)) {
    log(`removed ${displayPath(stale)} left by an interrupted fetch`);
  }
  if (exists(dir) && !options.force) {
    if (!exists(marker)) {
      throw new Error(
        `${
          displayPath(dir)
        } exists but was not completed by data fetch (no ${FETCH_MARKER}); move it away or pass --force to replace it`,
      );
    }
    const record = JSON.parse(await Deno.readTextFile(marker)) as FetchRecord;
    const audioFiles = countAudio(dir);
    log(
      `${
        displayPath(dir)
      } is already complete (fetched ${record.fetchedAt} from ${record.url}); nothing to do (--force to fetch again)`,
    );
    return { corpus: source.corpus, dir, audioFiles, alreadyPresent: true };
  }
  if (options.url !== undefined) {
    let protocol = "";
    try {
      protocol = new URL(options.url).protocol;
    } catch { /* reported below */ }
    if (protocol !== "http:" && protocol !== "https:") {
      throw new Error(`invalid URL "${options.url}": expected http(s)://…`);
    }
  }
  if (options.checksum && source.kind !== "zip") {
    throw new Error(
      `a checksum applies to zip sources only; ${source.corpus} files are verified against the checksums its dataverse publishes`,
    );
  }
  log(`${source.title} — licence: ${source.licence}`);
  const record = source.kind === "zip"
    ? await fetchZip(source, dir, options, log)
    : await fetchDataverse(source, dir, options, log);
  if (record.audioFiles !== source.audioFiles) {
    log(
      `note: ${record.audioFiles} audio files, the official ${source.corpus} has ${source.audioFiles}`,
    );
  }
  return {
    corpus: source.corpus,
    dir,
    audioFiles: record.audioFiles,
    alreadyPresent: false,
  };
}
