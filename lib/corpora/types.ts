/**
 * Shapes shared by the corpus indexers and the scanner.
 *
 * @module
 */
import type { Emotion } from "./emotions.ts";

/** The corpora this package recognises by layout and file names. */
export type CorpusName =
  | "ravdess"
  | "synthetic"
  | "tess"
  | "crema-d"
  | "savee"
  | "emodb"
  | "folder"
  | "csv";

/** Speaker gender as far as the corpus documents it. */
export type Gender = "male" | "female" | "unknown";

/** What a file name (or manifest row) says about one clip. */
export interface UtteranceLabel {
  /** Corpus name (a {@linkcode CorpusName}, or a CSV manifest's `corpus` cell). */
  corpus: string;
  /** Speaker id namespaced by corpus, e.g. `ravdess:01`, `tess:OAF`. */
  speaker: string;
  /** Speaker gender; `unknown` where the corpus does not say. */
  gender: Gender;
  /** Emotion in the shared vocabulary (after merge once scanned). */
  emotion: Emotion;
  /** The corpus's own label code, e.g. `05`, `ps`, `ANG`, `sa`, `W`. */
  label: string;
  /** Intensity: RAVDESS `normal`/`strong`, CREMA-D `low`/`medium`/`high`; else null. */
  intensity: string | null;
  /** Sentence/text id, e.g. RAVDESS `01`, CREMA-D `DFA`, EmoDB `a01`, TESS word. */
  statement: string | null;
  /** Repetition/version number (1-based) where the corpus has one. */
  repetition: number | null;
  /** RAVDESS modality (`audio-video`, `video-only`, `audio-only`); else null. */
  modality: string | null;
  /** RAVDESS vocal channel (`speech`, `song`); else null. */
  vocalChannel: "speech" | "song" | null;
}

/** One indexed clip: its label facts plus the audio header facts. */
export interface Utterance extends UtteranceLabel {
  /** Absolute path of the audio file. */
  path: string;
  /** Duration in seconds. */
  durationS: number;
  /** Native sample rate in Hz. */
  sampleRate: number;
  /** Number of channels in the file. */
  channels: number;
  /** Samples per channel. */
  frames: number;
  /** Sample encoding reported by the audio probe, e.g. `pcm16`. */
  codec: string;
}

/**
 * A file an indexer found: its parsed label, or why it could not be parsed;
 * `where` names its source when that is not the path alone (a manifest row,
 * `<csv> row <n>`).
 */
export type Candidate =
  | { path: string; label: UtteranceLabel; where?: string }
  | { path: string; error: string; where?: string };

/** Lists the clips of one corpus folder with their labels. */
export interface CorpusIndexer {
  /** The corpus this indexer reads. */
  corpus: CorpusName;
  /**
   * Every audio file below `root` (or every row of the manifest `root`),
   * each either labelled or with the reason it could not be labelled.
   */
  list(root: string): Promise<Candidate[]>;
}
