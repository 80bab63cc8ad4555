/**
 * `deno task serve [--model <dir>] [--port N]` — a local web page that
 * listens: live microphone and dropped files, predicted in the browser with
 * the toolkit's own pipeline and model (see `lib/serve/`). Prints the URL;
 * Ctrl-C stops it.
 *
 * @module
 */
import { displayPath } from "../paths.ts";
import { DEFAULT_PORT, startServer } from "../serve/mod.ts";
import { createCommand, parseNumber, runCli } from "./common.ts";

interface ServeFlags {
  model?: string;
  port?: number;
}

/** Builds the `serve` command. */
export function serveCommand() {
  return createCommand(
    "serve",
    "Serve a web page that predicts emotions from the microphone or a file",
  )
    .option(
      "--model <dir>",
      "model opened first (default: the one `deno task predict` uses)",
    )
    .option(
      "--port <n>",
      `port on 127.0.0.1 (default ${DEFAULT_PORT}; 0: any free port)`,
      parseNumber,
    )
    .addHelpText(
      "after",
      `
Everything the page needs is served from the repository (the bundle of lib/,
plotly, the TF.js wasm binaries, the models); the audio never leaves the
browser. The page lists every model under models/ in its picker.`,
    )
    .action(async (flags: ServeFlags) => {
      const server = await startServer({
        model: flags.model,
        port: flags.port,
        onBuild: (m) => console.error(m),
      });
      const first = server.catalog.defaultModel();
      console.error(
        first
          ? `model: ${displayPath(first.dir)}`
          : `no model found: ${server.catalog.list().error}`,
      );
      console.log(`serving the page at ${server.url}`);
      await server.finished;
    });
}

if (import.meta.main) await runCli(serveCommand(), Deno.args);
