/**
 * `reports/<run>/index.html`: one self-contained page per trained run (a
 * model directory or a cross-validation run of `fold-<i>/` models) with its
 * configuration, data summary, metrics, figures and an error gallery of
 * misclassified test clips that play in the page. plotly.js is inlined once;
 * the page loads nothing from anywhere.
 *
 * @module
 */
import * as path from "node:path";
import {
  type CrossValidationSummary,
  summarizeFolds,
} from "../evaluate/crossval.ts";
import { formatFixed } from "../evaluate/metrics.ts";
import { readModelArtifacts } from "../model/io.ts";
import { REPORTS_DIR, writeFileAtomic } from "../paths.ts";
import { plotlyScriptTag } from "../plots/mod.ts";
import { evaluatePredictor, loadPredictor } from "../predict/mod.ts";
import {
  findModelDir,
  type ModelRun,
  readHistory,
  resolveModelRun,
  runDirOf,
  testClipsOf,
} from "../run/mod.ts";
import type { ProgressOptions } from "../progress.ts";
import {
  buildGallery,
  GALLERY_LIMIT,
  type GalleryClip,
  galleryHtml,
} from "./gallery.ts";
import { escapeHtml, page, section } from "./html.ts";
import {
  cardMetrics,
  configHtml,
  dataHtml,
  figuresHtml,
  metricsHtml,
  type ReportModel,
} from "./sections.ts";

/** Options of {@linkcode writeReport}. */
export interface WriteReportOptions {
  /** Model directory or cross-validation run (default: the newest model's run). */
  run?: string;
  /** Folder of reports (default `reports/`); the page goes to `<reportsDir>/<run>/index.html`. */
  reportsDir?: string;
  /** Most clips in the error gallery (default 24). */
  galleryLimit?: number;
  /** Progress display for re-predicting the test clips. */
  progress?: ProgressOptions["mode"];
  /** Log lines (default: stderr). */
  log?: (line: string) => void;
}

/** What {@linkcode writeReport} wrote. */
export interface ReportResult {
  /** Path of `index.html`. */
  path: string;
  /** The page. */
  html: string;
  /** Clips in the error gallery. */
  galleryClips: number;
  /** Why there is no gallery, when there is none. */
  galleryUnavailable: string | null;
}

/** The run to report on: `dir`, or the newest model's run (a fold's parent). */
export function reportRunDir(dir?: string): string {
  return dir ?? runDirOf(findModelDir().dir);
}

/** Loads the run's models (checking each is complete) and their histories. */
export function reportModels(run: ModelRun): ReportModel[] {
  return run.models.map(({ dir, card }) => {
    readModelArtifacts(dir);
    return { dir, card, history: readHistory(dir) };
  });
}

/**
 * Re-predicts each model's test clips (see `testClipsOf`) and returns the
 * misclassified ones with embedded audio, plus a note comparing the
 * re-predicted accuracy with the card's.
 */
async function gallery(
  models: readonly ReportModel[],
  options: WriteReportOptions,
): Promise<{ clips: GalleryClip[]; note: string }> {
  const all = [];
  const notes: string[] = [];
  for (const m of models) {
    const items = testClipsOf(m.card);
    const predictor = await loadPredictor(m.dir);
    try {
      const result = await evaluatePredictor(predictor, items, {
        progress: options.progress,
      });
      all.push(...result.clips.map((c) => ({ ...c, model: m.dir })));
      const saved = m.card.metrics.test
        ? ` (card, on training's fixed-length features: ${
          formatFixed(cardMetrics(m.card.metrics.test).accuracy, 3)
        })`
        : "";
      notes.push(
        `${
          path.basename(m.dir)
        }: ${result.clips.length} test clips re-predicted, accuracy ${
          formatFixed(result.metrics.accuracy, 3)
        }${saved}, ${
          result.clips.filter((c) => c.predicted !== c.trueLabel).length
        } misclassified` +
          (result.errors.length > 0
            ? `, ${result.errors.length} could not be read`
            : ""),
      );
    } finally {
      predictor.dispose();
    }
  }
  const limit = options.galleryLimit ?? GALLERY_LIMIT;
  const clips = await buildGallery(all, { limit });
  return {
    clips,
    note: `${
      notes.join("; ")
    }. Clips are re-predicted as \`deno task predict\` does (clips longer than the model window are scored over sliding windows), so the accuracy can differ slightly from the card's. Showing the ${clips.length} most confidently wrong (at most ${limit}).`,
  };
}

/**
 * Builds the report of the run `options.run` (default: the newest model) and
 * writes it atomically to `<reportsDir>/<run name>/index.html`. Errors: no
 * model, a model directory without weights or card. When the test clips
 * cannot be re-predicted (corpus not on this machine, …) the report still
 * renders and says why the gallery is unavailable.
 */
export async function writeReport(
  options: WriteReportOptions = {},
): Promise<ReportResult> {
  const log = options.log ?? ((s: string) => console.error(s));
  const run = resolveModelRun(reportRunDir(options.run));
  const models = reportModels(run);
  const card = models[0].card;
  const name = path.basename(run.dir);

  let summary: CrossValidationSummary | null = null;
  if (run.folds && models.every((m) => m.card.metrics.test)) {
    summary = summarizeFolds(models.map((m) => ({
      name: `${path.basename(m.dir)} (${
        m.card.split.speakers.test.join(", ")
      })`,
      metrics: cardMetrics(m.card.metrics.test!),
    })));
  }

  let galleryBody: string;
  let galleryClips = 0;
  let galleryUnavailable: string | null = null;
  try {
    const g = await gallery(models, options);
    galleryClips = g.clips.length;
    galleryBody = `<p>${escapeHtml(g.note)}</p>\n${galleryHtml(g.clips)}`;
  } catch (err) {
    galleryUnavailable = (err as Error).message;
    log(`report: error gallery unavailable: ${galleryUnavailable}`);
    galleryBody = `<p class="banner note">Error gallery unavailable: ${
      escapeHtml(galleryUnavailable)
    }</p>`;
  }

  const headline = summary
    ? `UAR ${formatFixed(summary.stats.uar.mean, 3)} ± ${
      formatFixed(summary.stats.uar.std, 3)
    } over ${models.length} folds`
    : card.metrics.test
    ? `test UAR ${
      formatFixed(cardMetrics(card.metrics.test).uar, 3)
    }, accuracy ${formatFixed(cardMetrics(card.metrics.test).accuracy, 3)}`
    : "no test metrics";
  const leaky = models.some((m) => m.card.split.leaky)
    ? `<p class="banner leaky">This run used a random (speaker-dependent) split: its test scores are inflated by speaker leakage.</p>`
    : "";
  const body = [
    leaky,
    section("config", "Configuration", configHtml(card)),
    section("data", "Data", dataHtml(models)),
    section("metrics", "Metrics", metricsHtml(models, summary)),
    section("figures", "Figures", figuresHtml(models, summary)),
    section("gallery", "Error gallery (misclassified test clips)", galleryBody),
  ].join("\n");
  const html = page({
    title: `Speech emotion recognition — ${name}`,
    subtitle: `${headline} · ${card.labels.length} classes (${
      card.labels.join(", ")
    }) · ${models[0].card.split.kind} split · ${run.dir}`,
    nav: [
      ["config", "configuration"],
      ["data", "data"],
      ["metrics", "metrics"],
      ["figures", "figures"],
      ["gallery", "error gallery"],
    ],
    head: plotlyScriptTag(),
    body,
  });
  const file = path.join(options.reportsDir ?? REPORTS_DIR, name, "index.html");
  writeFileAtomic(file, html);
  return { path: file, html, galleryClips, galleryUnavailable };
}
