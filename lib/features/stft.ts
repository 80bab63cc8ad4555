/**
 * Short-time power spectra exactly as `librosa.stft(center=True,
 * pad_mode="constant")` followed by `abs(·)**2`: the signal is zero-padded by
 * `nFft/2` on both sides, framed every `hopLength` samples, windowed by a
 * periodic Hann of `winLength` centred in `nFft`, and transformed.
 *
 * @module
 */
import { createPowerSpectrum } from "./fft.ts";
import { hannWindow } from "./window.ts";

/** Options for {@linkcode powerSpectrogram}. */
export interface StftOptions {
  /** FFT size (power of two). */
  nFft: number;
  /** Window length (≤ nFft). */
  winLength: number;
  /** Hop between frames. */
  hopLength: number;
}

/** A time-major float64 matrix (`frames × bins`). */
export interface Spectrogram {
  /** Row-major values. */
  data: Float64Array;
  /** Number of frames. */
  frames: number;
  /** Number of frequency bins (`nFft / 2 + 1`). */
  bins: number;
}

/** Number of centred frames librosa produces for `n` samples. */
export function frameCount(n: number, nFft: number, hopLength: number): number {
  return 1 + Math.floor((n + 2 * Math.floor(nFft / 2) - nFft) / hopLength);
}

/**
 * Power spectrogram `|STFT|²` (frames × (nFft/2+1)) of mono `samples`, in
 * float64, matching librosa 0.10.2 with `center=True, pad_mode="constant"`.
 */
export function powerSpectrogram(
  samples: Float32Array,
  options: StftOptions,
): Spectrogram {
  const { nFft, winLength, hopLength } = options;
  if (!Number.isInteger(hopLength) || hopLength <= 0) {
    throw new Error(
      `powerSpectrogram: hopLength must be a positive integer, got ${hopLength}`,
    );
  }
  const window = hannWindow(winLength, nFft);
  const transform = createPowerSpectrum(nFft);
  const bins = transform.bins;
  const frames = frameCount(samples.length, nFft, hopLength);
  const data = new Float64Array(frames * bins);
  const frame = new Float64Array(nFft);
  const row = new Float64Array(bins);
  // Only the non-zero part of the window matters.
  const w0 = Math.floor((nFft - winLength) / 2);
  const w1 = w0 + winLength;
  const pad = Math.floor(nFft / 2);
  for (let t = 0; t < frames; t++) {
    const start = t * hopLength - pad;
    for (let i = w0; i < w1; i++) {
      const j = start + i;
      frame[i] = j >= 0 && j < samples.length ? samples[j] * window[i] : 0;
    }
    transform.power(frame, row);
    data.set(row, t * bins);
  }
  return { data, frames, bins };
}
