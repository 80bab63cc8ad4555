/**
 * The orthonormal DCT-II as `scipy.fftpack.dct(x, type=2, norm="ortho")`
 * keeping the first `nOut` coefficients (what `librosa.feature.mfcc` applies
 * to the dB mel spectrogram), as a matrix and applied frame by frame.
 *
 * @module
 */

/**
 * The orthonormal DCT-II matrix (`nOut × n`, row-major, float64): row k is
 * `sqrt(2/n)·cos(π·k·(2i+1)/(2n))`, row 0 scaled by `sqrt(1/n)` instead.
 */
export function dctMatrix(nOut: number, n: number): Float64Array {
  if (!(nOut > 0 && nOut <= n)) {
    throw new Error(`dctMatrix: need 0 < nOut ≤ n, got ${nOut}, ${n}`);
  }
  const d = new Float64Array(nOut * n);
  for (let k = 0; k < nOut; k++) {
    const scale = k === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
    for (let i = 0; i < n; i++) {
      d[k * n + i] = scale * Math.cos((Math.PI * k * (2 * i + 1)) / (2 * n));
    }
  }
  return d;
}

/**
 * Applies a {@linkcode dctMatrix} (`nOut × n`) to each row of the time-major
 * `data` (frames × n) and returns frames × nOut, float64.
 */
export function applyDct(
  data: Float64Array,
  frames: number,
  dct: Float64Array,
  nOut: number,
): Float64Array {
  const n = dct.length / nOut;
  const out = new Float64Array(frames * nOut);
  for (let t = 0; t < frames; t++) {
    const x = t * n;
    for (let k = 0; k < nOut; k++) {
      const r = k * n;
      let acc = 0;
      for (let i = 0; i < n; i++) acc += dct[r + i] * data[x + i];
      out[t * nOut + k] = acc;
    }
  }
  return out;
}
