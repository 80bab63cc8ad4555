/**
 * Heatmap of a time-major feature matrix (spectrogram, mel spectrogram,
 * MFCC): time on the x axis, feature dimension on the y axis.
 *
 * @module
 */
import type { FeatureMatrix } from "../features/config.ts";
import { baseLayout, type Figure, plotValues } from "./figure.ts";

/** Options of {@linkcode featureHeatmap}. */
export interface HeatmapOptions {
  /** Sample rate in Hz; with `hopLength`, the x axis is in seconds. */
  sr?: number;
  /** Hop between frames in samples; with `sr`, the x axis is in seconds. */
  hopLength?: number;
  /** Figure title. */
  title?: string;
  /** Y axis title (default `"coefficient"`), e.g. `"mel band"` or `"MFCC"`. */
  yTitle?: string;
  /** Colour bar title, e.g. `"dB"`. */
  colorbarTitle?: string;
  /** Plotly colour scale name (default `"Viridis"`). */
  colorscale?: string;
}

/**
 * A heatmap of `matrix` (frames × dims, row-major): `z` has one row per
 * feature dimension and one column per frame (Plotly's `z[y][x]`).
 */
export function featureHeatmap(
  matrix: FeatureMatrix,
  options: HeatmapOptions = {},
): Figure {
  const { data, frames, dims } = matrix;
  if (data.length !== frames * dims) {
    throw new Error(
      `heatmap: matrix holds ${data.length} values, not frames × dims = ${frames} × ${dims}`,
    );
  }
  const inSeconds = options.sr !== undefined &&
    options.hopLength !== undefined;
  const x = Array.from(
    { length: frames },
    (_, t) => inSeconds ? (t * options.hopLength!) / options.sr! : t,
  );
  const z = Array.from({ length: dims }, (_, d) => {
    const row = new Float32Array(frames);
    for (let t = 0; t < frames; t++) row[t] = data[t * dims + d];
    return plotValues(row);
  });
  return {
    data: [{
      type: "heatmap",
      x: plotValues(x, 7),
      y: Array.from({ length: dims }, (_, d) => d),
      z,
      colorscale: options.colorscale ?? "Viridis",
      colorbar: options.colorbarTitle === undefined
        ? {}
        : { title: { text: options.colorbarTitle } },
      hovertemplate: `%{x}${
        inSeconds ? " s" : ""
      }, %{y}: %{z:.3g}<extra></extra>`,
    }],
    layout: baseLayout(options.title, {
      xaxis: { title: { text: inSeconds ? "time (s)" : "frame" } },
      yaxis: { title: { text: options.yTitle ?? "coefficient" } },
    }),
  };
}
