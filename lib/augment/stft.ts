/**
 * Complex short-time Fourier transform and its inverse, for the phase
 * vocoder of {@linkcode timeStretch}: periodic Hann window, frames centred on
 * multiples of the hop (the signal is zero-padded by `nFft/2` at both ends,
 * like librosa's `center=True`), and overlap-add inversion normalised by the
 * window's sum of squares.
 *
 * @module
 */
import FFT from "fft.js";
import { hannWindow } from "../features/window.ts";

/** A complex spectrogram: `frames × bins` (bins = nFft/2 + 1), time-major. */
export interface ComplexSpectrogram {
  /** Number of frames. */
  frames: number;
  /** Bins per frame, `nFft / 2 + 1`. */
  bins: number;
  /** Real parts, `frames × bins` row-major. */
  re: Float64Array;
  /** Imaginary parts, `frames × bins` row-major. */
  im: Float64Array;
}

/**
 * STFT of `samples` with `nFft`-point frames every `hopLength` samples. Frame
 * `t` is centred on sample `t·hopLength`; there are `1 + ceil(n/hopLength)`
 * frames, so the last one covers the end of the signal.
 */
export function stft(
  samples: Float32Array,
  nFft: number,
  hopLength: number,
): ComplexSpectrogram {
  const window = hannWindow(nFft);
  const fft = new FFT(nFft);
  const bins = nFft / 2 + 1;
  const frames = 1 + Math.ceil(samples.length / hopLength);
  const re = new Float64Array(frames * bins);
  const im = new Float64Array(frames * bins);
  const frame = new Float64Array(nFft);
  const spectrum = new Float64Array(2 * nFft);
  const pad = nFft / 2;
  for (let t = 0; t < frames; t++) {
    const start = t * hopLength - pad;
    for (let i = 0; i < nFft; i++) {
      const j = start + i;
      frame[i] = j >= 0 && j < samples.length ? samples[j] * window[i] : 0;
    }
    fft.realTransform(spectrum, frame);
    for (let k = 0; k < bins; k++) {
      re[t * bins + k] = spectrum[2 * k];
      im[t * bins + k] = spectrum[2 * k + 1];
    }
  }
  return { frames, bins, re, im };
}

/**
 * Inverse of {@linkcode stft}: inverse FFT of each frame, Hann-windowed
 * overlap-add every `hopLength` samples, divided by the summed squared window,
 * and the centre padding removed. Returns exactly `length` samples (zero
 * beyond the last frame).
 */
export function istft(
  spec: ComplexSpectrogram,
  hopLength: number,
  length: number,
): Float32Array {
  const { frames, bins, re, im } = spec;
  const nFft = 2 * (bins - 1);
  const window = hannWindow(nFft);
  const fft = new FFT(nFft);
  const pad = nFft / 2;
  const total = (frames - 1) * hopLength + nFft;
  const acc = new Float64Array(total);
  const norm = new Float64Array(total);
  const full = new Float64Array(2 * nFft);
  const time = new Float64Array(2 * nFft);
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < bins; k++) {
      full[2 * k] = re[t * bins + k];
      full[2 * k + 1] = im[t * bins + k];
    }
    // The DC and Nyquist bins of a real signal's spectrum are real.
    full[1] = 0;
    full[2 * (bins - 1) + 1] = 0;
    for (let k = bins; k < nFft; k++) {
      full[2 * k] = full[2 * (nFft - k)];
      full[2 * k + 1] = -full[2 * (nFft - k) + 1];
    }
    fft.inverseTransform(time, full);
    const start = t * hopLength;
    for (let i = 0; i < nFft; i++) {
      acc[start + i] += time[2 * i] * window[i];
      norm[start + i] += window[i] * window[i];
    }
  }
  const out = new Float32Array(length);
  const end = Math.min(length, total - pad);
  for (let i = 0; i < end; i++) {
    const w = norm[i + pad];
    out[i] = w > 1e-10 ? acc[i + pad] / w : 0;
  }
  return out;
}
