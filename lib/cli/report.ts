/**
 * `deno task report [models/<run>]` — writes `reports/<run>/index.html`, one
 * self-contained page (works offline) for a trained run, and prints its path.
 *
 * @module
 */
import { writeReport } from "../report/mod.ts";
import { createCommand, parsePositiveInt, runCli } from "./common.ts";

/** Builds the `report` command. */
export function reportCommand() {
  return createCommand(
    "report",
    "Write the self-contained HTML report of a trained run to reports/<run>/index.html",
  )
    .argument(
      "[run]",
      "model directory or cross-validation run (default: the newest model)",
    )
    .option("--reports-dir <dir>", "folder for reports (default reports/)")
    .option(
      "--gallery <n>",
      "most misclassified clips in the error gallery",
      parsePositiveInt,
      24,
    )
    .action(async (run: string | undefined, opts) => {
      const result = await writeReport({
        run,
        reportsDir: opts.reportsDir,
        galleryLimit: opts.gallery,
      });
      console.log(result.path);
    });
}

if (import.meta.main) await runCli(reportCommand(), Deno.args);
