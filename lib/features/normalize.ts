/**
 * Mean/variance normalisation of time-major feature matrices: per utterance
 * (each clip by its own statistics, in extraction) and per group of clips
 * (speaker-level normalisation: each speaker's clips by that speaker's
 * statistics over all of them).
 *
 * @module
 */

/**
 * Subtracts each dimension's mean over frames and divides by its standard
 * deviation (population, floored at `eps`, default 1e-8), in place.
 */
export function normalizeUtterance(
  data: Float64Array,
  frames: number,
  dims: number,
  eps = 1e-8,
): void {
  if (frames === 0) return;
  const mean = new Float64Array(dims);
  const sq = new Float64Array(dims);
  for (let t = 0; t < frames; t++) {
    const o = t * dims;
    for (let d = 0; d < dims; d++) mean[d] += data[o + d];
  }
  for (let d = 0; d < dims; d++) mean[d] /= frames;
  for (let t = 0; t < frames; t++) {
    const o = t * dims;
    for (let d = 0; d < dims; d++) {
      const x = data[o + d] - mean[d];
      sq[d] += x * x;
    }
  }
  for (let d = 0; d < dims; d++) {
    sq[d] = 1 / Math.max(eps, Math.sqrt(sq[d] / frames));
  }
  for (let t = 0; t < frames; t++) {
    const o = t * dims;
    for (let d = 0; d < dims; d++) {
      data[o + d] = (data[o + d] - mean[d]) * sq[d];
    }
  }
}

/** Per-dimension mean and standard deviation of a group of clips' frames. */
export interface FrameStats {
  /** Mean of each dimension. */
  mean: Float64Array;
  /** Standard deviation of each dimension (population, floored at 1e-8). */
  std: Float64Array;
}

/** A feature matrix, with the number of its real (unpadded) frames if padded. */
export interface FramesLike {
  /** Row-major `frames × dims` values. */
  data: ArrayLike<number>;
  /** Rows. */
  frames: number;
  /** Columns. */
  dims: number;
  /** Real frames (the rest is padding, ignored); default `frames`. */
  length?: number;
}

/** Adds clips one at a time; {@linkcode FrameStatsAccumulator.result} is their {@linkcode frameStats}. */
export interface FrameStatsAccumulator {
  /** Adds one clip's real frames. Throws on a clip of other dims. */
  add(m: FramesLike): void;
  /** Mean and standard deviation of everything added. Throws if nothing was. */
  result(): FrameStats;
}

/**
 * An accumulator of {@linkcode frameStats} over clips added one at a time
 * (clips streamed from disk); the same sums in the same order, so the same
 * numbers as `frameStats` of the same clips.
 */
export function frameStatsAccumulator(dims: number): FrameStatsAccumulator {
  const sum = new Float64Array(dims);
  const sq = new Float64Array(dims);
  let n = 0;
  let clips = 0;
  return {
    add(m) {
      if (m.dims !== dims) {
        throw new Error(`frameStats: clips of ${m.dims} and ${dims} dims`);
      }
      const len = Math.min(m.length ?? m.frames, m.frames);
      for (let t = 0; t < len; t++) {
        for (let d = 0; d < dims; d++) {
          const v = m.data[t * dims + d];
          sum[d] += v;
          sq[d] += v * v;
        }
      }
      n += len;
      clips++;
    },
    result() {
      if (clips === 0) throw new Error("frameStats: no clips");
      const mean = new Float64Array(dims);
      const std = new Float64Array(dims);
      for (let d = 0; d < dims; d++) {
        mean[d] = sum[d] / Math.max(n, 1);
        std[d] = Math.max(
          1e-8,
          Math.sqrt(Math.max(sq[d] / Math.max(n, 1) - mean[d] ** 2, 0)),
        );
      }
      return { mean, std };
    },
  };
}

/**
 * Mean and standard deviation of every dimension over all real frames of
 * `matrices` — one speaker's clips for speaker-level normalisation (the
 * statistics need no labels). Throws on an empty group or mixed dims.
 */
export function frameStats(matrices: readonly FramesLike[]): FrameStats {
  if (matrices.length === 0) throw new Error("frameStats: no clips");
  const acc = frameStatsAccumulator(matrices[0].dims);
  for (const m of matrices) acc.add(m);
  return acc.result();
}

/**
 * `m`'s data standardised by `stats` (new array): `(x − mean) / std` on the
 * real frames; padding frames stay exactly zero.
 */
export function standardize<M extends FramesLike>(
  m: M,
  stats: FrameStats,
): Float32Array {
  if (stats.mean.length !== m.dims) {
    throw new Error(
      `standardize: statistics of ${stats.mean.length} dims for a clip of ${m.dims}`,
    );
  }
  const out = new Float32Array(m.frames * m.dims);
  const len = Math.min(m.length ?? m.frames, m.frames);
  for (let t = 0; t < len; t++) {
    const o = t * m.dims;
    for (let d = 0; d < m.dims; d++) {
      out[o + d] = (m.data[o + d] - stats.mean[d]) / stats.std[d];
    }
  }
  return out;
}

/**
 * Speaker-level normalisation of a set of clips: each group (e.g. one
 * speaker's clips; `groupOf(i)` names clip `i`'s group) standardised by the
 * statistics of that group alone — never by another group's.
 */
export function normalizeGroups<M extends FramesLike & { data: Float32Array }>(
  clips: readonly M[],
  groupOf: (index: number) => string,
): M[] {
  const groups = new Map<string, number[]>();
  clips.forEach((_, i) => {
    const g = groupOf(i);
    const members = groups.get(g);
    if (members) members.push(i);
    else groups.set(g, [i]);
  });
  const out = clips.slice();
  for (const indices of groups.values()) {
    const stats = frameStats(indices.map((i) => clips[i]));
    for (const i of indices) {
      out[i] = { ...clips[i], data: standardize(clips[i], stats) };
    }
  }
  return out;
}

/**
 * A typical speaker's statistics: the element-wise mean of several
 * speakers' means and of their standard deviations. A speaker-normalised
 * model saves its training speakers' as the fall-back for a recording whose
 * speaker's other recordings are not at hand.
 */
export function typicalStats(stats: readonly FrameStats[]): FrameStats {
  if (stats.length === 0) throw new Error("typicalStats: no statistics");
  const dims = stats[0].mean.length;
  const mean = new Float64Array(dims);
  const std = new Float64Array(dims);
  for (const s of stats) {
    if (s.mean.length !== dims || s.std.length !== dims) {
      throw new Error(
        `typicalStats: statistics of ${s.mean.length} and ${dims} dims`,
      );
    }
    for (let d = 0; d < dims; d++) {
      mean[d] += s.mean[d] / stats.length;
      std[d] += s.std[d] / stats.length;
    }
  }
  return { mean, std };
}
