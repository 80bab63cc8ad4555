/**
 * Class distribution: stacked bars of clip counts per emotion, by corpus or
 * by speaker (rows as in the corpus manifest).
 *
 * @module
 */
import { EMOTIONS } from "../corpora/emotions.ts";
import { baseLayout, type Figure, labelColor } from "./figure.ts";

/** One clip, as a manifest row (`df.toRecords()` of the scan manifest). */
export interface DistributionRow {
  /** The clip's emotion. */
  emotion: string;
  /** Corpus name. */
  corpus: string;
  /** Speaker id. */
  speaker: string;
}

/** Options of {@linkcode classDistributionFigure}. */
export interface DistributionOptions {
  /** Group bars by corpus or by speaker. */
  by: "corpus" | "speaker";
  /** Figure title. */
  title?: string;
}

/**
 * Stacked bars: one bar per corpus (or speaker), one segment per emotion
 * (vocabulary order; other labels after, sorted), heights = clip counts.
 */
export function classDistributionFigure(
  rows: readonly DistributionRow[],
  options: DistributionOptions,
): Figure {
  const groups = [...new Set(rows.map((r) => r[options.by]))].sort();
  const present = new Set(rows.map((r) => r.emotion));
  const known = (EMOTIONS as readonly string[]).filter((e) => present.has(e));
  const others = [...present].filter((e) => !known.includes(e)).sort();
  const emotions = [...known, ...others];
  const counts = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.emotion}\u0000${r[options.by]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return {
    data: emotions.map((e, i) => ({
      type: "bar",
      name: e,
      x: groups,
      y: groups.map((g) => counts.get(`${e}\u0000${g}`) ?? 0),
      marker: { color: labelColor(e, i) },
      hovertemplate: `${e}: %{y} clips<extra>%{x}</extra>`,
    })),
    layout: baseLayout(options.title, {
      barmode: "stack",
      xaxis: { title: { text: options.by }, type: "category" },
      yaxis: { title: { text: "clips" } },
    }),
  };
}
