/**
 * Leading/trailing silence detection as `librosa.effects.trim(y, top_db,
 * ref=np.max, frame_length=2048, hop_length=512)`: the {@linkcode rms} of
 * centred frames in dB relative to the loudest frame; frames above `−topDb`
 * are non-silent.
 *
 * @module
 */
import { powerToDb } from "./db.ts";
import { rms } from "./rms.ts";

/** Options for {@linkcode trimBounds} (librosa's names and defaults). */
export interface TrimOptions {
  /** Threshold below the loudest frame, in dB (default 60). */
  topDb?: number;
  /** RMS frame length, default 2048. */
  frameLength?: number;
  /** RMS hop, default 512. */
  hopLength?: number;
}

/**
 * `[start, end)` sample indices of the non-silent part of `y`, exactly as
 * librosa's `trim(...)[1]`; `[0, 0]` if every frame is silent.
 */
export function trimBounds(
  y: Float32Array,
  options: TrimOptions = {},
): [number, number] {
  const topDb = options.topDb ?? 60;
  const frameLength = options.frameLength ?? 2048;
  const hop = options.hopLength ?? 512;
  const n = y.length;
  if (n === 0) return [0, 0];
  // librosa: amplitude_to_db(rms, ref=max, top_db=None), i.e. power_to_db
  // of the squared RMS with amin = 1e-10.
  const power = rms(y, { frameLength, hopLength: hop }).map((r) => r * r);
  let max = 0;
  for (const p of power) if (p > max) max = p;
  const db = powerToDb(power, { ref: max, topDb: null });
  let first = -1;
  let last = -1;
  for (let t = 0; t < db.length; t++) {
    if (db[t] > -topDb) {
      if (first < 0) first = t;
      last = t;
    }
  }
  if (first < 0) return [0, 0];
  return [first * hop, Math.min(n, (last + 1) * hop)];
}
