/**
 * `deno task data` — corpus tools: `index` scans folders into a manifest,
 * `fetch` downloads a public corpus into `data/<corpus>`.
 *
 * @module
 */
import { createCommand, runCli } from "./common.ts";
import { indexCommand } from "./data_index.ts";
import { fetchCommand } from "./data_fetch.ts";

/** Builds the `data` command with its subcommands. */
export function dataCommand() {
  return createCommand("data", "Index and download emotional-speech corpora")
    .addCommand(indexCommand())
    .addCommand(fetchCommand());
}

if (import.meta.main) await runCli(dataCommand(), Deno.args);
