/**
 * Safe zip extraction with zip.js (`@zip.js/zip.js`).
 *
 * Every entry of the central directory is checked before a single byte is
 * written; the archive is rejected, with an error naming it and the entry,
 * when an entry would escape the target folder (`..` components), has an
 * absolute name (`/…`, a Windows drive letter such as `C:`), contains a
 * backslash or a NUL character, is a symbolic link or another special file
 * (Unix mode in the external attributes), is encrypted, duplicates another
 * entry, declares an uncompressed size over the per-entry limit, makes the
 * declared total exceed the total limit, or compresses at a ratio no real
 * audio reaches (a zip bomb). While writing, zip.js stops an entry that
 * inflates beyond its declared size ("Invalid uncompressed size") and
 * verifies CRC-32s.
 *
 * The archive is read through random access on the file (central directory
 * first, then each entry's compressed bytes in chunks), so a 200 MB zip is
 * never held in memory. fflate's streaming `Unzip` reads local headers only,
 * which carry no external attributes, so it cannot see symbolic links: hence
 * zip.js here.
 *
 * @module
 */
import * as path from "node:path";
import { type Entry, type FileEntry, Reader, ZipReader } from "@zip.js/zip.js";
import { createProgress, type ProgressOptions } from "../progress.ts";
import { safeRelativePath } from "./safe_path.ts";

/** Limits that guard extraction against absurd or malicious archives. */
export interface ExtractLimits {
  /** Largest declared uncompressed size of one entry, in bytes. */
  maxEntryBytes: number;
  /** Largest sum of the declared uncompressed sizes, in bytes. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of an entry of at least `ratioMinBytes`. */
  maxRatio: number;
  /** Entries smaller than this many bytes are exempt from the ratio check. */
  ratioMinBytes: number;
  /** Largest number of entries. */
  maxEntries: number;
}

/**
 * Defaults: 1 GiB per entry, 8 GiB in all, ratio 100 for entries of 1 MiB or
 * more, 100,000 entries. The RAVDESS speech zip (1440 WAVs, 208 MB, WAV
 * barely compresses) is far inside them; deflate's own ceiling is about 1032.
 */
export const DEFAULT_EXTRACT_LIMITS: Readonly<ExtractLimits> = {
  maxEntryBytes: 1 << 30,
  maxTotalBytes: 8 * (1 << 30),
  maxRatio: 100,
  ratioMinBytes: 1 << 20,
  maxEntries: 100_000,
};

/** Options for {@linkcode extractZip}. */
export interface ExtractOptions {
  /** Path of the zip archive. */
  archive: string;
  /** Existing, empty folder to extract into. */
  into: string;
  /** Overrides of {@linkcode DEFAULT_EXTRACT_LIMITS}. */
  limits?: Partial<ExtractLimits>;
  /** Progress display (see `createProgress`). */
  progress?: ProgressOptions["mode"];
}

/** What {@linkcode extractZip} wrote. */
export interface ExtractResult {
  /** Number of files written. */
  files: number;
  /** Number of bytes written. */
  bytes: number;
}

/** Reads a file by random access for zip.js. */
class FileRangeReader extends Reader<string> {
  #path: string;
  #file: Deno.FsFile | undefined;

  constructor(file: string) {
    super(file);
    this.#path = file;
  }

  override async init(): Promise<void> {
    this.#file = await Deno.open(this.#path, { read: true });
    this.size = (await this.#file.stat()).size;
  }

  override async readUint8Array(
    index: number,
    length: number,
  ): Promise<Uint8Array> {
    const file = this.#file!;
    const size = Math.max(0, Math.min(length, this.size - index));
    const out = new Uint8Array(size);
    await file.seek(index, Deno.SeekMode.Start);
    let filled = 0;
    while (filled < size) {
      const n = await file.read(out.subarray(filled));
      if (n === null) break;
      filled += n;
    }
    return filled === size ? out : out.subarray(0, filled);
  }

  close(): void {
    this.#file?.close();
    this.#file = undefined;
  }
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

interface PlannedEntry {
  entry: Entry;
  relPath: string;
}

/** Validates every entry against the rules and limits; returns what to write. */
function planExtraction(
  archive: string,
  entries: Entry[],
  limits: ExtractLimits,
): PlannedEntry[] {
  if (entries.length > limits.maxEntries) {
    throw new Error(
      `unsafe zip ${archive}: ${entries.length} entries, more than the limit of ${limits.maxEntries}`,
    );
  }
  const seen = new Set<string>();
  const plan: PlannedEntry[] = [];
  let total = 0;
  for (const entry of entries) {
    const name = entry.filename;
    const reject = (reason: string): never => {
      throw new Error(`unsafe zip ${archive}: entry "${name}" ${reason}`);
    };
    const relPath = safeRelativePath(name, `unsafe zip ${archive}`);
    const type = ((entry.externalFileAttributes ?? 0) >>> 16) & S_IFMT;
    if (type === S_IFLNK || entry.symlink) reject("is a symbolic link");
    if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) {
      reject(`is a special file (mode 0o${type.toString(8)})`);
    }
    if (entry.encrypted) reject("is encrypted");
    if (seen.has(relPath)) reject("appears twice");
    seen.add(relPath);
    if (!entry.directory) {
      const size = entry.uncompressedSize;
      if (size > limits.maxEntryBytes) {
        reject(
          `declares ${size} bytes uncompressed, over the limit of ${limits.maxEntryBytes}`,
        );
      }
      total += size;
      if (total > limits.maxTotalBytes) {
        reject(
          `brings the declared total to ${total} bytes, over the limit of ${limits.maxTotalBytes}`,
        );
      }
      const ratio = size / Math.max(entry.compressedSize, 1);
      if (size >= limits.ratioMinBytes && ratio > limits.maxRatio) {
        reject(
          `has a compression ratio of ${
            ratio.toFixed(0)
          } (${size} from ${entry.compressedSize} bytes), over the limit of ${limits.maxRatio} (zip bomb)`,
        );
      }
    }
    plan.push({ entry, relPath });
  }
  return plan;
}

/** A sink writing to `file` and counting the bytes in `counter`. */
function fileSink(
  file: Deno.FsFile,
  counter: { bytes: number },
): WritableStream<Uint8Array> {
  return new WritableStream<Uint8Array>({
    async write(chunk) {
      let done = 0;
      while (done < chunk.length) {
        done += await file.write(chunk.subarray(done));
      }
      counter.bytes += chunk.length;
    },
  });
}

/** A sink that drops what it is given. */
function discardSink(): WritableStream<Uint8Array> {
  return new WritableStream<Uint8Array>();
}

function openZip(
  archive: string,
): { reader: FileRangeReader; zip: ZipReader<string> } {
  const reader = new FileRangeReader(archive);
  const zip = new ZipReader(reader, {
    useWebWorkers: false,
    filenameValidation: "tolerant",
    checkSignature: true,
  });
  return { reader, zip };
}

/**
 * Reads the whole archive without writing anything: its central directory,
 * then every entry's data through its CRC-32 check. Resolves null when the
 * archive opens completely, else `not a complete zip archive (<reason>)` —
 * what a zip cut short (its central directory is at the end) or damaged
 * gives. For downloads that no size or checksum vouches for.
 */
export async function checkZipComplete(
  archive: string,
): Promise<string | null> {
  const { reader, zip } = openZip(archive);
  try {
    const entries = await zip.getEntries();
    for (const entry of entries) {
      if (entry.directory) continue;
      try {
        await (entry as FileEntry).getData(discardSink());
      } catch (err) {
        throw new Error(
          `entry "${entry.filename}": ${
            err instanceof Error ? err.message : err
          }`,
        );
      }
    }
    return null;
  } catch (err) {
    return `not a complete zip archive (${
      err instanceof Error ? err.message : err
    })`;
  } finally {
    await zip.close();
    reader.close();
  }
}

/**
 * Extracts `options.archive` into the existing folder `options.into` after
 * checking every entry (see the module documentation). Throws, writing
 * nothing, when any entry is unsafe; a failure while writing may leave files
 * in `into`, so extract into a temporary folder (see `buildDirAtomically`).
 */
export async function extractZip(
  options: ExtractOptions,
): Promise<ExtractResult> {
  const { archive, into } = options;
  const limits = { ...DEFAULT_EXTRACT_LIMITS, ...options.limits };
  const { reader, zip } = openZip(archive);
  try {
    let entries: Entry[];
    try {
      entries = await zip.getEntries();
    } catch (err) {
      throw new Error(
        `cannot read zip ${archive}: ${
          err instanceof Error ? err.message : err
        }`,
      );
    }
    const plan = planExtraction(archive, entries, limits);
    const files = plan.filter((p) => !p.entry.directory);
    const progress = createProgress({
      label: `extract ${path.basename(archive)}`,
      total: files.length,
      mode: options.progress,
    });
    const counter = { bytes: 0 };
    for (const { entry, relPath } of plan) {
      const target = path.join(into, ...relPath.split("/"));
      if (entry.directory) {
        await Deno.mkdir(target, { recursive: true });
        continue;
      }
      await Deno.mkdir(path.dirname(target), { recursive: true });
      const file = await Deno.open(target, { write: true, createNew: true });
      try {
        await (entry as FileEntry).getData(fileSink(file, counter));
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new Error(
          `cannot extract entry "${entry.filename}" of ${archive}: ${reason}`,
        );
      } finally {
        file.close();
      }
      progress.tick(1, relPath);
    }
    progress.done(`${files.length} files`);
    return { files: files.length, bytes: counter.bytes };
  } finally {
    await zip.close();
    reader.close();
  }
}
