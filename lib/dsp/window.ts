/**
 * Analysis windows: librosa's periodic Hann (`scipy.signal.get_window("hann",
 * winLength, fftbins=True)`) zero-padded and centred to the FFT size
 * (`librosa.util.pad_center`).
 *
 * @module
 */

/**
 * Periodic Hann window of `winLength` samples, centred in an `nFft`-long
 * zero buffer (default `nFft = winLength`), in float64.
 */
export function hannWindow(
  winLength: number,
  nFft: number = winLength,
): Float64Array {
  if (!Number.isInteger(winLength) || winLength <= 0 || winLength > nFft) {
    throw new Error(
      `hannWindow: need 0 < winLength ≤ nFft, got ${winLength}, ${nFft}`,
    );
  }
  const w = new Float64Array(nFft);
  const offset = Math.floor((nFft - winLength) / 2);
  for (let i = 0; i < winLength; i++) {
    w[offset + i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / winLength);
  }
  return w;
}
