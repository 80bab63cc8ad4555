/**
 * Leading/trailing silence detection as `librosa.effects.trim(y, top_db,
 * ref=np.max, frame_length=2048, hop_length=512)`: frame RMS (centred,
 * zero-padded), in dB relative to the loudest frame; frames above `−topDb`
 * are non-silent.
 *
 * @module
 */

/** Options for {@linkcode trimBounds}. */
export interface TrimOptions {
  /** Threshold below the loudest frame, in dB (librosa default 60). */
  topDb?: number;
  /** RMS frame length, default 2048. */
  frameLength?: number;
  /** RMS hop, default 512. */
  hopLength?: number;
}

/**
 * `[start, end)` sample indices of the non-silent part of `samples`, exactly
 * as librosa's `trim(...)[1]`; `[0, 0]` if every frame is silent.
 */
export function trimBounds(
  samples: Float32Array,
  options: TrimOptions = {},
): [number, number] {
  const topDb = options.topDb ?? 60;
  const frameLength = options.frameLength ?? 2048;
  const hop = options.hopLength ?? 512;
  const n = samples.length;
  if (n === 0) return [0, 0];
  const pad = Math.floor(frameLength / 2);
  const frames = 1 + Math.floor((n + 2 * pad - frameLength) / hop);
  // Prefix sums of squares give every frame's energy in O(1).
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cum[i + 1] = cum[i] + samples[i] * samples[i];
  const ms = new Float64Array(frames);
  let max = 0;
  for (let t = 0; t < frames; t++) {
    const a = Math.min(n, Math.max(0, t * hop - pad));
    const b = Math.min(n, Math.max(0, t * hop - pad + frameLength));
    const v = Math.max(0, cum[b] - cum[a]) / frameLength;
    ms[t] = v;
    if (v > max) max = v;
  }
  const refDb = 10 * Math.log10(Math.max(1e-10, max));
  let first = -1;
  let last = -1;
  for (let t = 0; t < frames; t++) {
    const db = 10 * Math.log10(Math.max(1e-10, ms[t])) - refDb;
    if (db > -topDb) {
      if (first < 0) first = t;
      last = t;
    }
  }
  if (first < 0) return [0, 0];
  return [first * hop, Math.min(n, (last + 1) * hop)];
}
