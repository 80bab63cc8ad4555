/**
 * The self-contained HTML report of a trained run (`deno task report`):
 * configuration, data summary, metrics, plotly figures (plotly.js inlined
 * once) and a playable error gallery of misclassified test clips.
 *
 * @module
 */
export {
  reportModels,
  type ReportResult,
  reportRunDir,
  writeReport,
  type WriteReportOptions,
} from "./build.ts";
export {
  audioDataUri,
  buildGallery,
  GALLERY_LIMIT,
  GALLERY_SR,
  type GalleryClip,
  galleryHtml,
  type GalleryOptions,
} from "./gallery.ts";
export {
  type Cell,
  escapeHtml,
  htmlTable,
  keyValueTable,
  page,
  section,
  type TableHtmlOptions,
} from "./html.ts";
export {
  cardMetrics,
  classificationTable,
  configHtml,
  crossValidationTable,
  dataHtml,
  figuresHtml,
  metricsHtml,
  type ReportModel,
} from "./sections.ts";
