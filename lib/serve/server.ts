/**
 * The local web server behind `deno task serve`: one page and everything it
 * needs, all from the repository — the bundle of `lib/` (`bundle.ts`),
 * plotly and the TF.js `.wasm` binaries from `node_modules`, and the models
 * (`models.ts`) — on the loopback interface only. Static assets are sent
 * gzip-compressed to browsers that accept it (compressed once, kept in
 * memory).
 *
 * @module
 */
import * as path from "node:path";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { wasmDir } from "../tfjs/mod.ts";
import { buildBundle, type Bundle } from "./bundle.ts";
import { type CatalogOptions, ModelCatalog } from "./models.ts";
import { pageHtml } from "./page.ts";
import { API, ASSETS, WASM_URL } from "./protocol.ts";

/** Default port of `deno task serve`. */
export const DEFAULT_PORT = 8765;

/** Options of {@linkcode startServer}. */
export interface ServeOptions extends CatalogOptions {
  /** Port (default {@linkcode DEFAULT_PORT}; 0: any free port). */
  port?: number;
  /** Folder of cached bundles (default `data/cache/serve/`). */
  bundleDir?: string;
  /** Called with one line before a bundle is built (it takes seconds). */
  onBuild?: (message: string) => void;
}

/** A running server. */
export interface RunningServer {
  /** The page's URL (`http://127.0.0.1:<port>/`). */
  url: string;
  /** The bundle served. */
  bundle: Bundle;
  /** The models listed for the page. */
  catalog: ModelCatalog;
  /** Stops the server. */
  shutdown(): Promise<void>;
  /** Settles when the server has stopped. */
  finished: Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
};

/** Responses for static files, gzip-compressed once when the browser accepts it. */
function staticFiles(): (p: string, req: Request) => Response {
  const gzipped = new Map<string, Uint8Array<ArrayBuffer>>();
  return (p, req) => {
    const headers: Record<string, string> = {
      "content-type": TYPES[path.extname(p)] ?? "application/octet-stream",
      "cache-control": "no-cache",
      "vary": "accept-encoding",
    };
    if (!/\bgzip\b/.test(req.headers.get("accept-encoding") ?? "")) {
      return new Response(Deno.readFileSync(p), { headers });
    }
    let body = gzipped.get(p);
    if (!body) {
      body = new Uint8Array(gzipSync(Deno.readFileSync(p), { level: 9 }));
      gzipped.set(p, body);
    }
    return new Response(body, {
      headers: { ...headers, "content-encoding": "gzip" },
    });
  };
}

function json(value: unknown): Response {
  return new Response(JSON.stringify(value), {
    headers: { "content-type": TYPES[".json"], "cache-control": "no-store" },
  });
}

function notFound(what: string): Response {
  return new Response(`not found: ${what}\n`, {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

/** The file of the installed plotly.js (the minified distribution). */
function plotlyFile(): string {
  const require = createRequire(import.meta.url);
  return path.join(
    path.dirname(require.resolve("plotly.js-dist-min/package.json")),
    "plotly.min.js",
  );
}

/** The handler of every request (exported for tests without a socket). */
export function createHandler(
  bundle: Bundle,
  catalog: ModelCatalog,
): (req: Request) => Response {
  const file = staticFiles();
  const wasm = wasmDir();
  const plotly = plotlyFile();
  const bundleFiles = new Set(
    [...Deno.readDirSync(bundle.dir)].map((e) => e.name),
  );
  return (req) => {
    const url = new URL(req.url);
    const p = url.pathname;
    if (req.method !== "GET" && req.method !== "HEAD") {
      return new Response("method not allowed\n", { status: 405 });
    }
    if (p === "/" || p === "/index.html") {
      return new Response(pageHtml(), {
        headers: {
          "content-type": TYPES[".html"],
          "cache-control": "no-cache",
        },
      });
    }
    if (p === ASSETS.plotly) return file(plotly, req);
    if (p.startsWith(WASM_URL)) {
      const name = p.slice(WASM_URL.length);
      return /^tfjs-backend-wasm(-simd|-threaded-simd)?\.wasm$/.test(name)
        ? file(path.join(wasm, name), req)
        : notFound(p);
    }
    if (p === API.models) return json(catalog.list());
    if (p === API.model) {
      return json(catalog.served(url.searchParams.get("id") ?? ""));
    }
    if (p === API.weights) {
      const weights = catalog.weights(
        url.searchParams.get("id") ?? "",
        Number(url.searchParams.get("member") ?? "0"),
      );
      return weights
        ? new Response(weights, {
          headers: {
            "content-type": "application/octet-stream",
            "cache-control": "no-store",
          },
        })
        : notFound(p);
    }
    const name = p.slice(1);
    if (bundleFiles.has(name)) return file(path.join(bundle.dir, name), req);
    return notFound(p);
  };
}

/**
 * Builds (or finds) the bundle and serves the page on 127.0.0.1. Throws an
 * Error when the port is taken, `--model` does not exist or the bundle
 * cannot be built.
 */
export async function startServer(
  options: ServeOptions = {},
): Promise<RunningServer> {
  const catalog = new ModelCatalog(options);
  options.onBuild?.("building the page bundle (cached after the first time)…");
  const bundle = await buildBundle(options.bundleDir);
  const handler = createHandler(bundle, catalog);
  const port = options.port ?? DEFAULT_PORT;
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve(
      { hostname: "127.0.0.1", port, onListen: () => {} },
      handler,
    );
  } catch (err) {
    if (err instanceof Deno.errors.AddrInUse) {
      throw new Error(`port ${port} is in use: pass another with --port`);
    }
    throw err;
  }
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    bundle,
    catalog,
    shutdown: () => server.shutdown(),
    finished: server.finished,
  };
}
