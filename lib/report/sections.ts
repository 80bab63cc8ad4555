/**
 * The report's sections as HTML: headline, configuration, data summary,
 * metrics tables (scikit-learn's classification report as a table, the
 * cross-validation summary), and the figures (confusion matrix, per-class
 * F1, training curves).
 *
 * @module
 */
import * as path from "node:path";
import type { CrossValidationSummary } from "../evaluate/crossval.ts";
import { SUMMARY_METRICS } from "../evaluate/crossval.ts";
import {
  type ClassificationMetrics,
  formatFixed,
  metricsFromConfusion,
} from "../evaluate/metrics.ts";
import type { CardMetrics, ModelCard } from "../run/mod.ts";
import {
  confusionFigure,
  type CurvePoint,
  figureToHtml,
  perClassF1Figure,
  trainingCurvesFigure,
} from "../plots/mod.ts";
import { escapeHtml, htmlTable, keyValueTable } from "./html.ts";

/** One model of the report: its directory, card and training history. */
export interface ReportModel {
  /** Model directory. */
  dir: string;
  /** Its card. */
  card: ModelCard;
  /** `history.json` beside it, if present. */
  history: CurvePoint[] | null;
}

const f3 = (x: number) => formatFixed(x, 3);

/** Metrics saved in a card, rebuilt from their confusion matrix. */
export function cardMetrics(m: CardMetrics): ClassificationMetrics {
  return metricsFromConfusion(m.confusion.labels, m.confusion.matrix);
}

/** scikit-learn's classification report (plus UAR) as an HTML table. */
export function classificationTable(
  m: ClassificationMetrics,
  caption: string,
): string {
  const row = (
    name: string,
    s: { precision: number; recall: number; f1: number; support: number },
  ) => [name, f3(s.precision), f3(s.recall), f3(s.f1), s.support];
  const rows = [
    ...m.labels.map((l, i) => row(l, m.perClass[i])),
    ["accuracy", "", "", f3(m.accuracy), m.total],
    ["UAR (balanced accuracy)", "", f3(m.uar), "", m.total],
    row("macro avg", m.macroAvg),
    row("weighted avg", m.weightedAvg),
  ];
  return htmlTable(["", "precision", "recall", "f1-score", "support"], rows, {
    className: "metrics",
    caption,
    numeric: true,
  });
}

/** Mean ± std per fold as an HTML table. */
export function crossValidationTable(summary: CrossValidationSummary): string {
  const titles = {
    accuracy: "accuracy",
    uar: "UAR",
    macroF1: "macro-F1",
    weightedF1: "weighted-F1",
  };
  const rows = summary.foldNames.map((name, i) => [
    name,
    ...SUMMARY_METRICS.map((m) => f3(summary.stats[m].values[i])),
  ]);
  rows.push([
    "mean ± std",
    ...SUMMARY_METRICS.map((m) => {
      const s = summary.stats[m];
      return `${f3(s.mean)} ± ${Number.isNaN(s.std) ? "n/a" : f3(s.std)}`;
    }),
  ]);
  return htmlTable(["fold", ...SUMMARY_METRICS.map((m) => titles[m])], rows, {
    className: "metrics",
    caption:
      "held-out test metrics per fold (leave-speakers-out cross-validation)",
    numeric: true,
  });
}

/** The configuration section's body: features, model, training, versions. */
export function configHtml(card: ModelCard): string {
  const { augment, ...training } = card.trainConfig;
  const augmentation = keyValueTable(
    { ...augment },
    "augmentation (training fold only)",
  );
  return `<div class="tables">${
    [
      keyValueTable({
        ...card.featureConfig,
        featureConfigHash: card.featureConfigHash,
      }, "features"),
      keyValueTable({ ...card.modelConfig }, "model"),
      keyValueTable({ ...training }, "training"),
      augmentation,
      keyValueTable({
        epochs: card.training.epochs,
        "kept epoch": card.training.bestEpoch,
        "stop reason": card.training.stopReason,
        "wall time (s)": card.training.seconds.toFixed(1),
        "saved at": card.createdAt,
      }, "training outcome"),
      keyValueTable({ ...card.versions }, "versions"),
    ].join("\n")
  }</div>`;
}

/** The data section's body: corpora, then each model's split. */
export function dataHtml(models: readonly ReportModel[]): string {
  const card = models[0].card;
  const corpora = htmlTable(
    ["corpus", "clips"],
    Object.entries(card.data.corpora).map(([c, n]) => [c, n]),
    { caption: "corpora" },
  );
  const dirs =
    `<p>folders: ${
      card.data.dirs.map((d) => `<code>${escapeHtml(d)}</code>`).join(", ") ||
      "none recorded"
    }` +
    (Object.keys(card.data.labelOptions ?? {}).length > 0
      ? `; label options <code>${
        escapeHtml(JSON.stringify(card.data.labelOptions))
      }</code>`
      : "") +
    `</p>`;
  const synthetic = card.data.synthetic
    ? `<p class="banner synthetic">SYNTHETIC data: these clips are the generated demo corpus, not recorded speech; the numbers say nothing about real emotional speech.</p>`
    : "";
  const splits = models.map((m) => {
    const s = m.card.split;
    const banner = s.leaky
      ? `<p class="banner leaky">LEAKY split (${
        escapeHtml(s.kind)
      }, speaker-dependent): the same speakers appear in training and test, so the test scores are inflated and do not measure generalisation to new voices.</p>`
      : "";
    const parts = (["train", "validation", "test"] as const).map((p) => [
      p,
      s.counts[p],
      s.speakers[p].length,
      s.speakers[p].join(", "),
    ]);
    return `${banner}${
      htmlTable(["part", "examples", "speakers", "speaker ids"], parts, {
        caption: `${
          models.length > 1 ? `${path.basename(m.dir)}: ` : ""
        }${s.description}`,
      })
    }`;
  }).join("\n");
  return synthetic + dirs + corpora + splits;
}

/** The metrics section's body: one classification table per model and part. */
export function metricsHtml(
  models: readonly ReportModel[],
  summary: CrossValidationSummary | null,
): string {
  const parts: string[] = [];
  if (summary) parts.push(crossValidationTable(summary));
  for (const m of models) {
    const name = models.length > 1 ? `${path.basename(m.dir)} — ` : "";
    const leaky = m.card.split.leaky
      ? " (LEAKY random split)"
      : " (held-out speakers)";
    for (const part of ["validation", "test"] as const) {
      const saved = m.card.metrics[part];
      if (!saved) continue;
      parts.push(
        classificationTable(
          cardMetrics(saved),
          `${name}${part}${part === "test" ? leaky : ""}: ${
            m.card.split.speakers[part].join(", ")
          }`,
        ),
      );
    }
  }
  if (parts.length === 0) {
    return `<p class="banner note">No metrics recorded in the card (training did not finish).</p>`;
  }
  return parts.join("\n");
}

/** The figures: confusion matrix, per-class F1, and training curves. */
export function figuresHtml(
  models: readonly ReportModel[],
  summary: CrossValidationSummary | null,
): string {
  const out: string[] = [];
  const tests = models
    .filter((m) => m.card.metrics.test)
    .map((m) => ({
      name: path.basename(m.dir),
      metrics: cardMetrics(m.card.metrics.test!),
    }));
  const overall = summary?.pooled ?? tests[0]?.metrics;
  if (overall) {
    out.push(
      `<h3>Confusion matrix (test${summary ? ", pooled over folds" : ""})</h3>`,
    );
    out.push(figureToHtml(confusionFigure(overall), { id: "fig-confusion" }));
    out.push(`<h3>F1 per class (test)</h3>`);
    out.push(
      figureToHtml(perClassF1Figure(tests.length > 1 ? tests : overall), {
        id: "fig-f1",
        height: "380px",
      }),
    );
  }
  models.forEach((m, i) => {
    if (!m.history || m.history.length === 0) return;
    out.push(
      `<h3>Training curves${
        models.length > 1 ? ` — ${escapeHtml(path.basename(m.dir))}` : ""
      }</h3>`,
    );
    out.push(
      figureToHtml(trainingCurvesFigure(m.history), {
        id: `fig-curves-${i + 1}`,
        height: "380px",
      }),
    );
  });
  if (out.length === 0) {
    return `<p class="banner note">Nothing to plot: no metrics and no history.json.</p>`;
  }
  return out.join("\n");
}
