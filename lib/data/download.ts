/**
 * Resumable, verified HTTP(S) downloads.
 *
 * A download streams into `<dest>.part`; a broken transfer keeps the part and
 * the next call resumes it with a `Range` request (206 → append; a server that
 * ignores the range and answers 200 → start over; 416 → the part is already
 * whole, or larger than the resource and is discarded). The part becomes
 * `<dest>` only once its length matches what the server announced and what
 * the source publishes and its checksum (when one is known) matches; a
 * checksum mismatch deletes the part, so a bad download never leaves a file
 * that looks complete. A server that sends nothing for `readTimeoutS`
 * seconds (no answer, or a body that stops) is given up on, keeping the part
 * for the next run to resume.
 *
 * @module
 */
import * as path from "node:path";
import { createProgress, type ProgressOptions } from "../progress.ts";
import { ensureDir, exists } from "../paths.ts";
import { createHasher, hashFile, updateFromFile } from "./checksum.ts";
import type { Checksum } from "./sources.ts";

/** Options for {@linkcode download}. */
export interface DownloadOptions {
  /** URL to fetch (http or https). */
  url: string;
  /** Final path of the downloaded file; the transfer goes to `<dest>.part`. */
  dest: string;
  /** Expected size in bytes, where the source publishes it. */
  size?: number;
  /** Expected checksum, where the source publishes it. */
  checksum?: Checksum;
  /** Progress display: bar on a TTY, plain lines otherwise, or silent. */
  progress?: ProgressOptions["mode"];
  /** Label of the progress display (default: the file name). */
  label?: string;
  /**
   * Seconds without a byte (waiting for the answer, or between two pieces of
   * the body) after which the transfer is abandoned; default
   * {@linkcode DEFAULT_READ_TIMEOUT_S}.
   */
  readTimeoutS?: number;
  /**
   * Checks the content of a complete file (the new download, or an existing
   * `dest` before it is reused) where size and checksum cannot vouch for it:
   * resolves null when it is whole, else what it is instead (e.g.
   * `not a complete zip archive (…)`). A new download that fails is deleted;
   * an existing `dest` that fails is downloaded again.
   */
  validate?: (file: string) => Promise<string | null>;
  /** Ignore an existing `dest` and `.part`: download from scratch. */
  fresh?: boolean;
}

/**
 * Default read timeout of a download: 60 s without a byte. Slow links still
 * deliver something every second; a server that stalls for a minute has
 * hung, and the kept part lets a rerun resume.
 */
export const DEFAULT_READ_TIMEOUT_S = 60;

/** An abort signal that fires when `kick()` was not called for `seconds`. */
export interface IdleTimer {
  /** Aborts the request when the timer fires. */
  readonly signal: AbortSignal;
  /** True once the timer has fired. */
  readonly fired: boolean;
  /** Seconds of silence that fire it. */
  readonly seconds: number;
  /** Restarts the countdown (call on every piece of data). */
  kick(): void;
  /** Stops the countdown for good. */
  stop(): void;
}

/** Starts an {@linkcode IdleTimer} of `seconds` (must be > 0). */
export function idleTimer(seconds: number): IdleTimer {
  if (!(seconds > 0)) {
    throw new RangeError(`read timeout must be > 0 seconds, got ${seconds}`);
  }
  const controller = new AbortController();
  let fired = false;
  let handle: ReturnType<typeof setTimeout> | undefined;
  const start = () => {
    handle = setTimeout(() => {
      fired = true;
      controller.abort(new Error(`no data for ${seconds} s`));
    }, seconds * 1000);
  };
  start();
  return {
    signal: controller.signal,
    get fired() {
      return fired;
    },
    seconds,
    kick() {
      clearTimeout(handle);
      if (!fired) start();
    },
    stop() {
      clearTimeout(handle);
    },
  };
}

/** What {@linkcode download} did. */
export interface DownloadResult {
  /** Path of the complete, verified file. */
  path: string;
  /** Its size in bytes. */
  bytes: number;
  /** True if a complete file was already in place and passed verification. */
  reused: boolean;
  /** Bytes already in `<dest>.part` that the transfer resumed after (0: fresh). */
  resumedFrom: number;
  /** Hex digest of the file, when a checksum was verified. */
  digest?: string;
}

const MB = 1_000_000;

function describeSize(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

/** True if the existing `file` has the expected size and checksum (where known) and passes `validate`. */
async function isVerified(
  file: string,
  options: DownloadOptions,
): Promise<boolean> {
  const size = (await Deno.stat(file)).size;
  if (options.size !== undefined && size !== options.size) return false;
  if (
    options.checksum &&
    await hashFile(file, options.checksum.algorithm) !== options.checksum.value
  ) return false;
  return !options.validate || await options.validate(file) === null;
}

/** Parses `Content-Range: bytes a-b/N` or `bytes *\/N`. */
function parseContentRange(
  header: string | null,
): { start?: number; total?: number } {
  if (!header) return {};
  const match = /^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)$/i.exec(header.trim());
  if (!match) return {};
  return {
    start: match[1] === undefined ? undefined : Number(match[1]),
    total: match[2] === "*" ? undefined : Number(match[2]),
  };
}

function contentLength(response: Response): number | undefined {
  const header = response.headers.get("content-length");
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header);
}

/**
 * GET with `Range` from `offset` on. `Accept-Encoding: identity` keeps byte
 * offsets and Content-Length about the file itself, not a compressed form.
 */
async function get(
  url: string,
  offset: number,
  timer: IdleTimer,
): Promise<Response> {
  const headers: Record<string, string> = { "Accept-Encoding": "identity" };
  if (offset > 0) headers.Range = `bytes=${offset}-`;
  try {
    const response = await fetch(url, { headers, signal: timer.signal });
    timer.kick();
    return response;
  } catch (err) {
    if (timer.fired) {
      throw new Error(
        `download of ${url} stalled: no answer for ${timer.seconds} s; run again to retry`,
      );
    }
    throw new Error(
      `download of ${url} failed: ${err instanceof Error ? err.message : err}`,
    );
  }
}

/** An answered request: the body to read (null: nothing left), where it starts, the full length. */
interface Transfer {
  response: Response | null;
  offset: number;
  total?: number;
}

/**
 * Requests the bytes of `url` from `offset` on (the length of `part`) and
 * interprets the answer: 206 resumes; 200 (a fresh request, or a server that
 * ignores Range) starts over; 416 means the part is already whole, or, when
 * its length differs from the resource's, that it is not a prefix of it, so
 * it is deleted and the download starts over.
 */
async function openTransfer(
  url: string,
  part: string,
  offset: number,
  size: number | undefined,
  timer: IdleTimer,
): Promise<Transfer> {
  const response = await get(url, offset, timer);
  const contentRange = response.headers.get("content-range");
  if (offset > 0 && response.status === 416) {
    await response.body?.cancel();
    const announced = parseContentRange(contentRange).total ?? size;
    if (announced === offset) return { response: null, offset, total: offset };
    await Deno.remove(part);
    return openTransfer(url, part, 0, size, timer);
  }
  if (offset > 0 && response.status === 206) {
    const range = parseContentRange(contentRange);
    if (range.start !== offset) {
      await response.body?.cancel();
      throw new Error(
        `download of ${url} failed: asked to resume at byte ${offset}, the server answered with range "${contentRange}"`,
      );
    }
    const length = contentLength(response);
    const total = range.total ??
      (length === undefined ? undefined : offset + length);
    return { response, offset, total };
  }
  if (response.status === 200) {
    return { response, offset: 0, total: contentLength(response) };
  }
  await response.body?.cancel();
  throw new Error(
    `download of ${url} failed: HTTP ${response.status} ${response.statusText}`
      .trim(),
  );
}

/** A failure to write the part file (as opposed to a broken transfer). */
class WriteError extends Error {}

async function writeAll(file: Deno.FsFile, chunk: Uint8Array): Promise<void> {
  let written = 0;
  while (written < chunk.length) {
    written += await file.write(chunk.subarray(written));
  }
}

/**
 * Downloads `options.url` to `options.dest`, resuming an earlier partial
 * transfer and verifying size and checksum; see the module documentation.
 * An existing `dest` that passes verification is reused without a request.
 * Errors name the URL and the reason (HTTP status, truncated transfer with
 * bytes received vs expected, size or checksum mismatch with both values).
 */
export async function download(
  options: DownloadOptions,
): Promise<DownloadResult> {
  const { dest } = options;
  ensureDir(path.dirname(dest));
  const part = `${dest}.part`;
  if (options.fresh) {
    for (const file of [dest, part]) {
      await Deno.remove(file).catch((err) => {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      });
    }
  }
  if (exists(dest)) {
    if (await isVerified(dest, options)) {
      return {
        path: dest,
        bytes: (await Deno.stat(dest)).size,
        reused: true,
        resumedFrom: 0,
        digest: options.checksum?.value,
      };
    }
    await Deno.remove(dest);
  }

  let offset = exists(part) ? (await Deno.stat(part)).size : 0;
  if (options.size !== undefined && offset > options.size) {
    await Deno.remove(part);
    offset = 0;
  }

  const timer = idleTimer(options.readTimeoutS ?? DEFAULT_READ_TIMEOUT_S);
  try {
    return await receive(options, part, offset, timer);
  } finally {
    timer.stop();
  }
}

/** The transfer itself: request from `offset`, append to `part`, verify, rename. */
async function receive(
  options: DownloadOptions,
  part: string,
  offset: number,
  timer: IdleTimer,
): Promise<DownloadResult> {
  const { url, dest } = options;
  const transfer = await openTransfer(url, part, offset, options.size, timer);
  offset = transfer.offset;
  const response = transfer.response;
  let total = transfer.total;
  if (
    total !== undefined && options.size !== undefined && total !== options.size
  ) {
    await response?.body?.cancel();
    throw new Error(
      `download of ${url} failed: the server announces ${total} bytes, the source publishes ${options.size}`,
    );
  }
  total ??= options.size;

  const hasher = options.checksum
    ? createHasher(options.checksum.algorithm)
    : undefined;
  if (hasher && offset > 0) await updateFromFile(hasher, part, offset);

  const label = options.label ?? path.basename(dest);
  const progress = createProgress({
    label,
    total: total ?? 0,
    mode: options.progress,
  });
  const totalText = total === undefined ? "?" : describeSize(total);
  progress.tick(offset, `${describeSize(offset)}/${totalText}`);

  let received = offset;
  if (response) {
    const file = await Deno.open(part, {
      write: true,
      create: true,
      append: offset > 0,
      truncate: offset === 0,
    });
    try {
      if (response.body) {
        for await (const chunk of response.body) {
          timer.kick();
          await writeAll(file, chunk).catch((err) => {
            throw new WriteError(`cannot write ${part}: ${err.message}`);
          });
          hasher?.update(chunk);
          received += chunk.length;
          progress.tick(
            chunk.length,
            `${describeSize(received)}/${totalText}`,
          );
        }
      }
    } catch (err) {
      if (err instanceof WriteError) throw err;
      if (timer.fired) {
        throw new Error(
          `download of ${url} stalled: no data for ${timer.seconds} s after ${received} of ${
            total ?? "?"
          } bytes; run again to resume`,
        );
      }
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(
        `download of ${url} truncated: received ${received} of ${
          total ?? "?"
        } bytes (${reason}); run again to resume`,
      );
    } finally {
      file.close();
    }
  }
  progress.done(`${describeSize(received)}`);

  if (total !== undefined && received < total) {
    throw new Error(
      `download of ${url} truncated: received ${received} of ${total} bytes; run again to resume`,
    );
  }
  if (total !== undefined && received > total) {
    await Deno.remove(part);
    throw new Error(
      `download of ${url} failed: received ${received} bytes, more than the ${total} announced; the partial file was deleted`,
    );
  }
  let digest: string | undefined;
  if (options.checksum && hasher) {
    digest = hasher.digest("hex");
    if (digest !== options.checksum.value) {
      await Deno.remove(part);
      throw new Error(
        `checksum mismatch for ${url}: expected ${options.checksum.algorithm} ${options.checksum.value}, got ${digest}; the download was deleted`,
      );
    }
  }
  const broken = options.validate ? await options.validate(part) : null;
  if (broken !== null) {
    await Deno.remove(part);
    throw new Error(
      `download of ${url} is ${broken}; the download was deleted`,
    );
  }
  await Deno.rename(part, dest);
  return {
    path: dest,
    bytes: received,
    reused: false,
    resumedFrom: offset,
    digest,
  };
}
