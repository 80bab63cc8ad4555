/**
 * Deltas as `librosa.feature.delta(data, width=9, order, mode="interp")`,
 * i.e. `scipy.signal.savgol_filter(polyorder=order, deriv=order,
 * mode="interp")` along time. With polyorder = deriv the fitted polynomial's
 * derivative is constant, so the `interp` edges equal the first and last
 * full-window values.
 *
 * librosa refuses inputs shorter than `width` frames; here the window then
 * shrinks to the largest odd length that fits (a least-squares fit over all
 * frames), and inputs with fewer than 3 frames get zero deltas.
 *
 * @module
 */

/** Options for {@linkcode delta}. */
export interface DeltaOptions {
  /** Odd window length ≥ 3, default 9. */
  width?: number;
  /** 1 (delta) or 2 (delta-delta), default 1. */
  order?: 1 | 2;
}

/** Savitzky–Golay convolution weights for x[t + n], n = −h … h. */
function savgolWeights(half: number, order: 1 | 2): Float64Array {
  const w = new Float64Array(2 * half + 1);
  if (order === 1) {
    let s = 0;
    for (let n = -half; n <= half; n++) s += n * n;
    for (let n = -half; n <= half; n++) w[n + half] = n / s;
  } else {
    let mean = 0;
    for (let n = -half; n <= half; n++) mean += n * n;
    mean /= 2 * half + 1;
    let s = 0;
    for (let n = -half; n <= half; n++) s += (n * n - mean) ** 2;
    for (let n = -half; n <= half; n++) w[n + half] = (2 * (n * n - mean)) / s;
  }
  return w;
}

/**
 * Delta features of a time-major matrix (`frames × dims`, float64), same
 * shape as the input.
 */
export function delta(
  data: Float64Array,
  frames: number,
  dims: number,
  options: DeltaOptions = {},
): Float64Array {
  const width = options.width ?? 9;
  const order = options.order ?? 1;
  if (!Number.isInteger(width) || width < 3 || width % 2 === 0) {
    throw new Error(`delta: width must be an odd integer ≥ 3, got ${width}`);
  }
  if (order !== 1 && order !== 2) {
    throw new Error(`delta: order must be 1 or 2, got ${order}`);
  }
  const out = new Float64Array(frames * dims);
  const fit = Math.min(width, frames % 2 === 1 ? frames : frames - 1);
  if (fit < 3) return out;
  const half = (fit - 1) / 2;
  const w = savgolWeights(half, order);
  for (let t = half; t < frames - half; t++) {
    const o = t * dims;
    for (let n = -half; n <= half; n++) {
      const c = w[n + half];
      if (c === 0) continue;
      const src = (t + n) * dims;
      for (let d = 0; d < dims; d++) out[o + d] += c * data[src + d];
    }
  }
  const first = out.subarray(half * dims, (half + 1) * dims);
  const last = out.slice((frames - 1 - half) * dims, (frames - half) * dims);
  for (let t = 0; t < half; t++) {
    out.set(first, t * dims);
    out.set(last, (frames - 1 - t) * dims);
  }
  return out;
}
