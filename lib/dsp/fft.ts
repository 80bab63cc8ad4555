/**
 * The real FFT of every pure-TypeScript spectrum in the project, on fft.js
 * (`realTransform` / `inverseTransform`), reusing its buffers so that no
 * memory is allocated per frame (`numpy.fft.rfft` / `irfft` for one frame).
 *
 * @module
 */
import FFT from "fft.js";

/** A reusable real-input FFT of a fixed size. */
export interface RealFft {
  /** FFT size (a power of two). */
  readonly nFft: number;
  /** Number of non-negative frequency bins, `nFft / 2 + 1`. */
  readonly bins: number;
  /**
   * Writes `|X[k]|²` for k = 0 … nFft/2 of the real frame `input` (length
   * nFft) into `out` (length ≥ bins).
   */
  power(input: Float64Array, out: Float64Array): void;
  /**
   * Writes X[k], k = 0 … nFft/2, of the real frame `input` (length nFft) to
   * `re[offset + k]` and `im[offset + k]`.
   */
  forward(
    input: Float64Array,
    re: Float64Array,
    im: Float64Array,
    offset: number,
  ): void;
  /**
   * Inverse of {@linkcode RealFft.forward}: the real frame (length nFft,
   * written to `out`) whose bins k = 0 … nFft/2 are `re/im[offset + k]`, the
   * other half being their complex conjugates. The imaginary parts of the DC
   * and Nyquist bins are ignored (as `numpy.fft.irfft` does).
   */
  inverse(
    re: Float64Array,
    im: Float64Array,
    offset: number,
    out: Float64Array,
  ): void;
}

/** Creates a {@linkcode RealFft} for a power-of-two `nFft` ≥ 4. */
export function createRealFft(nFft: number): RealFft {
  if (!Number.isInteger(nFft) || nFft < 4 || (nFft & (nFft - 1)) !== 0) {
    throw new Error(`FFT size must be a power of two ≥ 4, got ${nFft}`);
  }
  const fft = new FFT(nFft);
  const complex = new Float64Array(2 * nFft);
  const time = new Float64Array(2 * nFft);
  const bins = nFft / 2 + 1;
  return {
    nFft,
    bins,
    power(input: Float64Array, out: Float64Array): void {
      fft.realTransform(complex, input);
      for (let k = 0; k < bins; k++) {
        const re = complex[2 * k];
        const im = complex[2 * k + 1];
        out[k] = re * re + im * im;
      }
    },
    forward(input, re, im, offset): void {
      fft.realTransform(complex, input);
      for (let k = 0; k < bins; k++) {
        re[offset + k] = complex[2 * k];
        im[offset + k] = complex[2 * k + 1];
      }
    },
    inverse(re, im, offset, out): void {
      for (let k = 0; k < bins; k++) {
        complex[2 * k] = re[offset + k];
        complex[2 * k + 1] = im[offset + k];
      }
      // The DC and Nyquist bins of a real signal's spectrum are real.
      complex[1] = 0;
      complex[2 * (bins - 1) + 1] = 0;
      for (let k = bins; k < nFft; k++) {
        complex[2 * k] = complex[2 * (nFft - k)];
        complex[2 * k + 1] = -complex[2 * (nFft - k) + 1];
      }
      fft.inverseTransform(time, complex);
      for (let i = 0; i < nFft; i++) out[i] = time[2 * i];
    },
  };
}
