/**
 * `deno task bench features [--dir ../shared/data/ravdess] [--repeat 3]` —
 * the whole feature path (read file bytes → decode → mono → resample to
 * 16 kHz → 40 MFCC, no deltas / trim / normalisation, cache off) on every
 * clip of the folder, for each flavour with one thread (`workers=1`: the
 * calling thread, no Worker) and with 2 Web Workers. A warm-up pass over a
 * few clips is excluded; `wall_s` is the best of `--repeat` passes (one for
 * Meyda, which is far slower). One line each:
 *
 *     features_bench flavour=<f> workers=<n> files=<n> audio_s=<s> wall_s=<s> realtime=<x>
 *
 * followed by `features_bench_cpu` (process CPU seconds of the same pass,
 * all threads: audio seconds per CPU-second are robust to other load on the
 * machine), `features_bench_stage` (per-stage wall and CPU split in one
 * thread, librosa flavour), `features_bench_default` (the training
 * default: + 60 dB trim, deltas and delta-deltas, normalisation; one
 * thread) and the `features_anchor` figures measured with Python on the
 * same clips.
 *
 * @module
 */
import process from "node:process";
import { decodeWav, mixToMono, resample } from "../lib/audio/mod.ts";
import {
  createExtractorPool,
  DEFAULT_FEATURE_CONFIG,
  extractFeatures,
  type FeatureConfig,
  type FeatureFlavour,
} from "../lib/features/mod.ts";
import { SHARED_RAVDESS_DIR, walkFiles } from "../lib/paths.ts";
import { createCommand, parsePositiveInt } from "../lib/cli/common.ts";

/** Speed anchors (× real time, decode + resample 48→16 kHz + 40 MFCC) measured on these clips. */
const ANCHORS: [string, number][] = [
  ["librosa_0.10", 663],
  ["torchaudio", 1513],
  ["meyda_frame_by_frame_mfcc_step_only", 140],
];

function benchConfig(flavour: FeatureFlavour): FeatureConfig {
  return {
    ...DEFAULT_FEATURE_CONFIG,
    flavour,
    kind: "mfcc",
    nMfcc: 40,
    deltaOrder: 0,
    trimTopDb: null,
    normalize: "none",
  };
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function timePool(
  files: string[],
  config: FeatureConfig,
  workers: number,
  repeat: number,
  label = "features_bench",
): Promise<void> {
  const pool = createExtractorPool(config, { workers, cacheDir: null });
  try {
    // Warm-up (excluded): worker start-up, JIT, wasm tier-up.
    await pool.extract(files.slice(0, 24 * workers));
    let best:
      | { wallS: number; audioS: number; files: number; cpuS: number }
      | null = null;
    for (let r = 0; r < repeat; r++) {
      const cpu0 = cpuSeconds();
      const res = await pool.extract(files);
      const cpuS = cpuSeconds() - cpu0;
      if (res.errors.length > 0) {
        throw new Error(`${res.errors[0].path}: ${res.errors[0].reason}`);
      }
      if (!best || res.wallS < best.wallS) {
        best = {
          wallS: res.wallS,
          audioS: res.audioS,
          files: res.features.length,
          cpuS,
        };
      }
    }
    const b = best!;
    console.log(
      `${label} flavour=${config.flavour} workers=${workers} files=${b.files} audio_s=${
        b.audioS.toFixed(1)
      } wall_s=${b.wallS.toFixed(3)} realtime=${
        (b.audioS / b.wallS).toFixed(0)
      }`,
    );
    console.log(
      `${label}_cpu flavour=${config.flavour} workers=${workers} cpu_s=${
        b.cpuS.toFixed(3)
      } realtime_per_cpu_s=${(b.audioS / b.cpuS).toFixed(0)}`,
    );
  } finally {
    pool.close();
  }
}

/**
 * Splits one thread's time over the stages, as wall and process CPU time
 * (best of `repeat` passes each, after a warm-up pass).
 */
function stageSplit(
  files: string[],
  config: FeatureConfig,
  repeat: number,
): void {
  const names = ["read", "decode", "resample", "features"] as const;
  const best = names.map(() => ({ wall: Infinity, cpu: Infinity }));
  let audioS = 0;
  for (let r = 0; r <= repeat; r++) {
    const wall = [0, 0, 0, 0];
    const cpu = [0, 0, 0, 0];
    audioS = 0;
    for (const f of files) {
      let stage = 0;
      let w = performance.now();
      let c = cpuSeconds();
      const lap = () => {
        const w2 = performance.now();
        const c2 = cpuSeconds();
        wall[stage] += (w2 - w) / 1000;
        cpu[stage] += c2 - c;
        w = w2;
        c = c2;
        stage++;
      };
      const bytes = Deno.readFileSync(f);
      lap();
      const d = decodeWav(bytes, f);
      const mono = mixToMono(d.channelData);
      lap();
      const x = resample(mono, d.sampleRate, config.sr);
      lap();
      extractFeatures(x, config);
      lap();
      audioS += d.info.durationS;
    }
    if (r === 0) continue; // warm-up
    names.forEach((_, i) => {
      best[i].wall = Math.min(best[i].wall, wall[i]);
      best[i].cpu = Math.min(best[i].cpu, cpu[i]);
    });
  }
  names.forEach((name, i) => {
    console.log(
      `features_bench_stage flavour=${config.flavour} stage=${name} wall_s=${
        best[i].wall.toFixed(3)
      } cpu_s=${best[i].cpu.toFixed(3)} realtime_per_cpu_s=${
        (audioS / best[i].cpu).toFixed(0)
      }`,
    );
  });
}

/** Runs the benchmark (see the module docs). */
export async function run(args: string[]): Promise<void> {
  const program = createCommand(
    "bench features",
    "Whole-path feature extraction speed",
  )
    .option("--dir <dir>", "folder of clips", SHARED_RAVDESS_DIR)
    .option(
      "--repeat <n>",
      "measured passes (best is reported)",
      parsePositiveInt,
      3,
    )
    .option("--flavour <f>", "only this flavour (librosa or meyda)")
    .option("--no-stages", "skip the per-stage split");
  program.parse(args, { from: "user" });
  const o = program.opts<
    { dir: string; repeat: number; flavour?: string; stages: boolean }
  >();
  const files = walkFiles(o.dir, [".wav"]);
  if (files.length === 0) throw new Error(`${o.dir}: no .wav files`);
  const flavours =
    (o.flavour ? [o.flavour] : ["librosa", "meyda"]) as FeatureFlavour[];
  for (const flavour of flavours) {
    const config = benchConfig(flavour);
    // Meyda is an order of magnitude slower: one measured pass is enough.
    const repeat = flavour === "meyda" ? 1 : o.repeat;
    for (const workers of [1, 2]) {
      await timePool(files, config, workers, repeat);
    }
    // The split is for the fast path; Meyda's is all in its extractor.
    if (o.stages && flavour === "librosa") stageSplit(files, config, repeat);
    if (flavour === "librosa") {
      const full = { ...DEFAULT_FEATURE_CONFIG, flavour };
      await timePool(files, full, 1, repeat, "features_bench_default");
    }
  }
  for (const [name, x] of ANCHORS) {
    console.log(`features_anchor name=${name} realtime=${x}`);
  }
}
