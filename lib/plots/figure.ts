/**
 * The plain Plotly figure type every builder returns, the emotion colours all
 * figures share, and small helpers for building traces.
 *
 * Figures are plain JSON-able objects (`{ data, layout }`): no DOM, no plotly
 * at build time. They render through `displayFigure` (Jupyter) or
 * `figureToHtml` (HTML reports).
 *
 * @module
 */

/** One Plotly trace (`{ type, x, y, … }`), as plain JSON. */
export type Trace = Record<string, unknown>;

/** A Plotly figure: traces and layout, as plain JSON. */
export interface Figure {
  /** The traces. */
  data: Trace[];
  /** The layout (title, axes, shapes, annotations, …). */
  layout: Record<string, unknown>;
}

/** A span of time in seconds (the `start_s` / `end_s` of predict's JSON). */
export interface TimeSpan {
  /** Start in seconds. */
  start_s: number;
  /** End in seconds. */
  end_s: number;
}

/** Colours of the shared emotion vocabulary, the same in every figure. */
export const EMOTION_COLORS: Readonly<Record<string, string>> = {
  neutral: "#7f7f7f",
  calm: "#17becf",
  happy: "#e6b800",
  sad: "#1f77b4",
  angry: "#d62728",
  fearful: "#9467bd",
  disgust: "#2ca02c",
  surprised: "#ff7f0e",
  boredom: "#8c564b",
};

const FALLBACK_COLORS = [
  "#636efa",
  "#ef553b",
  "#00cc96",
  "#ab63fa",
  "#ffa15a",
  "#19d3f3",
  "#ff6692",
  "#b6e880",
];

/**
 * The colour of a class label: the emotion's fixed colour, otherwise a
 * palette colour chosen by the label's position `index`.
 */
export function labelColor(label: string, index: number): string {
  return EMOTION_COLORS[label] ??
    FALLBACK_COLORS[index % FALLBACK_COLORS.length];
}

/**
 * Plain numbers for plotting, rounded to `significant` digits (default 5) so
 * the JSON stays small; non-finite values become null (a gap in Plotly).
 */
export function plotValues(
  values: ArrayLike<number>,
  significant = 5,
): (number | null)[] {
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = Number.isFinite(v) ? Number(v.toPrecision(significant)) : null;
  }
  return out;
}

/** A layout with the project's defaults (title, margins). */
export function baseLayout(
  title: string | undefined,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    ...(title === undefined ? {} : { title: { text: title } }),
    margin: { l: 60, r: 20, t: title === undefined ? 20 : 50, b: 50 },
    ...extra,
  };
}

/**
 * Grey rectangles spanning the plot's full height over each time span (for
 * silent stretches), for `layout.shapes`.
 */
export function shadeSpans(
  spans: readonly TimeSpan[],
  xref = "x",
): Record<string, unknown>[] {
  return spans.map((s) => ({
    type: "rect",
    xref,
    yref: "paper",
    x0: s.start_s,
    x1: s.end_s,
    y0: 0,
    y1: 1,
    fillcolor: "rgba(128,128,128,0.2)",
    line: { width: 0 },
    layer: "below",
  }));
}
