/**
 * The one error type of the corpora stage.
 *
 * @module
 */

/** A file or folder that cannot be indexed; message is `<path>: <reason>`. */
export class CorpusError extends Error {
  /** The file or folder concerned. */
  readonly path: string;
  /** Why, without the path. */
  readonly reason: string;

  /** Creates an error for `path` with a human-readable `reason`. */
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(`${path}: ${reason}`, options);
    this.name = "CorpusError";
    this.path = path;
    this.reason = reason;
  }
}
