/**
 * The one error type of the audio stage.
 *
 * @module
 */

/** Thrown for unreadable audio; message is `<path>: <reason>`. */
export class AudioError extends Error {
  /** The file (or label) the bytes came from. */
  readonly path: string;
  /** Why it could not be read, without the path. */
  readonly reason: string;

  /** Creates an error for `path` with a human-readable `reason`. */
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(`${path}: ${reason}`, options);
    this.name = "AudioError";
    this.path = path;
    this.reason = reason;
  }
}
