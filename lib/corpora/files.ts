/**
 * Finding audio files below a corpus folder and labelling them by name.
 *
 * @module
 */
import { walkFiles } from "../paths.ts";
import type { Candidate, UtteranceLabel } from "./types.ts";

/** File extensions (lower case, with dot) treated as audio by every scan. */
export const AUDIO_EXTENSIONS: readonly string[] = [
  ".wav",
  ".wave",
  ".mp3",
  ".flac",
  ".ogg",
  ".oga",
  ".opus",
  ".m4a",
  ".aac",
  ".aif",
  ".aiff",
  ".webm",
];

/** Every audio file below `root`, sorted, as absolute paths. */
export function listAudioFiles(root: string): string[] {
  return walkFiles(root, AUDIO_EXTENSIONS);
}

/** The reason text of an error (its `reason` field if it has one). */
export function reasonOf(err: unknown): string {
  if (err && typeof err === "object" && "reason" in err) {
    return String((err as { reason: unknown }).reason);
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Lists the audio files below `root` and labels each with `parse`; a file
 * whose name `parse` rejects becomes a candidate with the error's reason.
 */
export function labelFiles(
  root: string,
  parse: (path: string) => UtteranceLabel,
): Candidate[] {
  return listAudioFiles(root).map((path): Candidate => {
    try {
      return { path, label: parse(path) };
    } catch (err) {
      return { path, error: reasonOf(err) };
    }
  });
}
