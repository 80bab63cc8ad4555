/**
 * Confusion matrix heatmap: colour is the row-normalised rate (recall per
 * true class), each cell is annotated with its count and rate.
 *
 * @module
 */
import type { ClassificationMetrics } from "../evaluate/metrics.ts";
import { baseLayout, type Figure } from "./figure.ts";

/** Options of {@linkcode confusionFigure}. */
export interface ConfusionOptions {
  /** Figure title (default: the accuracy and UAR). */
  title?: string;
}

/**
 * A heatmap of the confusion matrix: rows are true classes (top to bottom),
 * columns predicted classes; `z` is the row-normalised matrix (0–1, the
 * colour), `text` the counts, drawn in each cell as `count (rate %)`.
 */
export function confusionFigure(
  metrics: ClassificationMetrics,
  options: ConfusionOptions = {},
): Figure {
  const { labels, confusion, confusionNormalized } = metrics;
  const title = options.title ??
    `accuracy ${(metrics.accuracy * 100).toFixed(1)}%, UAR ${
      (metrics.uar * 100).toFixed(1)
    }%`;
  return {
    data: [{
      type: "heatmap",
      x: [...labels],
      y: [...labels],
      z: confusionNormalized.map((r) => [...r]),
      zmin: 0,
      zmax: 1,
      text: confusion.map((r) => r.map(String)),
      texttemplate: "%{text}<br>(%{z:.0%})",
      // plotly.js's "Blues" runs dark → light; reversed, more is darker.
      colorscale: "Blues",
      reversescale: true,
      colorbar: { title: { text: "row share" }, tickformat: ".0%" },
      hovertemplate:
        "true %{y}, predicted %{x}: %{text} clips (%{z:.1%} of %{y})<extra></extra>",
    }],
    layout: baseLayout(title, {
      xaxis: { title: { text: "predicted" }, type: "category", side: "bottom" },
      yaxis: {
        title: { text: "true" },
        type: "category",
        autorange: "reversed",
      },
      width: Math.max(420, 200 + 70 * labels.length),
      height: Math.max(360, 150 + 70 * labels.length),
    }),
  };
}
