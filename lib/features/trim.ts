/**
 * Leading/trailing silence detection as `librosa.effects.trim(y, top_db,
 * ref=np.max, frame_length=2048, hop_length=512)`: frame RMS (centred,
 * zero-padded), in dB relative to the loudest frame; frames above `−topDb`
 * are non-silent.
 *
 * @module
 */

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

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
  // Every frame edge is a multiple of g = gcd(hop, pad, frameLength) (2 ×
  // 512 … 4 × 512 with the defaults), so a frame's energy is a short sum of
  // block energies: O(n) overall and, unlike running prefix sums, exact
  // enough on long inputs that a quiet frame near a loud one is not blurred.
  const g = gcd(gcd(hop, pad), frameLength);
  const blocks = new Float64Array(Math.ceil(n / g));
  for (let j = 0; j < blocks.length; j++) {
    let acc = 0;
    for (let i = j * g, end = Math.min(n, i + g); i < end; i++) {
      acc += samples[i] * samples[i];
    }
    blocks[j] = acc;
  }
  const ms = new Float64Array(frames);
  let max = 0;
  for (let t = 0; t < frames; t++) {
    const a = Math.max(0, t * hop - pad) / g;
    const b = Math.min(blocks.length, (t * hop - pad + frameLength) / g);
    let acc = 0;
    for (let j = a; j < b; j++) acc += blocks[j];
    const v = acc / frameLength;
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
