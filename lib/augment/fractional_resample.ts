/**
 * Band-limited resampling by an arbitrary (real) ratio, for the transforms
 * whose ratios are drawn from continuous ranges (speed perturbation, pitch
 * shift).
 *
 * `resample` in `lib/audio` is polyphase and takes integer rates: a random
 * ratio such as 1.0371 or 2^(1/6) reduces to huge integer terms, and each
 * builds (and caches) a filter bank with millions of taps. Here one filter
 * table serves every ratio, in the manner of resampy / Julius O. Smith's
 * bandlimited interpolation: a sinc with a 4-term Blackman–Harris window
 * (side lobes −92 dB) and
 * {@linkcode ZERO_CROSSINGS} zero crossings per side, tabulated at
 * {@linkcode OVERSAMPLE} points per crossing and read with linear
 * interpolation. When downsampling, the filter is widened by the ratio so
 * its cut-off follows the new Nyquist frequency (anti-aliasing).
 *
 * @module
 */
import { requirePositive, requireSamples } from "./validate.ts";

/** Zero crossings of the sinc on each side of its centre. */
const ZERO_CROSSINGS = 32;
/** Table points per zero crossing. */
const OVERSAMPLE = 512;
/** Cut-off as a fraction of the (lower) Nyquist frequency. */
const ROLLOFF = 0.945;
/** 4-term Blackman–Harris coefficients. */
const BLACKMAN_HARRIS = [0.35875, 0.48829, 0.14128, 0.01168] as const;

/** The Blackman–Harris window at `r` ∈ [0, 1] of its half-width from the centre. */
function blackmanHarris(r: number): number {
  const [a0, a1, a2, a3] = BLACKMAN_HARRIS;
  const x = Math.PI * r;
  return a0 + a1 * Math.cos(x) + a2 * Math.cos(2 * x) + a3 * Math.cos(3 * x);
}

/** The interpolation filter: right half and first differences. */
interface FilterTable {
  /** `h[i]` = filter at distance `i / OVERSAMPLE` input samples, plus a 0 guard point. */
  h: Float64Array;
  /** `d[i] = h[i + 1] − h[i]`, for linear interpolation. */
  d: Float64Array;
}

let table: FilterTable | undefined;

/** Right half of the interpolation filter, built on first use. */
function filterTable(): FilterTable {
  if (table) return table;
  const n = ZERO_CROSSINGS * OVERSAMPLE;
  const h = new Float64Array(n + 2);
  for (let i = 0; i <= n; i++) {
    const x = i / OVERSAMPLE;
    const arg = Math.PI * ROLLOFF * x;
    const sinc = i === 0 ? 1 : Math.sin(arg) / arg;
    h[i] = ROLLOFF * sinc * blackmanHarris(i / n);
  }
  const d = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) d[i] = h[i + 1] - h[i];
  table = { h, d };
  return table;
}

/**
 * Resamples `samples` so that `ratio` output samples stand for each input
 * sample (`ratio = newRate / oldRate`); the output has
 * `round(samples.length · ratio)` samples. Output sample `m` is the
 * band-limited interpolation of the input at time `m / ratio`.
 */
export function resampleByRatio(
  samples: Float32Array,
  ratio: number,
): Float32Array {
  requireSamples("resampleByRatio", samples);
  requirePositive("resampleByRatio", "ratio", ratio);
  const { h, d } = filterTable();
  const n = samples.length;
  const nOut = Math.max(1, Math.round(n * ratio));
  const out = new Float32Array(nOut);
  const scale = Math.min(1, ratio);
  const step = scale * OVERSAMPLE;
  // Taps reach ZERO_CROSSINGS / scale input samples either side.
  const reach = ZERO_CROSSINGS / scale;
  for (let m = 0; m < nOut; m++) {
    const time = m / ratio;
    const i = Math.floor(time);
    const frac = time - i;
    let acc = 0;
    // Left wing: x[i − k] at distance frac + k, for k = 0 … kEnd.
    const kEnd = Math.min(Math.floor(reach - frac), i);
    const kStart = Math.max(0, i - n + 1);
    let pos = (frac + kStart) * step;
    for (let k = kStart; k <= kEnd; k++, pos += step) {
      const p = pos | 0;
      acc += samples[i - k] * (h[p] + (pos - p) * d[p]);
    }
    // Right wing: x[i + 1 + k] at distance 1 − frac + k.
    const kEndRight = Math.min(Math.floor(reach - (1 - frac)), n - 2 - i);
    pos = (1 - frac) * step;
    for (let k = 0; k <= kEndRight; k++, pos += step) {
      const p = pos | 0;
      acc += samples[i + 1 + k] * (h[p] + (pos - p) * d[p]);
    }
    out[m] = acc * scale;
  }
  return out;
}
