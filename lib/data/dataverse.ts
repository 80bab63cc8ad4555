/**
 * A minimal client for the Dataverse native and data access APIs: list the
 * files of a published dataset with their sizes and checksums, and build the
 * download URL of each file.
 *
 * - list: `GET <server>/api/datasets/:persistentId/versions/:latest-published/files?persistentId=<pid>`
 *   → `{status: "OK", data: [{label, directoryLabel?, restricted,
 *   dataFile: {id, filename, filesize, md5?, checksum?: {type, value}}}]}`
 * - file: `GET <server>/api/access/datafile/<id>`
 *
 * @module
 */
import { DEFAULT_READ_TIMEOUT_S, idleTimer } from "./download.ts";
import { safeRelativePath } from "./safe_path.ts";
import type { Checksum, ChecksumAlgorithm } from "./sources.ts";

/** One file of a dataverse dataset. */
export interface DataverseFile {
  /** Database id of the file (used in the access URL). */
  id: number;
  /** Safe relative path: `directoryLabel/label`, or `label` alone. */
  relPath: string;
  /** Size in bytes as the dataverse publishes it. */
  size: number;
  /** Checksum as the dataverse publishes it. */
  checksum: Checksum;
}

const ALGORITHMS: Record<string, ChecksumAlgorithm> = {
  "MD5": "md5",
  "SHA-1": "sha1",
  "SHA-256": "sha256",
  "SHA-512": "sha512",
};

/** URL of the file list of the latest published version of a dataset. */
export function dataverseListUrl(server: string, persistentId: string): string {
  return `${server}/api/datasets/:persistentId/versions/:latest-published/files?persistentId=${
    encodeURIComponent(persistentId)
  }`;
}

/** Download URL of one file through the data access API. */
export function dataverseFileUrl(server: string, id: number): string {
  return `${server}/api/access/datafile/${id}`;
}

/**
 * Parses the JSON answer of the file list endpoint fetched from `url`.
 * Throws, naming `url` and the offending entry, on a malformed answer, a
 * restricted file, a missing size or checksum, an unknown checksum type or
 * an unsafe path.
 */
export function parseDataverseFiles(
  url: string,
  json: unknown,
): DataverseFile[] {
  const fail = (reason: string): never => {
    throw new Error(`bad file list from ${url}: ${reason}`);
  };
  const body = json as { status?: unknown; data?: unknown };
  if (body?.status !== "OK" || !Array.isArray(body.data)) {
    fail(`expected {"status": "OK", "data": [...]}`);
  }
  const seen = new Set<string>();
  return (body.data as unknown[]).map((item, i) => {
    const meta = item as {
      label?: unknown;
      directoryLabel?: unknown;
      restricted?: unknown;
      dataFile?: {
        id?: unknown;
        filename?: unknown;
        filesize?: unknown;
        md5?: unknown;
        checksum?: { type?: unknown; value?: unknown };
      };
    };
    const file = meta?.dataFile;
    const label = meta?.label ?? file?.filename;
    if (!file || typeof label !== "string" || typeof file.id !== "number") {
      return fail(`entry ${i} has no dataFile id or label`);
    }
    const name = typeof meta.directoryLabel === "string" && meta.directoryLabel
      ? `${meta.directoryLabel}/${label}`
      : label;
    const relPath = safeRelativePath(name, `unsafe file list from ${url}`);
    if (seen.has(relPath)) fail(`entry "${name}" appears twice`);
    seen.add(relPath);
    if (meta.restricted === true) {
      fail(`entry "${name}" is restricted (needs an API token)`);
    }
    if (typeof file.filesize !== "number" || file.filesize < 0) {
      fail(`entry "${name}" has no size`);
    }
    const type = file.checksum?.type ?? (file.md5 ? "MD5" : undefined);
    const value = file.checksum?.value ?? file.md5;
    const algorithm = ALGORITHMS[String(type)];
    if (!algorithm || typeof value !== "string") {
      fail(`entry "${name}" has no checksum of a known type (got ${type})`);
    }
    return {
      id: file.id,
      relPath,
      size: file.filesize as number,
      checksum: { algorithm, value: (value as string).toLowerCase() },
    };
  });
}

/**
 * Fetches and parses the file list of a published dataset; gives up when the
 * server sends nothing for `readTimeoutS` seconds.
 */
export async function listDataverseFiles(
  server: string,
  persistentId: string,
  readTimeoutS: number = DEFAULT_READ_TIMEOUT_S,
): Promise<DataverseFile[]> {
  const url = dataverseListUrl(server, persistentId);
  const timer = idleTimer(readTimeoutS);
  const stalled = () =>
    new Error(`cannot list files at ${url}: no answer for ${readTimeoutS} s`);
  try {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { Accept: "application/json" },
        signal: timer.signal,
      });
    } catch (err) {
      if (timer.fired) throw stalled();
      throw new Error(
        `cannot list files at ${url}: ${
          err instanceof Error ? err.message : err
        }`,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(
        `cannot list files at ${url}: HTTP ${response.status} ${response.statusText}`
          .trim(),
      );
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch (err) {
      if (timer.fired) throw stalled();
      throw new Error(
        `bad file list from ${url}: not JSON (${
          err instanceof Error ? err.message : err
        })`,
      );
    }
    return parseDataverseFiles(url, json);
  } finally {
    timer.stop();
  }
}
