/**
 * The arg max that turns class probabilities into a class: one definition
 * for training, evaluation and prediction. Free of TF.js, so pure metric code
 * can use it without loading the runtime.
 *
 * @module
 */

/** Index of the largest value (the first one on ties; 0 for an empty array). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    if (values[i] > values[best]) best = i;
  }
  return best;
}

/** Index of the largest value in each row of a row-major `[n, k]` array. */
export function argmaxRows(values: ArrayLike<number>, k: number): number[] {
  const n = Math.floor(values.length / k);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) {
      if (values[i * k + j] > values[i * k + best]) best = j;
    }
    out[i] = best;
  }
  return out;
}
