/**
 * `deno task data fetch <ravdess|tess>` — download a public corpus from its
 * official source into `data/<corpus>` (resumable, verified, safely
 * extracted).
 *
 * @module
 */
import * as path from "node:path";
import type { Command } from "commander";
import { createCommand, parsePositiveNumber } from "./common.ts";
import { displayPath } from "../paths.ts";
import {
  DEFAULT_READ_TIMEOUT_S,
  fetchCorpus,
  parseChecksum,
  SOURCES,
} from "../data/mod.ts";

/** Builds the `fetch` subcommand of `deno task data`. */
export function fetchCommand(): Command {
  return createCommand(
    "fetch",
    `Download a public corpus (${
      Object.keys(SOURCES).join(", ")
    }) into <dest>/<corpus>: resumable, checksum-verified, safely extracted`,
  )
    .argument(
      "<corpus>",
      `corpus to fetch: ${Object.keys(SOURCES).join(" | ")}`,
    )
    .option("--dest <dir>", "data folder (default: data/)")
    .option(
      "--url <url>",
      "fetch from here instead of the official source: a zip URL (ravdess) or a Dataverse base URL (tess)",
    )
    .option(
      "--checksum <algo:hex>",
      "checksum of the zip at --url, e.g. md5:bc696df654c87fed845eb13823edef8a",
    )
    .option("--force", "fetch again even if the corpus is already complete")
    .option(
      "--timeout <seconds>",
      `give up on a server that sends nothing for this long (default ${DEFAULT_READ_TIMEOUT_S}); the partial download is kept for the next run`,
      parsePositiveNumber,
    )
    .action(
      async (
        corpus: string,
        opts: {
          dest?: string;
          url?: string;
          checksum?: string;
          force?: boolean;
          timeout?: number;
        },
      ) => {
        const result = await fetchCorpus({
          corpus,
          dest: opts.dest === undefined ? undefined : path.resolve(opts.dest),
          url: opts.url,
          checksum: opts.checksum === undefined
            ? undefined
            : parseChecksum(opts.checksum),
          force: opts.force ?? false,
          readTimeoutS: opts.timeout,
        });
        console.log(
          `${result.corpus}: ${result.audioFiles} audio files in ${
            displayPath(result.dir)
          }`,
        );
      },
    );
}
