/**
 * Runs `deno task predict` (lib/cli/predict.ts) as a subprocess for tests.
 *
 * @module
 */
import * as path from "node:path";
import { REPO_ROOT } from "../../lib/paths.ts";

/** Exit code and output of one CLI run. */
export interface CliRun {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Runs the predict CLI with `args` from the repository root. */
export async function runPredictCli(args: string[]): Promise<CliRun> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      path.join(REPO_ROOT, "lib", "cli", "predict.ts"),
      ...args,
    ],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { CI: "1" },
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}
