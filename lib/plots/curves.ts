/**
 * Training curves: loss (left) and accuracy / UAR (right) per epoch, train
 * against validation, with the best validation-UAR epoch marked.
 *
 * @module
 */
import { baseLayout, type Figure, type Trace } from "./figure.ts";

/**
 * One epoch of training history (the training loop's `EpochRecord` fits);
 * absent metrics are not drawn.
 */
export interface CurvePoint {
  /** 1-based epoch number. */
  epoch: number;
  /** Training loss. */
  loss: number;
  /** Validation loss. */
  valLoss?: number;
  /** Training accuracy. */
  accuracy?: number;
  /** Validation accuracy. */
  valAccuracy?: number;
  /** Training UAR. */
  uar?: number;
  /** Validation UAR. */
  valUar?: number;
}

/** Options of {@linkcode trainingCurvesFigure}. */
export interface CurvesOptions {
  /** Figure title. */
  title?: string;
}

type Key = Exclude<keyof CurvePoint, "epoch">;

const SERIES: {
  key: Key;
  name: string;
  axis: 1 | 2;
  color: string;
  dash: string;
}[] = [
  { key: "loss", name: "train loss", axis: 1, color: "#1f77b4", dash: "solid" },
  {
    key: "valLoss",
    name: "validation loss",
    axis: 1,
    color: "#1f77b4",
    dash: "dash",
  },
  {
    key: "accuracy",
    name: "train accuracy",
    axis: 2,
    color: "#2ca02c",
    dash: "solid",
  },
  {
    key: "valAccuracy",
    name: "validation accuracy",
    axis: 2,
    color: "#2ca02c",
    dash: "dash",
  },
  { key: "uar", name: "train UAR", axis: 2, color: "#d62728", dash: "solid" },
  {
    key: "valUar",
    name: "validation UAR",
    axis: 2,
    color: "#d62728",
    dash: "dash",
  },
];

/**
 * Two panels sharing the epoch axis: losses on the left, accuracy and UAR
 * (train solid, validation dashed) on the right. The epoch with the best
 * validation UAR, where present, gets a dotted vertical line.
 */
export function trainingCurvesFigure(
  history: readonly CurvePoint[],
  options: CurvesOptions = {},
): Figure {
  if (history.length === 0) throw new Error("training curves: empty history");
  const epochs = history.map((h) => h.epoch);
  const data: Trace[] = [];
  for (const s of SERIES) {
    if (!history.some((h) => typeof h[s.key] === "number")) continue;
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: s.name,
      x: epochs,
      y: history.map((h) => h[s.key] ?? null),
      xaxis: s.axis === 1 ? "x" : "x2",
      yaxis: s.axis === 1 ? "y" : "y2",
      line: { color: s.color, dash: s.dash },
      marker: { size: 4 },
    });
  }
  const withUar = history.filter((h) => typeof h.valUar === "number");
  const shapes = withUar.length === 0 ? [] : (() => {
    const best = withUar.reduce((a, b) => b.valUar! > a.valUar! ? b : a);
    return ["x", "x2"].map((xref) => ({
      type: "line",
      xref,
      yref: "paper",
      x0: best.epoch,
      x1: best.epoch,
      y0: 0,
      y1: 1,
      line: { color: "#888", dash: "dot", width: 1 },
    }));
  })();
  return {
    data,
    layout: baseLayout(options.title, {
      xaxis: { domain: [0, 0.45], title: { text: "epoch" } },
      yaxis: { title: { text: "loss" } },
      xaxis2: { domain: [0.55, 1], title: { text: "epoch" }, anchor: "y2" },
      yaxis2: {
        anchor: "x2",
        range: [0, 1],
        title: { text: "accuracy / UAR" },
      },
      shapes,
      legend: { orientation: "h", y: -0.2 },
    }),
  };
}
