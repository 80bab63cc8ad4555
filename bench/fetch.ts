/**
 * `deno task bench fetch [--mb 208] [--files 1440]` — the `data fetch` path
 * on a RAVDESS-sized archive: builds a zip of that many deflated WAV-like
 * entries (tone plus noise, so it compresses as little as real speech),
 * serves it from a loopback server (127.0.0.1) and runs `fetchCorpus` on it,
 * printing download and extraction throughput and the peak resident memory
 * (sampled every 20 ms) as `key=value` lines.
 *
 * @module
 */
import * as path from "node:path";
import { createCommand, parsePositiveInt } from "../lib/cli/common.ts";
import { Zip, ZipDeflate } from "fflate";
import { createRng } from "../lib/random.ts";
import { fetchCorpus } from "../lib/data/mod.ts";
import { hashFile } from "../lib/data/checksum.ts";

/** Writes a zip of `files` entries totalling about `bytes` bytes to `target`. */
async function buildArchive(
  target: string,
  files: number,
  bytes: number,
): Promise<void> {
  const out = await Deno.open(target, { write: true, create: true });
  const pending: Promise<number>[] = [];
  let failure: Error | null = null;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const zip = new Zip((err, chunk, final) => {
    if (err) failure = err;
    else pending.push(out.write(chunk));
    if (final) finished();
  });
  const rng = createRng(1);
  const perFile = Math.floor(bytes / files / 2) * 2;
  for (let f = 0; f < files; f++) {
    const actor = String(1 + (f % 24)).padStart(2, "0");
    const entry = new ZipDeflate(
      `Actor_${actor}/03-01-01-01-01-01-${actor}-${f}.wav`,
      { level: 6 },
    );
    zip.add(entry);
    const pcm = new Int16Array(perFile / 2);
    for (let i = 0; i < pcm.length; i++) {
      pcm[i] = Math.round(
        3000 * Math.sin(i * 0.05 * (1 + f % 7)) + 2000 * (rng.next() - 0.5),
      );
    }
    entry.push(new Uint8Array(pcm.buffer), true);
    // Keep the writes in order and the queue short.
    await Promise.all(pending.splice(0));
  }
  zip.end();
  await done;
  await Promise.all(pending.splice(0));
  out.close();
  if (failure) throw failure;
}

/** Runs the benchmark (see the module documentation). */
export async function run(args: string[]): Promise<void> {
  const program = createCommand(
    "bench fetch",
    "data fetch of a RAVDESS-sized zip from loopback: MB/s, peak memory",
  )
    .option("--mb <n>", "archive size in MB", parsePositiveInt, 208)
    .option("--files <n>", "files in the archive", parsePositiveInt, 1440);
  program.parse(args, { from: "user" });
  const opts = program.opts<{ mb: number; files: number }>();
  const bytes = opts.mb * 1_000_000;
  const files = opts.files;
  const tmp = await Deno.makeTempDir({ prefix: "ser-bench-fetch-" });
  try {
    const archive = path.join(tmp, "bench.zip");
    let t0 = performance.now();
    await buildArchive(archive, files, bytes);
    const size = (await Deno.stat(archive)).size;
    const md5 = await hashFile(archive, "md5");
    console.log(`archive_bytes=${size}`);
    console.log(
      `archive_build_s=${((performance.now() - t0) / 1000).toFixed(1)}`,
    );

    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      async () => {
        const file = await Deno.open(archive, { read: true });
        return new Response(file.readable, {
          headers: { "content-length": String(size) },
        });
      },
    );
    let peak = Deno.memoryUsage().rss;
    const baseline = peak;
    const sampler = setInterval(() => {
      peak = Math.max(peak, Deno.memoryUsage().rss);
    }, 20);
    const stamps: Record<string, number> = {};
    t0 = performance.now();
    try {
      const result = await fetchCorpus({
        corpus: "ravdess",
        dest: path.join(tmp, "data"),
        url: `http://127.0.0.1:${server.addr.port}/bench.zip`,
        checksum: { algorithm: "md5", value: md5 },
        progress: "silent",
        log: (line) => {
          if (line.startsWith("extracting")) stamps.extract = performance.now();
        },
      });
      const end = performance.now();
      const download = (stamps.extract - t0) / 1000;
      const extract = (end - stamps.extract) / 1000;
      console.log(`audio_files=${result.audioFiles}`);
      console.log(`download_s=${download.toFixed(2)}`);
      console.log(`download_MBps=${(size / 1e6 / download).toFixed(0)}`);
      console.log(`extract_s=${extract.toFixed(2)}`);
      console.log(`extract_MBps=${(size / 1e6 / extract).toFixed(0)}`);
    } finally {
      clearInterval(sampler);
      await server.shutdown();
    }
    console.log(`rss_baseline_MB=${(baseline / 1e6).toFixed(0)}`);
    console.log(`rss_peak_MB=${(peak / 1e6).toFixed(0)}`);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}
