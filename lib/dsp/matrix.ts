/**
 * The time-major float64 matrix every spectral function returns.
 *
 * @module
 */

/** A time-major float64 matrix (`frames × dims`, row-major). */
export interface Matrix64 {
  /** Row-major values (`frames × dims`). */
  data: Float64Array;
  /** Rows (frames). */
  frames: number;
  /** Columns (frequency bins, mel bands, coefficients …). */
  dims: number;
}
