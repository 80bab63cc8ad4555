/**
 * Waveform figure, with silent stretches shaded and long signals reduced to
 * a min/max envelope so that notebooks and reports stay light.
 *
 * @module
 */
import {
  baseLayout,
  type Figure,
  plotValues,
  shadeSpans,
  type TimeSpan,
} from "./figure.ts";

/** Options of {@linkcode waveformFigure}. */
export interface WaveformOptions {
  /** Sample rate in Hz. */
  sr: number;
  /** Figure title. */
  title?: string;
  /** Most points drawn (default 4,000); longer signals become an envelope. */
  maxPoints?: number;
  /** Stretches to shade, e.g. silence found by trimming or the predictor. */
  silences?: readonly TimeSpan[];
}

/** Sample indices and values kept by {@linkcode minMaxEnvelope}. */
export interface Envelope {
  /** Indices into the signal, increasing. */
  index: number[];
  /** The samples at those indices. */
  value: number[];
}

/**
 * Reduces `samples` to at most `maxPoints` points: the signal is cut into
 * `maxPoints / 2` equal buckets and each contributes its minimum and its
 * maximum, in time order. Every bucket's extremes survive, so peaks and the
 * global minimum and maximum are kept. Signals that already fit are returned
 * whole.
 */
export function minMaxEnvelope(
  samples: ArrayLike<number>,
  maxPoints: number,
): Envelope {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new Error(
      `waveform: maxPoints must be an integer ≥ 2, got ${maxPoints}`,
    );
  }
  const n = samples.length;
  const index: number[] = [];
  const value: number[] = [];
  if (n <= maxPoints) {
    for (let i = 0; i < n; i++) {
      index.push(i);
      value.push(samples[i]);
    }
    return { index, value };
  }
  const buckets = Math.floor(maxPoints / 2);
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      if (samples[i] < samples[lo]) lo = i;
      if (samples[i] > samples[hi]) hi = i;
    }
    const first = Math.min(lo, hi);
    const second = Math.max(lo, hi);
    index.push(first);
    value.push(samples[first]);
    if (second !== first) {
      index.push(second);
      value.push(samples[second]);
    }
  }
  return { index, value };
}

/**
 * A line plot of `samples` against time in seconds, reduced to at most
 * `maxPoints` points, with `silences` shaded grey.
 */
export function waveformFigure(
  samples: Float32Array,
  options: WaveformOptions,
): Figure {
  if (!(options.sr > 0)) {
    throw new Error(`waveform: sr must be positive, got ${options.sr}`);
  }
  const env = minMaxEnvelope(samples, options.maxPoints ?? 4000);
  return {
    data: [{
      type: "scatter",
      mode: "lines",
      name: "waveform",
      x: plotValues(env.index.map((i) => i / options.sr), 7),
      y: plotValues(env.value),
      line: { width: 1, color: "#1f77b4" },
      hovertemplate: "%{x:.3f} s<br>%{y:.3f}<extra></extra>",
    }],
    layout: baseLayout(options.title, {
      xaxis: {
        title: { text: "time (s)" },
        range: [0, samples.length / options.sr],
      },
      yaxis: { title: { text: "amplitude" }, range: [-1, 1] },
      shapes: shadeSpans(options.silences ?? []),
      showlegend: false,
    }),
  };
}
