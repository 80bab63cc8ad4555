/**
 * Test helpers for the data download tests: a loopback HTTP server
 * (127.0.0.1, port 0) with scriptable misbehaviour, tiny RAVDESS-layout
 * zips, temporary folders and MD5 digests.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { type Zippable, zipSync } from "fflate";
import { encodeWav } from "../../lib/audio/mod.ts";

/** How the server answers one path. */
export interface Route {
  /** The resource. */
  body: Uint8Array;
  /** Honour `Range: bytes=a-` with 206/416 (default true). */
  ranges?: boolean;
  /**
   * For the first this-many requests, announce the full Content-Length but
   * send only `truncateAt` bytes and close the connection.
   */
  truncateTimes?: number;
  /** Bytes sent by a truncated answer. */
  truncateAt?: number;
  /** Answer with this status and no body instead. */
  status?: number;
  /** Content type (default application/octet-stream). */
  type?: string;
  /** Send the body in pieces of `chunkBytes` (default 256), this many ms apart. */
  chunkDelayMs?: number;
  /** Piece size of a slow answer (`chunkDelayMs`). */
  chunkBytes?: number;
  /** Send this many bytes of the body, then nothing more (a stalled server). */
  stallAfter?: number;
  /** Leave out Content-Length (a chunked answer of unknown length). */
  noLength?: boolean;
  /** Never answer at all (a server that accepted the connection and hung). */
  hang?: boolean;
}

/** A body that trickles out slowly or stalls, as `route` says. */
function slowBody(
  bytes: Uint8Array,
  route: Route,
  closing: AbortSignal,
): ReadableStream<Uint8Array> {
  const size = route.chunkBytes ?? 256;
  let at = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (route.stallAfter !== undefined && at >= route.stallAfter) {
        // Nothing more until the server closes.
        return new Promise<void>((resolve) =>
          closing.addEventListener("abort", () => {
            try {
              controller.close();
            } catch { /* the client went away first */ }
            resolve();
          })
        );
      }
      if (at >= bytes.length) return controller.close();
      if (at > 0) {
        await new Promise((r) => setTimeout(r, route.chunkDelayMs ?? 0));
      }
      const end = Math.min(
        bytes.length,
        at + size,
        route.stallAfter ?? Infinity,
      );
      controller.enqueue(bytes.slice(at, end));
      at = end;
    },
  });
}

/** A request the server saw. */
export interface SeenRequest {
  /** Path and query. */
  path: string;
  /** The Range header, or null. */
  range: string | null;
  /** The Accept-Encoding header, or null. */
  acceptEncoding: string | null;
}

/** A running loopback server. */
export interface Loopback {
  /** Base URL, `http://127.0.0.1:<port>`. */
  base: string;
  /** Requests seen so far. */
  requests: SeenRequest[];
  /** Stops the server. */
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 with an OS-chosen port serving `routes` (keyed by path + query). */
export function serveLoopback(routes: Record<string, Route>): Loopback {
  const requests: SeenRequest[] = [];
  const truncations = new Map<string, number>();
  const closing = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) => {
      const url = new URL(req.url);
      const key = url.pathname + url.search;
      const range = req.headers.get("range");
      requests.push({
        path: key,
        range,
        acceptEncoding: req.headers.get("accept-encoding"),
      });
      const route = routes[key];
      if (!route) return new Response("not found", { status: 404 });
      if (route.status) return new Response(null, { status: route.status });
      if (route.hang) {
        return new Promise<Response>((resolve) => {
          const answer = () => resolve(new Response());
          req.signal.addEventListener("abort", answer);
          closing.signal.addEventListener("abort", answer);
        });
      }
      const headers = {
        "content-type": route.type ?? "application/octet-stream",
      };
      const body = route.body;
      const done = truncations.get(key) ?? 0;
      if (done < (route.truncateTimes ?? 0)) {
        truncations.set(key, done + 1);
        const part = body.slice(0, route.truncateAt ?? body.length >> 1);
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(part);
            controller.close();
          },
        });
        return new Response(stream, {
          headers: { ...headers, "content-length": String(body.length) },
        });
      }
      const match = range ? /^bytes=(\d+)-$/.exec(range) : null;
      if (match && (route.ranges ?? true)) {
        const start = Number(match[1]);
        if (start >= body.length) {
          return new Response(null, {
            status: 416,
            headers: { "content-range": `bytes */${body.length}` },
          });
        }
        return new Response(body.slice(start), {
          status: 206,
          headers: {
            ...headers,
            "content-range": `bytes ${start}-${body.length - 1}/${body.length}`,
          },
        });
      }
      const slow = route.chunkDelayMs !== undefined ||
        route.stallAfter !== undefined || route.noLength === true;
      return new Response(
        slow ? slowBody(body, route, closing.signal) : body.slice(),
        {
          headers: slow && !route.noLength
            ? { ...headers, "content-length": String(body.length) }
            : headers,
        },
      );
    },
  );
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    requests,
    close: () => {
      closing.abort();
      return server.shutdown();
    },
  };
}

/** Hex MD5 of `bytes`. */
export function md5(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

/** A short 16 kHz tone as WAV bytes; `seed` varies frequency and length. */
export function tinyWav(seed: number): Uint8Array {
  const n = 800 + 37 * seed;
  const samples = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    samples[i] = 0.5 * Math.sin(2 * Math.PI * (220 + 40 * seed) * i / 16000);
  }
  return encodeWav(samples, 16000);
}

/** Files in RAVDESS layout (two actors) keyed by their path in the zip. */
export function ravdessFiles(): Record<string, Uint8Array> {
  return {
    "Actor_01/03-01-01-01-01-01-01.wav": tinyWav(1),
    "Actor_01/03-01-05-02-01-02-01.wav": tinyWav(2),
    "Actor_02/03-01-03-01-02-01-02.wav": tinyWav(3),
  };
}

/** Zips `files` with fflate (store + deflate mix, like real archives). */
export function buildZip(files: Zippable): Uint8Array {
  return zipSync(files, { level: 6 });
}

/** Creates a temporary folder; dispose to delete it. */
export function tempDir(): { path: string } & Disposable {
  const path = Deno.makeTempDirSync({ prefix: "ser-data-test-" });
  return {
    path,
    [Symbol.dispose]() {
      Deno.removeSync(path, { recursive: true });
    },
  };
}

/** Names in `dir` (one level), sorted. */
export function listNames(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}
