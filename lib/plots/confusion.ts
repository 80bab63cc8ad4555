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
  /** Figure title (default: accuracy and UAR). */
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
    `confusion matrix — accuracy ${(metrics.accuracy * 100).toFixed(1)}%, UAR ${
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
      colorscale: "Blues",
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
      width: 140 + 60 * labels.length,
      height: 120 + 60 * labels.length,
    }),
  };
}
