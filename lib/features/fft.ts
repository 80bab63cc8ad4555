/**
 * Real FFT power spectra on fft.js (`realTransform`), reusing its buffers so
 * that no memory is allocated per frame.
 *
 * @module
 */
import FFT from "fft.js";

/** A reusable real-input power-spectrum transform of a fixed size. */
export interface PowerSpectrumTransform {
  /** FFT size (a power of two). */
  readonly nFft: number;
  /** Number of output bins, `nFft / 2 + 1`. */
  readonly bins: number;
  /**
   * Writes `|X[k]|²` for k = 0 … nFft/2 of the real frame `input` (length
   * nFft) into `out` (length ≥ bins).
   */
  power(input: Float64Array, out: Float64Array): void;
}

/** Creates a {@linkcode PowerSpectrumTransform} for a power-of-two `nFft` ≥ 4. */
export function createPowerSpectrum(nFft: number): PowerSpectrumTransform {
  if (!Number.isInteger(nFft) || nFft < 4 || (nFft & (nFft - 1)) !== 0) {
    throw new Error(`FFT size must be a power of two ≥ 4, got ${nFft}`);
  }
  const fft = new FFT(nFft);
  const complex = new Float64Array(2 * nFft);
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
  };
}
