/**
 * The test suite's entry point (`deno task test`): runs `deno test -A
 * tests/` (plus any arguments) with `SER_DATA_DIR`, `SER_MODELS_DIR` and
 * `SER_REPORTS_DIR` pointing into one fresh temporary folder, so nothing a
 * test (or a notebook it runs) writes — demo corpus, feature cache, models,
 * reports, screenshots — lands in the repository's `data/`, `models/` or
 * `reports/`. The folder is removed afterwards; the exit code is the test
 * run's.
 *
 * @module
 */
import * as path from "node:path";

const root = Deno.makeTempDirSync({ prefix: "ser-test-" });
const env: Record<string, string> = {};
for (
  const [name, dir] of [
    ["SER_DATA_DIR", "data"],
    ["SER_MODELS_DIR", "models"],
    ["SER_REPORTS_DIR", "reports"],
  ] as const
) {
  env[name] = path.join(root, dir);
  Deno.mkdirSync(env[name]);
}
let code = 1;
try {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", ...(Deno.args.length > 0 ? Deno.args : ["tests/"])],
    env,
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  code = (await child.status).code;
} finally {
  Deno.removeSync(root, { recursive: true });
}
Deno.exit(code);
