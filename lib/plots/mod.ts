/**
 * Plotly figure builders (plain `{ data, layout }` objects, no DOM) and their
 * rendering in Jupyter (`displayFigure`) and HTML reports (`figureToHtml`,
 * `plotlyScriptTag`).
 *
 * @module
 */
export {
  baseLayout,
  EMOTION_COLORS,
  type Figure,
  labelColor,
  plotValues,
  shadeSpans,
  type TimeSpan,
  type Trace,
} from "./figure.ts";
export {
  type Envelope,
  minMaxEnvelope,
  waveformFigure,
  type WaveformOptions,
} from "./waveform.ts";
export { featureHeatmap, type HeatmapOptions } from "./heatmap.ts";
export {
  classDistributionFigure,
  type DistributionOptions,
  type DistributionRow,
} from "./distribution.ts";
export {
  type CurvePoint,
  type CurvesOptions,
  trainingCurvesFigure,
} from "./curves.ts";
export { confusionFigure, type ConfusionOptions } from "./confusion.ts";
export { type F1Options, type NamedMetrics, perClassF1Figure } from "./f1.ts";
export {
  predictionTimelineFigure,
  type TimelineOptions,
  type TimelineWindow,
} from "./timeline.ts";
export {
  type Displayable,
  displayFigure,
  figureToHtml,
  type HtmlOptions,
  type MimeBundle,
  PLOTLY_INLINE_ENV,
  plotlyScriptTag,
  plotlySource,
  resetPlotlyInlining,
} from "./display.ts";
export { type JupyterDisplay, show, SHOW_SETTLE_MS, showWith } from "./show.ts";
