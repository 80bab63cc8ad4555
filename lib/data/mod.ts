/**
 * Downloading public corpora (resume, checksums) and safe zip extraction.
 *
 * @module
 */
export {
  type Checksum,
  type ChecksumAlgorithm,
  type CorpusName,
  type CorpusSource,
  type DataverseSource,
  getSource,
  parseChecksum,
  RAVDESS_SOURCE,
  SOURCES,
  TESS_SOURCE,
  type ZipSource,
} from "./sources.ts";
export { createHasher, hashFile } from "./checksum.ts";
export {
  DEFAULT_READ_TIMEOUT_S,
  download,
  type DownloadOptions,
  type DownloadResult,
  type IdleTimer,
  idleTimer,
} from "./download.ts";
export {
  checkZipComplete,
  DEFAULT_EXTRACT_LIMITS,
  type ExtractLimits,
  type ExtractOptions,
  type ExtractResult,
  extractZip,
} from "./extract.ts";
export { safeRelativePath } from "./safe_path.ts";
export { buildDirAtomically, removeStaleStaging } from "./staging.ts";
export {
  type DataverseFile,
  dataverseFileUrl,
  dataverseListUrl,
  listDataverseFiles,
  parseDataverseFiles,
} from "./dataverse.ts";
export {
  AUDIO_EXTENSIONS,
  FETCH_MARKER,
  fetchCorpus,
  type FetchOptions,
  type FetchRecord,
  type FetchResult,
} from "./fetch.ts";
