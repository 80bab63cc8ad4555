/**
 * Per-utterance mean/variance normalisation of a time-major feature matrix.
 *
 * @module
 */

/**
 * Subtracts each dimension's mean over frames and divides by its standard
 * deviation (population, floored at `eps`, default 1e-8), in place.
 */
export function normalizeUtterance(
  data: Float64Array,
  frames: number,
  dims: number,
  eps = 1e-8,
): void {
  if (frames === 0) return;
  const mean = new Float64Array(dims);
  const sq = new Float64Array(dims);
  for (let t = 0; t < frames; t++) {
    const o = t * dims;
    for (let d = 0; d < dims; d++) mean[d] += data[o + d];
  }
  for (let d = 0; d < dims; d++) mean[d] /= frames;
  for (let t = 0; t < frames; t++) {
    const o = t * dims;
    for (let d = 0; d < dims; d++) {
      const x = data[o + d] - mean[d];
      sq[d] += x * x;
    }
  }
  for (let d = 0; d < dims; d++) {
    sq[d] = 1 / Math.max(eps, Math.sqrt(sq[d] / frames));
  }
  for (let t = 0; t < frames; t++) {
    const o = t * dims;
    for (let d = 0; d < dims; d++) {
      data[o + d] = (data[o + d] - mean[d]) * sq[d];
    }
  }
}
