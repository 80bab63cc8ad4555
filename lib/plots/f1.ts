/**
 * Per-class F1 bars, for one run or several side by side (e.g. random split
 * against speaker split), with each run's macro-F1 as a dashed line.
 *
 * @module
 */
import type { ClassificationMetrics } from "../evaluate/metrics.ts";
import { baseLayout, type Figure, labelColor } from "./figure.ts";

/** A run's metrics with a name for the legend. */
export interface NamedMetrics {
  /** Legend name, e.g. `"speaker split"`. */
  name: string;
  /** The run's metrics. */
  metrics: ClassificationMetrics;
}

/** Options of {@linkcode perClassF1Figure}. */
export interface F1Options {
  /** Figure title (default `"F1 per class"`). */
  title?: string;
}

const RUN_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"];

/**
 * Grouped bars of per-class F1 (classes in the first run's order, classes a
 * run lacks left empty), with dashed horizontal lines at each run's
 * macro-F1. A single run's bars take the emotion colours.
 */
export function perClassF1Figure(
  runs: ClassificationMetrics | readonly NamedMetrics[],
  options: F1Options = {},
): Figure {
  const list: readonly NamedMetrics[] = "labels" in runs
    ? [{ name: "F1", metrics: runs }]
    : runs;
  if (list.length === 0) throw new Error("per-class F1: no runs");
  const labels = [...list[0].metrics.labels];
  for (const r of list.slice(1)) {
    for (const l of r.metrics.labels) if (!labels.includes(l)) labels.push(l);
  }
  const single = list.length === 1;
  const data = list.map((r, k) => {
    const f1 = labels.map((l) => {
      const i = r.metrics.labels.indexOf(l);
      return i < 0 ? null : r.metrics.perClass[i].f1;
    });
    return {
      type: "bar",
      name: r.name,
      x: labels,
      y: f1,
      text: f1.map((v) => v === null ? "" : v.toFixed(2)),
      textposition: "outside",
      marker: {
        color: single
          ? labels.map((l, i) => labelColor(l, i))
          : RUN_COLORS[k % RUN_COLORS.length],
      },
    };
  });
  const shapes = list.map((r, k) => ({
    type: "line",
    xref: "paper",
    yref: "y",
    x0: 0,
    x1: 1,
    y0: r.metrics.macroAvg.f1,
    y1: r.metrics.macroAvg.f1,
    line: {
      dash: "dash",
      width: 1,
      color: single ? "#444" : RUN_COLORS[k % RUN_COLORS.length],
    },
  }));
  const annotations = list.map((r) => ({
    xref: "paper",
    yref: "y",
    x: 1,
    y: r.metrics.macroAvg.f1,
    xanchor: "right",
    yanchor: "bottom",
    showarrow: false,
    text: `${single ? "" : `${r.name} `}macro-F1 ${
      r.metrics.macroAvg.f1.toFixed(3)
    }`,
  }));
  return {
    data,
    layout: baseLayout(options.title ?? "F1 per class", {
      barmode: "group",
      xaxis: { type: "category" },
      yaxis: { title: { text: "F1" }, range: [0, 1.1] },
      shapes,
      annotations,
      showlegend: !single,
    }),
  };
}
