/**
 * Root-mean-square energy: per centred frame as `librosa.feature.rms(y,
 * frame_length, hop_length, center=True, pad_mode="constant")`, and the level
 * of one stretch of samples in dB re full scale.
 *
 * @module
 */
import { frameCount } from "./frame.ts";

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Options for {@linkcode rms} (librosa's names and defaults). */
export interface RmsOptions {
  /** Frame length, default 2048. */
  frameLength?: number;
  /** Hop between frames, default 512. */
  hopLength?: number;
}

/**
 * RMS of every centred frame of `y` (zero-padded by `frameLength/2` at both
 * ends; the mean is over `frameLength` samples, padding included), float64.
 */
export function rms(y: Float32Array, options: RmsOptions = {}): Float64Array {
  const frameLength = options.frameLength ?? 2048;
  const hop = options.hopLength ?? 512;
  const n = y.length;
  const pad = Math.floor(frameLength / 2);
  const frames = frameCount(n, frameLength, hop);
  // Every frame edge is a multiple of g = gcd(hop, pad, frameLength) (2 ×
  // 512 … 4 × 512 with the defaults), so a frame's energy is a short sum of
  // block energies: O(n) overall and, unlike running prefix sums, exact
  // enough on long inputs that a quiet frame near a loud one is not blurred.
  const g = gcd(gcd(hop, pad), frameLength);
  const blocks = new Float64Array(Math.ceil(n / g));
  for (let j = 0; j < blocks.length; j++) {
    let acc = 0;
    for (let i = j * g, end = Math.min(n, i + g); i < end; i++) {
      acc += y[i] * y[i];
    }
    blocks[j] = acc;
  }
  const out = new Float64Array(frames);
  for (let t = 0; t < frames; t++) {
    const a = Math.max(0, t * hop - pad) / g;
    const b = Math.min(blocks.length, (t * hop - pad + frameLength) / g);
    let acc = 0;
    for (let j = a; j < b; j++) acc += blocks[j];
    out[t] = Math.sqrt(acc / frameLength);
  }
  return out;
}

/**
 * RMS level of `y[start, end)` in dB re full scale, `10·log10(mean(y²))`
 * (−∞ for digital silence).
 */
export function rmsDb(
  y: Float32Array,
  start = 0,
  end = y.length,
): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += y[i] * y[i];
  const n = Math.max(end - start, 1);
  return 10 * Math.log10(sum / n);
}
