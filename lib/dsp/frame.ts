/**
 * Centred framing, librosa's `center=True, pad_mode="constant"`: the signal
 * is zero-padded by `frameLength/2` samples on both sides and cut into
 * frames of `frameLength` samples every `hopLength`, so frame `t` is centred
 * on sample `t·hopLength`. Every frame-by-frame computation of the project
 * (STFT, Meyda's extractors) frames through here.
 *
 * @module
 */

/** Options for {@linkcode forEachFrame}. */
export interface FrameOptions {
  /** Samples per frame. */
  frameLength: number;
  /** Hop between frame starts, a positive integer. */
  hopLength: number;
}

/** Number of centred frames librosa produces for `n` samples. */
export function frameCount(
  n: number,
  frameLength: number,
  hopLength: number,
): number {
  return 1 +
    Math.floor((n + 2 * Math.floor(frameLength / 2) - frameLength) / hopLength);
}

/** Throws unless `hopLength` is a positive integer (`fn` names the caller). */
export function requireHopLength(fn: string, hopLength: number): void {
  if (!Number.isInteger(hopLength) || hopLength <= 0) {
    throw new Error(
      `${fn}: hopLength must be a positive integer, got ${hopLength}`,
    );
  }
}

/**
 * Calls `fn(frame, t)` for every centred frame of `y` (see the module
 * docs); the frame buffer is reused between calls. Returns the number of
 * frames, {@linkcode frameCount}.
 */
export function forEachFrame(
  y: Float32Array,
  options: FrameOptions,
  fn: (frame: Float32Array, t: number) => void,
): number {
  const { frameLength, hopLength } = options;
  requireHopLength("forEachFrame", hopLength);
  const frames = frameCount(y.length, frameLength, hopLength);
  const pad = Math.floor(frameLength / 2);
  const frame = new Float32Array(frameLength);
  for (let t = 0; t < frames; t++) {
    const start = t * hopLength - pad;
    if (start >= 0 && start + frameLength <= y.length) {
      frame.set(y.subarray(start, start + frameLength));
    } else {
      frame.fill(0);
      const a = Math.max(0, start);
      const b = Math.min(y.length, start + frameLength);
      if (b > a) frame.set(y.subarray(a, b), a - start);
    }
    fn(frame, t);
  }
  return frames;
}
