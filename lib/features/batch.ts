/**
 * Batch extraction over many files, in the calling thread or in a pool of
 * Web Workers (one per core), with the on-disk cache. Bad files are
 * reported in `errors` and never stop the batch.
 *
 * @module
 */
import {
  type FeatureConfig,
  type FeatureMatrix,
  validateFeatureConfig,
} from "./config.ts";
import { DEFAULT_CACHE_DIR } from "./cache.ts";
import { extractInput, type SamplesInput } from "./pipeline.ts";
import type { WorkerRequest, WorkerResponse } from "./worker.ts";

/** Options of {@linkcode extractBatch} and {@linkcode createExtractorPool}. */
export interface BatchOptions {
  /**
   * Parallel extraction threads: 1 = the calling thread, n ≥ 2 = n Web
   * Workers, never more than the cores (see `usefulWorkers`). Default: 1 for
   * fewer than 16 files, else the number of cores.
   */
  workers?: number;
  /** Cache folder (default `data/cache/features`); `null` disables the cache. */
  cacheDir?: string | null;
  /** Called after each file with the number done and the total. */
  onProgress?(done: number, total: number): void;
}

/** A failed file. */
export interface BatchError {
  /** The file. */
  path: string;
  /** Why it failed (without the path). */
  reason: string;
}

/** Result of a batch. */
export interface BatchResult {
  /** Features per input path, in order; `null` where the file failed. */
  features: (FeatureMatrix | null)[];
  /** The files that failed, in input order. */
  errors: BatchError[];
  /** Total seconds of audio extracted (cache hits included). */
  audioS: number;
  /** Wall-clock seconds the batch took. */
  wallS: number;
  /** How many files came from the cache. */
  cacheHits: number;
  /** Extraction threads used (1 = the calling thread). */
  workers: number;
}

/** A reusable set of extraction threads for one config. */
export interface ExtractorPool {
  /** Number of threads (1 = the calling thread). */
  readonly workers: number;
  /**
   * Extracts every input — a file path, or in-memory samples with their
   * cache key; never rejects because of a bad one (errors name the path or
   * the samples' label).
   */
  extract(
    inputs: readonly (string | SamplesInput)[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<BatchResult>;
  /** Terminates the workers. */
  close(): void;
}

/** Cache folders already warned about in this process. */
const warnedCaches = new Set<string>();

/**
 * Warns once per process and cache folder that the cache cannot be used
 * (`problem`, from `extractFile`); the batch goes on computing.
 */
function warnCacheOnce(cacheDir: string, problem: string | undefined): void {
  if (problem === undefined || warnedCaches.has(cacheDir)) return;
  warnedCaches.add(cacheDir);
  console.warn(`warning: ${problem}; computing features without it`);
}

function labelOf(input: string | SamplesInput): string {
  return typeof input === "string" ? input : input.label;
}

function reasonOf(path: string, message: string): string {
  return message.startsWith(`${path}: `)
    ? message.slice(path.length + 2)
    : message;
}

function collect(
  inputs: readonly (string | SamplesInput)[],
  results:
    ({ matrix: FeatureMatrix; audioS: number; cached: boolean } | string)[],
  start: number,
  workers: number,
): BatchResult {
  const features: (FeatureMatrix | null)[] = [];
  const errors: BatchError[] = [];
  let audioS = 0;
  let cacheHits = 0;
  results.forEach((r, i) => {
    if (typeof r === "string") {
      const name = labelOf(inputs[i]);
      features.push(null);
      errors.push({ path: name, reason: reasonOf(name, r) });
    } else {
      features.push(r.matrix);
      audioS += r.audioS;
      if (r.cached) cacheHits++;
    }
  });
  return {
    features,
    errors,
    audioS,
    wallS: (performance.now() - start) / 1000,
    cacheHits,
    workers,
  };
}

/**
 * The number of extraction threads that helps for a request of `requested`:
 * at most one per core (`navigator.hardwareConcurrency`). Extraction is
 * CPU-bound, so more threads than cores only add memory (each worker holds
 * its own wasm heap and decoded audio) and switching. Throws for a count
 * that is not a positive integer.
 */
export function usefulWorkers(requested: number): number {
  if (!Number.isInteger(requested) || requested < 1) {
    throw new Error(`workers must be a positive integer, got ${requested}`);
  }
  return Math.min(requested, Math.max(1, navigator.hardwareConcurrency));
}

/**
 * Creates a pool of extraction threads (see {@linkcode BatchOptions.workers},
 * capped by {@linkcode usefulWorkers}); close it when done. The config is
 * validated once here (`validateFeatureConfig`), before any file: a bad one
 * throws instead of failing every clip.
 */
export function createExtractorPool(
  config: FeatureConfig,
  options: { workers?: number; cacheDir?: string | null } = {},
): ExtractorPool {
  config = validateFeatureConfig(config);
  const n = usefulWorkers(options.workers ?? navigator.hardwareConcurrency);
  const cacheDir = options.cacheDir === undefined
    ? DEFAULT_CACHE_DIR
    : options.cacheDir;
  if (n === 1) {
    return {
      workers: 1,
      async extract(paths, onProgress) {
        const start = performance.now();
        const results: Parameters<typeof collect>[1] = [];
        for (const p of paths) {
          try {
            const r = await extractInput(p, config, cacheDir);
            if (cacheDir !== null) warnCacheOnce(cacheDir, r.cacheProblem);
            results.push(r);
          } catch (err) {
            results.push(err instanceof Error ? err.message : String(err));
          }
          onProgress?.(results.length, paths.length);
        }
        return collect(paths, results, start, 1);
      },
      close() {},
    };
  }
  const workers = Array.from({ length: n }, () => {
    const w = new Worker(new URL("./worker.ts", import.meta.url), {
      type: "module",
    });
    w.postMessage({ type: "init", config, cacheDir } satisfies WorkerRequest);
    return w;
  });
  let busy = false;
  return {
    workers: n,
    extract(paths, onProgress) {
      if (busy) {
        return Promise.reject(
          new Error("extractor pool is already running a batch"),
        );
      }
      busy = true;
      const start = performance.now();
      const results: Parameters<typeof collect>[1] = new Array(paths.length);
      return new Promise<BatchResult>((resolve, reject) => {
        let next = 0;
        let done = 0;
        const finish = () => {
          busy = false;
          for (const w of workers) w.onmessage = w.onerror = null;
          resolve(collect(paths, results, start, n));
        };
        if (paths.length === 0) return finish();
        const send = (w: Worker) => {
          if (next >= paths.length) return;
          const id = next++;
          w.postMessage(
            { type: "job", id, input: paths[id] } satisfies WorkerRequest,
          );
        };
        for (const w of workers) {
          w.onmessage = (e: MessageEvent<WorkerResponse>) => {
            const r = e.data;
            if (r.ok && cacheDir !== null) {
              warnCacheOnce(cacheDir, r.cacheProblem);
            }
            results[r.id] = r.ok
              ? {
                matrix: { data: r.data, frames: r.frames, dims: r.dims },
                audioS: r.audioS,
                cached: r.cached,
              }
              : r.reason;
            done++;
            onProgress?.(done, paths.length);
            if (done === paths.length) finish();
            else send(w);
          };
          w.onerror = (e: ErrorEvent) => {
            e.preventDefault();
            busy = false;
            reject(new Error(`feature worker crashed: ${e.message}`));
          };
          // Two jobs in flight per worker hide the message latency.
          send(w);
          send(w);
        }
      });
    },
    close() {
      for (const w of workers) w.terminate();
    },
  };
}

/**
 * Extracts features of every input with `config` — a path (read → decode →
 * resample → features) or in-memory samples with their cache key — cached on
 * disk unless `cacheDir: null`. Bad inputs end up in `errors`, with `null` in
 * their place in `features`.
 */
export async function extractBatch(
  paths: readonly (string | SamplesInput)[],
  config: FeatureConfig,
  options: BatchOptions = {},
): Promise<BatchResult> {
  const workers = Math.min(
    options.workers ?? (paths.length < 16 ? 1 : navigator.hardwareConcurrency),
    Math.max(1, paths.length),
  );
  const pool = createExtractorPool(config, {
    workers,
    cacheDir: options.cacheDir,
  });
  try {
    return await pool.extract(paths, options.onProgress);
  } finally {
    pool.close();
  }
}
