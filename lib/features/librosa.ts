/**
 * The `librosa` flavour: {@linkcode mfcc} and {@linkcode logMelSpectrogram}
 * as librosa 0.10.2's `feature.mfcc` (dct_type=2, norm="ortho", lifter=0)
 * and `power_to_db(feature.melspectrogram(...), ref=1, amin=1e-10,
 * top_db=80)`, with librosa's parameter names and defaults. Computed in
 * float64 by the WebAssembly SIMD kernel (`kernel.ts`) on the DSP core's
 * window, mel filter bank and DCT matrix; tested against the core's
 * step-by-step path and against every case in `shared/reference/librosa`.
 *
 * @module
 */
import { type Matrix64, requireHopLength } from "../dsp/mod.ts";
import { melKernel } from "./kernel.ts";

/** Options for {@linkcode logMelSpectrogram} (librosa's names and defaults). */
export interface MelSpectrogramOptions {
  /** Sample rate of `y` (Hz). */
  sr: number;
  /** FFT size, a power of two ≥ 8 (default 2048). */
  nFft?: number;
  /** Window length, ≤ nFft (default nFft). */
  winLength?: number;
  /** Hop between frames (default `floor(winLength / 4)`). */
  hopLength?: number;
  /** Mel bands (default 128). */
  nMels?: number;
  /** Lowest mel edge in Hz (default 0). */
  fmin?: number;
  /** Highest mel edge in Hz (default sr / 2). */
  fmax?: number;
}

/** Options for {@linkcode mfcc} (librosa's names and defaults). */
export interface MfccOptions extends MelSpectrogramOptions {
  /** Coefficients, ≤ nMels (default 20). */
  nMfcc?: number;
}

/** {@linkcode MelSpectrogramOptions} with every default filled in. */
export type SpectralOptions = Required<MelSpectrogramOptions>;

function resolve(fn: string, o: MelSpectrogramOptions): SpectralOptions {
  const nFft = o.nFft ?? 2048;
  const winLength = o.winLength ?? nFft;
  const hopLength = o.hopLength ?? Math.floor(winLength / 4);
  requireHopLength(fn, hopLength);
  return {
    sr: o.sr,
    nFft,
    winLength,
    hopLength,
    nMels: o.nMels ?? 128,
    fmin: o.fmin ?? 0,
    fmax: o.fmax ?? o.sr / 2,
  };
}

/**
 * The log-mel spectrogram of mono `y` in dB, time-major (frames × nMels):
 * `librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr, ...),
 * ref=1.0, amin=1e-10, top_db=80)` transposed.
 */
export function logMelSpectrogram(
  y: Float32Array,
  options: MelSpectrogramOptions,
): Matrix64 {
  return melKernel(y, resolve("logMelSpectrogram", options), 0);
}

/**
 * MFCC of mono `y`, time-major (frames × nMfcc): `librosa.feature.mfcc(y=y,
 * sr=sr, n_mfcc=nMfcc, ...)` transposed.
 */
export function mfcc(y: Float32Array, options: MfccOptions): Matrix64 {
  const o = resolve("mfcc", options);
  const nMfcc = options.nMfcc ?? 20;
  if (!(Number.isInteger(nMfcc) && nMfcc > 0 && nMfcc <= o.nMels)) {
    throw new Error(
      `mfcc: need an integer 0 < nMfcc ≤ nMels, got ${nMfcc}, ${o.nMels}`,
    );
  }
  return melKernel(y, o, nMfcc);
}
