/**
 * Fixed-length framing for the model: crop or zero-pad a feature matrix to
 * a fixed number of frames, keeping the true length for masking.
 *
 * @module
 */
import type { FeatureMatrix } from "./config.ts";

/** A fixed-length matrix with its true (unpadded) number of frames. */
export type FixedFeatureMatrix = FeatureMatrix & {
  /** Frames of real content, ≤ `frames`; the rest is zero padding. */
  length: number;
};

/**
 * Crops or zero-pads `m` to `frames` rows. Longer inputs are cropped around
 * their centre (`center`, default) or from the start (`start`); shorter
 * inputs keep their rows at the start followed by zeros. `length` is the
 * number of real (unpadded) rows.
 */
export function fixLength(
  m: FeatureMatrix,
  frames: number,
  mode: "center" | "start" = "center",
): FixedFeatureMatrix {
  if (!Number.isInteger(frames) || frames <= 0) {
    throw new Error(
      `fixLength: frames must be a positive integer, got ${frames}`,
    );
  }
  if (m.data.length !== m.frames * m.dims) {
    throw new Error(
      `fixLength: data length ${m.data.length} != frames ${m.frames} × dims ${m.dims}`,
    );
  }
  const data = new Float32Array(frames * m.dims);
  const length = Math.min(frames, m.frames);
  const offset = m.frames > frames && mode === "center"
    ? Math.floor((m.frames - frames) / 2)
    : 0;
  data.set(m.data.subarray(offset * m.dims, (offset + length) * m.dims));
  return { data, frames, dims: m.dims, length };
}
