/**
 * Prediction timeline of a long recording: class probabilities of each
 * sliding window stacked over time (lower panel), the top class per window
 * (upper strip), silent stretches shaded.
 *
 * @module
 */
import { EMOTIONS } from "../corpora/emotions.ts";
import {
  baseLayout,
  type Figure,
  labelColor,
  plotValues,
  shadeSpans,
  type TimeSpan,
  type Trace,
} from "./figure.ts";

/** One window of predict's timeline (its `--json` shape). */
export interface TimelineWindow extends TimeSpan {
  /** Top class of the window. */
  emotion: string;
  /** Probability of every class. */
  probabilities: Record<string, number>;
  /** True if the window was judged silent. */
  silent?: boolean;
}

/** Options of {@linkcode predictionTimelineFigure}. */
export interface TimelineOptions {
  /** Figure title. */
  title?: string;
  /** Further stretches to shade, e.g. silence found in the whole recording. */
  silences?: readonly TimeSpan[];
}

/**
 * Stacked probability areas at each window's centre (one trace per class,
 * vocabulary order), a strip of top-class markers above them, and grey
 * shading over silent windows and `silences`.
 */
export function predictionTimelineFigure(
  windows: readonly TimelineWindow[],
  options: TimelineOptions = {},
): Figure {
  if (windows.length === 0) throw new Error("timeline: no windows");
  const present = new Set(windows.flatMap((w) => Object.keys(w.probabilities)));
  const known = (EMOTIONS as readonly string[]).filter((e) => present.has(e));
  const labels = [
    ...known,
    ...[...present].filter((e) => !known.includes(e)).sort(),
  ];
  const centres = plotValues(windows.map((w) => (w.start_s + w.end_s) / 2), 7);
  const areas: Trace[] = labels.map((l, i) => ({
    type: "scatter",
    mode: "lines",
    name: l,
    legendgroup: l,
    x: centres,
    y: plotValues(windows.map((w) => w.probabilities[l] ?? 0), 4),
    stackgroup: "probabilities",
    line: { width: 0.5, color: labelColor(l, i) },
    hovertemplate: `${l}: %{y:.2f}<extra>%{x:.2f} s</extra>`,
  }));
  const colorOf = new Map(labels.map((l, i) => [l, labelColor(l, i)]));
  const top: Trace = {
    type: "scatter",
    mode: "markers",
    name: "top class",
    x: centres,
    y: windows.map((w) => w.emotion),
    yaxis: "y2",
    marker: {
      symbol: "square",
      size: 10,
      color: windows.map((w) => colorOf.get(w.emotion) ?? "#000"),
    },
    text: windows.map((w) =>
      `${w.start_s.toFixed(2)}–${w.end_s.toFixed(2)} s${
        w.silent ? " (silent)" : ""
      }`
    ),
    hovertemplate: "%{y}<br>%{text}<extra></extra>",
    showlegend: false,
  };
  const silent = [
    ...windows.filter((w) => w.silent),
    ...(options.silences ?? []),
  ];
  const spans = [...windows, ...(options.silences ?? [])];
  return {
    data: [...areas, top],
    layout: baseLayout(options.title, {
      xaxis: {
        title: { text: "time (s)" },
        range: [
          Math.min(...spans.map((w) => w.start_s)),
          Math.max(...spans.map((w) => w.end_s)),
        ],
      },
      yaxis: {
        domain: [0, 0.72],
        range: [0, 1],
        title: { text: "probability" },
      },
      yaxis2: {
        domain: [0.8, 1],
        anchor: "x",
        type: "category",
        categoryorder: "array",
        categoryarray: labels,
        title: { text: "top" },
      },
      shapes: shadeSpans(silent),
      legend: { orientation: "h", y: -0.2 },
    }),
  };
}
