/**
 * `deno task notebooks [--fast] [--only 03] [--corpus <dir>] [--out <dir>]`:
 * executes the teaching notebooks in order and writes each executed copy and
 * its HTML export to `reports/notebooks/` (see lib/report/notebooks.ts).
 *
 * @module
 */
import * as path from "node:path";
import { NOTEBOOK_REPORTS_DIR, runNotebooks } from "../report/notebooks.ts";
import { createCommand, parseList, runCli } from "./common.ts";

/** Builds the `notebooks` command. */
export function notebooksCommand() {
  return createCommand(
    "notebooks",
    "Execute the teaching notebooks in order (Jupyter nbconvert, Deno kernel); executed copies and HTML go to reports/notebooks/",
  )
    .option("--fast", "fast mode: tiny model, few epochs (CI, class demos)")
    .option(
      "--only <prefixes>",
      "only these notebooks, by number or name prefix (e.g. 03 or 01,04)",
      parseList,
    )
    .option(
      "--corpus <dir>",
      "corpus folder (default: real corpora in data/, else the synthetic demo corpus)",
    )
    .option(
      "--out <dir>",
      "output folder",
      path.relative(Deno.cwd(), NOTEBOOK_REPORTS_DIR),
    )
    .action(async (opts) => {
      const results = await runNotebooks({
        mode: opts.fast ? "fast" : "full",
        only: opts.only,
        corpus: opts.corpus,
        outDir: path.resolve(opts.out),
      });
      for (const r of results) console.log(r.html);
    });
}

if (import.meta.main) await runCli(notebooksCommand(), Deno.args);
