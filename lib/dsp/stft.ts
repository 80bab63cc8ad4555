/**
 * Short-time Fourier transforms as `librosa.stft(center=True,
 * pad_mode="constant")` and `librosa.istft(center=True)`: centred frames
 * ({@linkcode forEachFrame}) windowed by a periodic Hann of `winLength`
 * centred in `nFft`, as a complex or a power (`|STFT|²`) spectrogram, and
 * the inverse by windowed overlap-add normalised by the window's sum of
 * squares.
 *
 * @module
 */
import { createRealFft, type RealFft } from "./fft.ts";
import { forEachFrame, frameCount, requireHopLength } from "./frame.ts";
import type { Matrix64 } from "./matrix.ts";
import { hannWindow } from "./window.ts";

/** Options for {@linkcode stft} and {@linkcode powerSpectrogram} (librosa's names and defaults). */
export interface StftOptions {
  /** FFT size, a power of two. */
  nFft: number;
  /** Window length, ≤ nFft (default nFft). */
  winLength?: number;
  /** Hop between frames (default `floor(winLength / 4)`). */
  hopLength?: number;
}

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

/** {@linkcode StftOptions} with librosa's defaults filled in and checked. */
function resolve(fn: string, options: StftOptions): Required<StftOptions> {
  const { nFft } = options;
  const winLength = options.winLength ?? nFft;
  const hopLength = options.hopLength ?? Math.floor(winLength / 4);
  requireHopLength(fn, hopLength);
  return { nFft, winLength, hopLength };
}

/** The frames of one analysis: their count, the FFT, and a loop over them. */
interface WindowedFrames {
  /** Number of frames. */
  frames: number;
  /** Bins per frame, `nFft / 2 + 1`. */
  bins: number;
  /** The FFT of size nFft. */
  fft: RealFft;
  /** Calls `fn(frame, t)` with every windowed frame (length nFft, reused). */
  each(fn: (frame: Float64Array, t: number) => void): void;
}

/** Sets up the windowed centred frames of `y` for `fn` (named in errors). */
function windowedFrames(
  fn: string,
  y: Float32Array,
  options: StftOptions,
): WindowedFrames {
  const { nFft, winLength, hopLength } = resolve(fn, options);
  const fft = createRealFft(nFft);
  const window = hannWindow(winLength, nFft);
  const windowed = new Float64Array(nFft);
  // Only the non-zero part of the window matters; the rest stays zero.
  const w0 = Math.floor((nFft - winLength) / 2);
  const w1 = w0 + winLength;
  return {
    frames: frameCount(y.length, nFft, hopLength),
    bins: fft.bins,
    fft,
    each(visit) {
      forEachFrame(y, { frameLength: nFft, hopLength }, (frame, t) => {
        for (let i = w0; i < w1; i++) windowed[i] = frame[i] * window[i];
        visit(windowed, t);
      });
    },
  };
}

/**
 * Complex STFT of mono `y` (frames × (nFft/2+1)), float64, as
 * `librosa.stft(y, n_fft, hop_length, win_length, center=True,
 * pad_mode="constant")` transposed to time-major.
 */
export function stft(
  y: Float32Array,
  options: StftOptions,
): ComplexSpectrogram {
  const { frames, bins, fft, each } = windowedFrames("stft", y, options);
  const re = new Float64Array(frames * bins);
  const im = new Float64Array(frames * bins);
  each((frame, t) => fft.forward(frame, re, im, t * bins));
  return { frames, bins, re, im };
}

/**
 * Power spectrogram `|STFT|²` (frames × (nFft/2+1)) of mono `y`, float64,
 * matching `abs(librosa.stft(...))**2` (librosa 0.10.2, `center=True,
 * pad_mode="constant"`), without storing the complex spectrum.
 */
export function powerSpectrogram(
  y: Float32Array,
  options: StftOptions,
): Matrix64 {
  const { frames, bins, fft, each } = windowedFrames(
    "powerSpectrogram",
    y,
    options,
  );
  const data = new Float64Array(frames * bins);
  const row = new Float64Array(bins);
  each((frame, t) => {
    fft.power(frame, row);
    data.set(row, t * bins);
  });
  return { data, frames, dims: bins };
}

/** Options for {@linkcode istft} (librosa's names and defaults). */
export interface IstftOptions {
  /** Window length used by the analysis, ≤ nFft (default nFft). */
  winLength?: number;
  /** Hop of the analysis (default `floor(winLength / 4)`). */
  hopLength?: number;
  /** Output length in samples (default `(frames − 1) · hopLength`). */
  length?: number;
}

/**
 * Inverse of {@linkcode stft} as `librosa.istft(center=True, length)`:
 * inverse FFT of each frame (nFft = 2·(bins − 1)), Hann-windowed overlap-add
 * every `hopLength` samples, divided by the summed squared window, and the
 * centre padding removed. Returns exactly `length` samples, zero beyond the
 * last frame and wherever the summed squared window is ≤ 1e-10 (librosa
 * divides wherever it exceeds the smallest normal float, amplifying the
 * barely covered edges).
 */
export function istft(
  spec: ComplexSpectrogram,
  options: IstftOptions = {},
): Float32Array {
  const { frames, bins, re, im } = spec;
  const { nFft, winLength, hopLength } = resolve("istft", {
    nFft: 2 * (bins - 1),
    ...options,
  });
  const length = options.length ?? (frames - 1) * hopLength;
  const window = hannWindow(winLength, nFft);
  const fft = createRealFft(nFft);
  const pad = nFft / 2;
  const total = (frames - 1) * hopLength + nFft;
  const acc = new Float64Array(total);
  const norm = new Float64Array(total);
  const time = new Float64Array(nFft);
  for (let t = 0; t < frames; t++) {
    fft.inverse(re, im, t * bins, time);
    const start = t * hopLength;
    for (let i = 0; i < nFft; i++) {
      acc[start + i] += time[i] * window[i];
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
