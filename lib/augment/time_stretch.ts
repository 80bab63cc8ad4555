/**
 * Time stretch: changes duration, keeps pitch — a phase vocoder with identity
 * phase locking (Laroche & Dolson, 1999).
 *
 * The STFT (Hann, `nFft`, `hopLength`, centred frames up to one past the end
 * of the signal) is read at fractional frame positions
 * `0, rate, 2·rate, …` (magnitudes interpolated linearly between the two
 * neighbouring frames, as librosa's `phase_vocoder`) and re-synthesised every
 * `hopLength` samples, so the output lasts `1/rate` times as long. Each
 * spectral peak (a bin above its four nearest neighbours) advances its phase
 * by its measured instantaneous frequency; every other bin is locked to the
 * peak whose region it lies in (regions split half-way between peaks),
 * keeping the peak's analysed phase relation. Locking removes most of the
 * "phasiness" of the plain phase vocoder.
 *
 * @module
 */
import { type ComplexSpectrogram, istft, stft } from "../dsp/mod.ts";
import { requireInteger, requirePositive, requireSamples } from "./validate.ts";

/** Options for {@linkcode timeStretch}. */
export interface TimeStretchOptions {
  /** Speed factor: > 1 shortens (faster), < 1 lengthens; output lasts `1/rate` as long. */
  rate: number;
  /** FFT size, a power of two (default 1024: 64 ms at 16 kHz). */
  nFft?: number;
  /** Hop between frames (default `nFft / 4`). */
  hopLength?: number;
}

const TWO_PI = 2 * Math.PI;

/** Wraps an angle to [-π, π). */
function wrap(x: number): number {
  return x - TWO_PI * Math.round(x / TWO_PI);
}

/** Checks nFft (power of two ≥ 16) and hopLength (1 … nFft/2) for `transform`. */
export function stretchFrameOptions(
  transform: string,
  nFft: number | undefined,
  hopLength: number | undefined,
): { nFft: number; hopLength: number } {
  const n = requireInteger(transform, "nFft", nFft ?? 1024, 16);
  if ((n & (n - 1)) !== 0) {
    throw new Error(
      `${transform}: option nFft must be a power of two, got ${n}`,
    );
  }
  const hop = requireInteger(transform, "hopLength", hopLength ?? n / 4, 1);
  if (hop > n / 2) {
    throw new Error(
      `${transform}: option hopLength must be at most nFft/2 = ${
        n / 2
      }, got ${hop}`,
    );
  }
  return { nFft: n, hopLength: hop };
}

/**
 * Returns the input time-stretched by `rate`, `round(n / rate)` samples long,
 * at the same pitch.
 */
export function timeStretch(
  samples: Float32Array,
  options: TimeStretchOptions,
): Float32Array {
  requireSamples("timeStretch", samples);
  const rate = requirePositive("timeStretch", "rate", options.rate);
  const { nFft, hopLength } = stretchFrameOptions(
    "timeStretch",
    options.nFft,
    options.hopLength,
  );
  const length = Math.max(1, Math.round(samples.length / rate));
  if (rate === 1) return Float32Array.from(samples);
  // Zeros up to a whole number of hops: 1 + ceil(n / hopLength) frames, the
  // last one centred at or past the end, so the tail is fully analysed.
  const padded = new Float32Array(
    Math.ceil(samples.length / hopLength) * hopLength,
  );
  padded.set(samples);
  const spec = stft(padded, { nFft, hopLength });
  const { frames, bins, re, im } = spec;
  const mag = new Float64Array(frames * bins);
  const phase = new Float64Array(frames * bins);
  for (let i = 0; i < mag.length; i++) {
    mag[i] = Math.sqrt(re[i] * re[i] + im[i] * im[i]);
    phase[i] = Math.atan2(im[i], re[i]);
  }
  const steps = Math.ceil(frames / rate);
  const out: ComplexSpectrogram = {
    frames: steps,
    bins,
    re: new Float64Array(steps * bins),
    im: new Float64Array(steps * bins),
  };
  // Expected phase advance of bin k over one hop.
  const advance = new Float64Array(bins);
  for (let k = 0; k < bins; k++) advance[k] = TWO_PI * k * hopLength / nFft;
  const acc = phase.slice(0, bins); // running synthesis phase
  const m = new Float64Array(bins);
  const synth = new Float64Array(bins);
  const peaks = new Int32Array(bins);
  for (let s = 0; s < steps; s++) {
    const pos = s * rate;
    const f = Math.floor(pos);
    const alpha = pos - f;
    const a = f * bins;
    const hasNext = f + 1 < frames;
    const b = hasNext ? a + bins : a;
    for (let k = 0; k < bins; k++) {
      const next = hasNext ? mag[b + k] : 0;
      m[k] = (1 - alpha) * mag[a + k] + alpha * next;
    }
    // Peaks: above the four nearest neighbours.
    let nPeaks = 0;
    for (let k = 0; k < bins; k++) {
      const v = m[k];
      if (
        v > 0 &&
        (k < 1 || v > m[k - 1]) && (k < 2 || v > m[k - 2]) &&
        (k + 1 >= bins || v >= m[k + 1]) && (k + 2 >= bins || v >= m[k + 2])
      ) peaks[nPeaks++] = k;
    }
    if (nPeaks === 0) {
      synth.set(acc);
    } else {
      let lo = 0;
      for (let p = 0; p < nPeaks; p++) {
        const k0 = peaks[p];
        const hi = p + 1 < nPeaks ? ((k0 + peaks[p + 1]) >> 1) + 1 : bins;
        for (let k = lo; k < hi; k++) {
          synth[k] = acc[k0] + phase[a + k] - phase[a + k0];
        }
        lo = hi;
      }
    }
    for (let k = 0; k < bins; k++) {
      out.re[s * bins + k] = m[k] * Math.cos(synth[k]);
      out.im[s * bins + k] = m[k] * Math.sin(synth[k]);
      const delta = hasNext ? phase[b + k] - phase[a + k] - advance[k] : 0;
      acc[k] = synth[k] + advance[k] + wrap(delta);
    }
  }
  return istft(out, { hopLength, length });
}
