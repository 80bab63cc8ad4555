/**
 * Runs `deno task predict` (lib/cli/predict.ts) as a subprocess for tests.
 *
 * @module
 */
import { type CliRun, runCliScript } from "../cli.ts";

export type { CliRun };

/** Runs the predict CLI with `args` from the repository root. */
export function runPredictCli(args: string[]): Promise<CliRun> {
  return runCliScript("lib/cli/predict.ts", args);
}
