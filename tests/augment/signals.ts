/**
 * Synthetic signals and measurements shared by the augmentation property
 * tests: tones and tone bursts, zero-crossing frequency, SNR, onsets and the
 * spectral slope of noise.
 *
 * @module
 */
import { stft } from "../../lib/dsp/mod.ts";
import { estimateFreq, sine } from "../audio/tone.ts";

/** A sine of `freq` Hz and amplitude `amp`, `seconds` long at `sr`. */
export function tone(
  freq: number,
  sr: number,
  seconds: number,
  amp = 0.5,
): Float32Array {
  return sine(freq, sr, Math.round(sr * seconds), amp);
}

/**
 * Silence with sine bursts of `freq` Hz: each `[start, end]` pair (seconds)
 * is a burst with 5 ms raised-cosine edges.
 */
export function bursts(
  freq: number,
  sr: number,
  seconds: number,
  spans: [number, number][],
): Float32Array {
  const x = new Float32Array(Math.round(sr * seconds));
  const ramp = Math.round(0.005 * sr);
  for (const [a, b] of spans) {
    const i0 = Math.round(a * sr);
    const i1 = Math.round(b * sr);
    for (let i = i0; i < i1; i++) {
      const edge = Math.min(i - i0, i1 - 1 - i);
      const env = edge >= ramp
        ? 1
        : 0.5 - 0.5 * Math.cos(Math.PI * edge / ramp);
      x[i] = 0.5 * env * Math.sin(2 * Math.PI * freq * i / sr);
    }
  }
  return x;
}

/**
 * Frequency of a (near-)sinusoid from its rising zero crossings between
 * samples `from` and `to`, each located by linear interpolation: (crossings −
 * 1) periods over the time from the first to the last.
 */
export function zeroCrossingFrequency(
  x: Float32Array,
  sr: number,
  from = 0,
  to = x.length,
): number {
  const freq = estimateFreq(x, sr, from, to);
  if (freq === 0) throw new Error("fewer than two zero crossings");
  return freq;
}

/** SNR in dB of `mixed` against the clean `clean`: 10·log10(Σc² / Σ(m−c)²). */
export function measuredSnrDb(
  clean: Float32Array,
  mixed: Float32Array,
): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < clean.length; i++) {
    s += clean[i] * clean[i];
    const d = mixed[i] - clean[i];
    n += d * d;
  }
  return 10 * Math.log10(s / n);
}

/**
 * Energy centroids (seconds) of the first and second half of `x`:
 * `Σ t·x² / Σ x²` over each half. For a signal with one burst in each half,
 * the distance between them is a timing measure that integrates over the
 * whole bursts, so it is not thrown off by the shape of their edges.
 */
export function halfCentroids(x: Float32Array, sr: number): [number, number] {
  const mid = Math.floor(x.length / 2);
  const centroid = (from: number, to: number) => {
    let num = 0;
    let den = 0;
    for (let i = from; i < to; i++) {
      num += i * x[i] * x[i];
      den += x[i] * x[i];
    }
    return num / den / sr;
  };
  return [centroid(0, mid), centroid(mid, x.length)];
}

/**
 * Least-squares slope, in dB per octave, of the mean power spectral density
 * of `x` in octave bands from `fLow` up to `sr/2` (Welch average of Hann
 * frames of 4096 samples).
 */
export function octaveSlopeDb(
  x: Float32Array,
  sr: number,
  fLow: number,
): number {
  const nFft = 4096;
  const spec = stft(x, { nFft, hopLength: nFft / 2 });
  const psd = new Float64Array(spec.bins);
  for (let t = 1; t < spec.frames - 1; t++) {
    for (let k = 0; k < spec.bins; k++) {
      const i = t * spec.bins + k;
      psd[k] += spec.re[i] ** 2 + spec.im[i] ** 2;
    }
  }
  const xs: number[] = [];
  const ys: number[] = [];
  for (let f = fLow, octave = 0; 2 * f <= sr / 2; f *= 2, octave++) {
    const k0 = Math.ceil(f * nFft / sr);
    const k1 = Math.floor(2 * f * nFft / sr);
    let sum = 0;
    for (let k = k0; k < k1; k++) sum += psd[k];
    xs.push(octave);
    ys.push(10 * Math.log10(sum / (k1 - k0)));
  }
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return num / den;
}

/**
 * Frequency (Hz) of the strongest spectral peak of `x` between `fLo` and
 * `fHi`, from the Hann-windowed 16384-point spectrum centred on sample 16384
 * (so `x` needs ≥ 24576 samples), refined by a parabola through the log
 * magnitudes of the peak bin and its neighbours.
 */
export function peakFrequency(
  x: Float32Array,
  sr: number,
  fLo: number,
  fHi: number,
): number {
  const nFft = 16384;
  if (x.length < 1.5 * nFft) throw new Error("peakFrequency: signal too short");
  const s = stft(x, { nFft, hopLength: nFft });
  const logMag = (k: number) =>
    0.5 * Math.log(s.re[s.bins + k] ** 2 + s.im[s.bins + k] ** 2);
  let best = Math.ceil(fLo * nFft / sr);
  for (let k = best; k <= Math.floor(fHi * nFft / sr); k++) {
    if (logMag(k) > logMag(best)) best = k;
  }
  const [a, b, c] = [logMag(best - 1), logMag(best), logMag(best + 1)];
  const offset = 0.5 * (a - c) / (a - 2 * b + c);
  return (best + offset) * sr / nFft;
}
