/**
 * The official sources of the public corpora that `deno task data fetch`
 * downloads, with what is verified for each.
 *
 * - **RAVDESS speech** (`ravdess`): one zip on Zenodo, record 1188976
 *   (doi:10.5281/zenodo.1188976), file `Audio_Speech_Actors_01-24.zip`,
 *   208,468,073 bytes, MD5 `bc696df654c87fed845eb13823edef8a` as Zenodo
 *   publishes it for that file. Both the size and the MD5 are verified.
 *   1440 WAV files in `Actor_01/` … `Actor_24/`.
 * - **TESS** (`tess`): the University of Toronto's dataset in the Borealis
 *   dataverse (doi:10.5683/SP2/E8H2MF). Its 2800 WAV files are downloaded one
 *   by one through the dataverse native API: the file list (with each file's
 *   size and checksum) from
 *   `GET /api/datasets/:persistentId/versions/:latest-published/files`, each
 *   file from `GET /api/access/datafile/<id>`. Every file's size and the
 *   checksum the dataverse publishes for it (MD5 for this dataset) are
 *   verified. The dataverse's "download all as zip" endpoint is not used: it
 *   is generated on the fly without a checksum and silently leaves out files
 *   beyond the installation's zip size limit (listing them in MANIFEST.TXT).
 *
 * @module
 */

/** Hash algorithms a source may publish a checksum in. */
export type ChecksumAlgorithm = "md5" | "sha1" | "sha256" | "sha512";

/** A published checksum: algorithm and lower-case hex digest. */
export interface Checksum {
  /** Hash algorithm. */
  algorithm: ChecksumAlgorithm;
  /** Expected digest, lower-case hex. */
  value: string;
}

/** Names of the corpora `data fetch` knows. */
export type CorpusName = "ravdess" | "tess";

/** Fields every source has. */
interface SourceBase {
  /** Folder name under the data folder (`data/<corpus>`). */
  corpus: CorpusName;
  /** Human-readable title. */
  title: string;
  /** Landing page of the official record. */
  homepage: string;
  /** Licence under which the corpus is distributed, and how to cite it. */
  licence: string;
  /** Number of audio files the complete official corpus holds. */
  audioFiles: number;
}

/** A corpus published as a single zip file at a fixed URL. */
export interface ZipSource extends SourceBase {
  /** Discriminant. */
  kind: "zip";
  /** Download URL of the zip. */
  url: string;
  /** File name the zip is saved under in `data/downloads/`. */
  fileName: string;
  /** Published size in bytes. */
  size: number;
  /** Published checksum. */
  checksum: Checksum;
}

/** A corpus published as the files of a dataset in a Dataverse installation. */
export interface DataverseSource extends SourceBase {
  /** Discriminant. */
  kind: "dataverse";
  /** Base URL of the Dataverse installation (no trailing slash). */
  server: string;
  /** Persistent identifier of the dataset (`doi:…`). */
  persistentId: string;
}

/** Any corpus source. */
export type CorpusSource = ZipSource | DataverseSource;

/**
 * RAVDESS, audio-only speech of all 24 actors. Licence: Creative Commons
 * Attribution-NonCommercial-ShareAlike 4.0 International (CC BY-NC-SA 4.0).
 * Cite: Livingstone SR, Russo FA (2018) The Ryerson Audio-Visual Database of
 * Emotional Speech and Song (RAVDESS). PLoS ONE 13(5): e0196391.
 */
export const RAVDESS_SOURCE: ZipSource = {
  kind: "zip",
  corpus: "ravdess",
  title: "RAVDESS speech (Audio_Speech_Actors_01-24.zip)",
  homepage: "https://zenodo.org/records/1188976",
  url:
    "https://zenodo.org/records/1188976/files/Audio_Speech_Actors_01-24.zip?download=1",
  fileName: "Audio_Speech_Actors_01-24.zip",
  size: 208_468_073,
  checksum: { algorithm: "md5", value: "bc696df654c87fed845eb13823edef8a" },
  audioFiles: 1440,
  licence:
    "CC BY-NC-SA 4.0 (Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International). " +
    "Cite: Livingstone & Russo (2018), The Ryerson Audio-Visual Database of Emotional Speech and Song (RAVDESS), " +
    "PLoS ONE 13(5): e0196391, doi:10.1371/journal.pone.0196391.",
};

/**
 * TESS, the Toronto emotional speech set: 200 words in the carrier phrase
 * "Say the word _" by two actresses (aged 26 and 64) in seven emotions.
 * Licence: Creative Commons Attribution-NonCommercial-NoDerivatives 4.0
 * International (CC BY-NC-ND 4.0). Cite: Pichora-Fuller, M. Kathleen;
 * Dupuis, Kate, 2020, "Toronto emotional speech set (TESS)",
 * https://doi.org/10.5683/SP2/E8H2MF, Borealis (Scholars Portal Dataverse), V1.
 */
export const TESS_SOURCE: DataverseSource = {
  kind: "dataverse",
  corpus: "tess",
  title: "TESS (Toronto emotional speech set)",
  homepage: "https://doi.org/10.5683/SP2/E8H2MF",
  server: "https://borealisdata.ca",
  persistentId: "doi:10.5683/SP2/E8H2MF",
  audioFiles: 2800,
  licence:
    "CC BY-NC-ND 4.0 (Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International). " +
    'Cite: Pichora-Fuller & Dupuis (2020), "Toronto emotional speech set (TESS)", ' +
    "https://doi.org/10.5683/SP2/E8H2MF, Borealis, V1.",
};

/** All known sources by corpus name. */
export const SOURCES: Readonly<Record<CorpusName, CorpusSource>> = {
  ravdess: RAVDESS_SOURCE,
  tess: TESS_SOURCE,
};

/** Returns the source of `name`, or throws naming the known corpora. */
export function getSource(name: string): CorpusSource {
  const source = (SOURCES as Record<string, CorpusSource | undefined>)[name];
  if (!source) {
    throw new Error(
      `unknown corpus "${name}": expected one of ${
        Object.keys(SOURCES).join(", ")
      }`,
    );
  }
  return source;
}

/**
 * Parses a checksum written as `<algorithm>:<hex>` (e.g. `md5:bc69…`).
 * Throws on an unknown algorithm or a digest of the wrong length.
 */
export function parseChecksum(text: string): Checksum {
  const match = /^(md5|sha1|sha256|sha512):([0-9a-fA-F]+)$/.exec(text.trim());
  if (!match) {
    throw new Error(
      `invalid checksum "${text}": expected md5:<hex>, sha1:<hex>, sha256:<hex> or sha512:<hex>`,
    );
  }
  const algorithm = match[1] as ChecksumAlgorithm;
  const lengths = { md5: 32, sha1: 40, sha256: 64, sha512: 128 };
  if (match[2].length !== lengths[algorithm]) {
    throw new Error(
      `invalid checksum "${text}": ${algorithm} digests have ${
        lengths[algorithm]
      } hex digits, got ${match[2].length}`,
    );
  }
  return { algorithm, value: match[2].toLowerCase() };
}
