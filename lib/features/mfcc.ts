/**
 * MFCC as `librosa.feature.mfcc` (dct_type=2, norm="ortho", lifter=0): an
 * orthonormal DCT-II of the dB mel spectrogram, first `nMfcc` coefficients.
 *
 * @module
 */

/**
 * The orthonormal DCT-II matrix (`nMfcc × nMels`, row-major, float64): row k
 * is `sqrt(2/N)·cos(π·k·(2n+1)/(2N))`, row 0 scaled by `sqrt(1/N)`.
 */
export function dctMatrix(nMfcc: number, nMels: number): Float64Array {
  if (!(nMfcc > 0 && nMfcc <= nMels)) {
    throw new Error(
      `dctMatrix: need 0 < nMfcc ≤ nMels, got ${nMfcc}, ${nMels}`,
    );
  }
  const d = new Float64Array(nMfcc * nMels);
  for (let k = 0; k < nMfcc; k++) {
    const scale = k === 0 ? Math.sqrt(1 / nMels) : Math.sqrt(2 / nMels);
    for (let n = 0; n < nMels; n++) {
      d[k * nMels + n] = scale *
        Math.cos((Math.PI * k * (2 * n + 1)) / (2 * nMels));
    }
  }
  return d;
}

/**
 * MFCC (frames × nMfcc) from a time-major dB mel spectrogram
 * (frames × nMels), using a matrix from {@linkcode dctMatrix}.
 */
export function mfccFromDb(
  melDb: Float64Array,
  frames: number,
  dct: Float64Array,
  nMfcc: number,
): Float64Array {
  const nMels = dct.length / nMfcc;
  const out = new Float64Array(frames * nMfcc);
  for (let t = 0; t < frames; t++) {
    const x = t * nMels;
    for (let k = 0; k < nMfcc; k++) {
      const r = k * nMels;
      let acc = 0;
      for (let n = 0; n < nMels; n++) acc += dct[r + n] * melDb[x + n];
      out[t * nMfcc + k] = acc;
    }
  }
  return out;
}
