/**
 * Runs a CLI script (`lib/cli/*.ts`) as a subprocess for tests.
 *
 * @module
 */
import * as path from "node:path";
import { REPO_ROOT } from "../lib/paths.ts";

/** Exit code and output of one CLI run. */
export interface CliRun {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/**
 * Runs `deno run -A <script> ...args` from the repository root and returns
 * its exit code and decoded output.
 *
 * @param script Path of the script relative to the repository root, e.g.
 *   `"lib/cli/evaluate.ts"`.
 * @param args Arguments passed to the script.
 * @param options `env`: extra environment variables, added to `CI: "1"` (the
 *   subprocess also inherits the test process's environment).
 *   `honourFileModes`: when the tests run as root, run the script without
 *   root's override of file permissions (`setpriv` drops
 *   CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH), so a folder made unreadable
 *   with `chmod 000` is unreadable to it, as it is to any other user.
 */
export async function runCliScript(
  script: string,
  args: readonly string[],
  options: { env?: Record<string, string>; honourFileModes?: boolean } = {},
): Promise<CliRun> {
  const deno = [Deno.execPath(), "run", "-A", path.join(REPO_ROOT, script)];
  const caps = "-dac_override,-dac_read_search";
  const argv = options.honourFileModes && Deno.uid() === 0
    ? ["setpriv", `--inh-caps=${caps}`, `--bounding-set=${caps}`, ...deno]
    : deno;
  const out = await new Deno.Command(argv[0], {
    args: [...argv.slice(1), ...args],
    cwd: REPO_ROOT,
    env: { CI: "1", ...options.env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}
