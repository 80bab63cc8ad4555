/**
 * Test helpers for tones: generation, frequency estimation, level.
 *
 * @module
 */

/** `n` samples of `amp · sin(2π·freq·t)` at rate `sr`. */
export function sine(
  freq: number,
  sr: number,
  n: number,
  amp = 0.5,
): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = amp * Math.sin(2 * Math.PI * freq * i / sr);
  }
  return x;
}

/**
 * Frequency of a clean tone from its rising zero crossings (linearly
 * interpolated), over `x[from, to)`.
 */
export function estimateFreq(
  x: Float32Array,
  sr: number,
  from = 0,
  to = x.length,
): number {
  const crossings: number[] = [];
  for (let i = Math.max(from, 1); i < to; i++) {
    if (x[i - 1] < 0 && x[i] >= 0) {
      crossings.push(i - 1 + x[i - 1] / (x[i - 1] - x[i]));
    }
  }
  if (crossings.length < 2) return 0;
  const periods = crossings.length - 1;
  return periods * sr / (crossings[crossings.length - 1] - crossings[0]);
}

/** Root-mean-square level of `x[from, to)`. */
export function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, to - from));
}
