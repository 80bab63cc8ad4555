/**
 * Finding audio files below a corpus folder and labelling them by name.
 *
 * @module
 */
import { type WalkError, walkFiles } from "../paths.ts";
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

/**
 * Every audio file below `root`, sorted, as absolute paths; links are
 * followed (see `walkFiles`). A sub-folder that cannot be read, or a broken
 * link, goes to `onError` (without it, throws).
 */
export function listAudioFiles(
  root: string,
  onError?: (error: WalkError) => void,
): string[] {
  return walkFiles(root, AUDIO_EXTENSIONS, onError);
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
 * whose name `parse` rejects becomes a candidate with the error's reason,
 * and so does each sub-folder that cannot be read and each broken link (the
 * rest of the folder is still listed).
 */
export function labelFiles(
  root: string,
  parse: (path: string) => UtteranceLabel,
): Candidate[] {
  const unreadable: Candidate[] = [];
  const files = listAudioFiles(
    root,
    (e) => unreadable.push({ path: e.path, error: e.reason }),
  );
  return [
    ...files.map((path): Candidate => {
      try {
        return { path, label: parse(path) };
      } catch (err) {
        return { path, error: reasonOf(err) };
      }
    }),
    ...unreadable,
  ];
}
