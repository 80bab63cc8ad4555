/**
 * The model's input: fixed-length feature matrices stacked into one
 * `Float32Array` (a {@linkcode Dataset}, with labels for training), the
 * per-dimension normalisation statistics (computed on the training fold only
 * and saved in the model card) and their application, and batches as tensors.
 * Training, prediction and evaluation all build model inputs here.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** `n` examples of `frames × dims` features with labels. */
export interface Dataset {
  /** Row-major `[n, frames, dims]` features. */
  x: Float32Array;
  /** Class index of each example. */
  y: Int32Array;
  /** Number of examples. */
  n: number;
  /** Frames per example. */
  frames: number;
  /** Feature dims per frame. */
  dims: number;
  /** True (unpadded) frame count of each example. */
  lengths: Int32Array;
}

/** Per-dimension mean and standard deviation. */
export interface NormalizationStats {
  /** Mean of each feature dimension. */
  mean: number[];
  /** Standard deviation of each feature dimension (floored at 1e-5). */
  std: number[];
}

/** A fixed-length example as produced by `fixLength` in lib/features. */
export interface FixedExample {
  /** `frames × dims` row-major features. */
  data: Float32Array;
  /** Frames (after crop/pad). */
  frames: number;
  /** Dims per frame. */
  dims: number;
  /** True frame count before padding. */
  length: number;
}

/** Stacks fixed-length examples and their label indices into a {@linkcode Dataset}. */
export function stackDataset(
  examples: readonly FixedExample[],
  labels: readonly number[],
  shape: { frames: number; dims: number },
): Dataset {
  if (examples.length !== labels.length) {
    throw new Error(`${examples.length} examples but ${labels.length} labels`);
  }
  const { frames, dims } = shape;
  const size = frames * dims;
  const x = new Float32Array(examples.length * size);
  const lengths = new Int32Array(examples.length);
  examples.forEach((e, i) => {
    if (e.frames !== frames || e.dims !== dims) {
      throw new Error(
        `example ${i} is ${e.frames}×${e.dims}, expected ${frames}×${dims}`,
      );
    }
    x.set(e.data, i * size);
    lengths[i] = e.length;
  });
  return {
    x,
    y: Int32Array.from(labels),
    n: examples.length,
    frames,
    dims,
    lengths,
  };
}

/**
 * Running sums for {@linkcode normalizationStats}: add rows one at a time
 * (e.g. read from disk), in order, and get the same statistics.
 */
export interface StatsAccumulator {
  /** Adds one `frames × dims` example whose first `length` frames are real. */
  add(row: Float32Array, length: number): void;
  /** The statistics of the rows added so far. */
  result(): NormalizationStats;
}

/** A {@linkcode StatsAccumulator} for examples of `frames × dims`. */
export function statsAccumulator(
  frames: number,
  dims: number,
): StatsAccumulator {
  const sum = new Float64Array(dims);
  const sq = new Float64Array(dims);
  let count = 0;
  return {
    add(row, length) {
      const len = Math.min(Math.max(length, 1), frames);
      for (let t = 0; t < len; t++) {
        const at = t * dims;
        for (let d = 0; d < dims; d++) {
          const v = row[at + d];
          sum[d] += v;
          sq[d] += v * v;
        }
      }
      count += len;
    },
    result() {
      const mean = Array.from(sum, (s) => s / Math.max(count, 1));
      const std = Array.from(
        sq,
        (s, d) =>
          Math.max(
            Math.sqrt(Math.max(s / Math.max(count, 1) - mean[d] ** 2, 0)),
            1e-5,
          ),
      );
      return { mean, std };
    },
  };
}

/**
 * Mean and standard deviation of each dimension over the real (unpadded)
 * frames of `data` — call on the training fold only.
 */
export function normalizationStats(data: Dataset): NormalizationStats {
  const { dims, frames } = data;
  const size = frames * dims;
  const acc = statsAccumulator(frames, dims);
  for (let i = 0; i < data.n; i++) {
    acc.add(data.x.subarray(i * size, (i + 1) * size), data.lengths[i]);
  }
  return acc.result();
}

/**
 * Writes example `row` (`frames × dims`) normalised with `stats` into
 * `out` (same size): its first `length` frames; the rest is set to zero.
 */
export function normalizeRow(
  row: Float32Array,
  length: number,
  stats: NormalizationStats,
  out: Float32Array,
): void {
  const dims = stats.mean.length;
  const len = Math.min(length, row.length / dims);
  out.fill(0, len * dims);
  for (let t = 0; t < len; t++) {
    const at = t * dims;
    for (let d = 0; d < dims; d++) {
      out[at + d] = (row[at + d] - stats.mean[d]) / stats.std[d];
    }
  }
}

/**
 * Returns a copy of `x` (`[…, dims]` row-major) normalised with `stats`;
 * padded frames (beyond each example's length) stay exactly zero.
 */
export function applyNormalization(
  data: Dataset,
  stats: NormalizationStats,
): Dataset {
  const size = data.frames * data.dims;
  const x = new Float32Array(data.x.length);
  for (let i = 0; i < data.n; i++) {
    const at = i * size;
    normalizeRow(
      data.x.subarray(at, at + size),
      data.lengths[i],
      stats,
      x.subarray(at, at + size),
    );
  }
  return { ...data, x };
}

/** Gathers the examples at `indices` into a `[b, frames, dims]` tensor. */
export function batchTensor(
  data: Dataset,
  indices: ArrayLike<number>,
): tf.Tensor3D {
  const size = data.frames * data.dims;
  const out = new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    out.set(data.x.subarray(j * size, (j + 1) * size), i * size);
  }
  return tf.tensor3d(out, [indices.length, data.frames, data.dims]);
}
