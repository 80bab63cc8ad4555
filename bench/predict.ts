/**
 * `deno task bench predict [--model DIR] [--runs N] [--warmup N]` — end-to-end
 * latency of predicting one 3 s clip: read the file, decode, resample to the
 * card's rate, features, model — `Predictor.predictFile`, the path
 * `deno task predict` takes.
 *
 * Model: `--model`, else the newest under `models/`, else the default
 * architecture with seeded random weights written to a temporary folder (the
 * same load path). Clip: the first real 48 kHz RAVDESS clip of the shared
 * folder looped/cropped to 3 s and written as a 16-bit WAV to a temporary
 * folder, else a synthetic 48 kHz vowel-like clip. After `--warmup` runs,
 * the mean wall time of `--runs` (≥ 20) runs is reported with the process
 * CPU time per run (what the clip costs when the machine is not shared) and
 * a split by stage (each stage timed on its own). Ends with
 * `predict_bench ms_per_clip=<mean wall ms>`.
 *
 * @module
 */
import * as path from "node:path";
import process from "node:process";
import { encodeWav, loadAudio } from "../lib/audio/mod.ts";
import { describeBackend, initBackend } from "../lib/tfjs/mod.ts";
import { createCommand, parsePositiveInt } from "../lib/cli/common.ts";
import { extractFeatures, fixLength } from "../lib/features/mod.ts";
import { SHARED_RAVDESS_DIR, walkFiles } from "../lib/paths.ts";
import {
  loadPredictor,
  type Predictor,
  writeUntrainedModel,
} from "../lib/predict/mod.ts";
import { listModelDirs, readCard } from "../lib/run/mod.ts";
import { createRng } from "../lib/random.ts";

const CLIP_S = 3;
const CLIP_SR = 48000;

interface BenchFlags {
  model?: string;
  runs: number;
  warmup: number;
}

/** A 3 s mono clip at 48 kHz and where it came from. */
async function benchClip(): Promise<{ samples: Float32Array; from: string }> {
  const n = CLIP_S * CLIP_SR;
  let real: string | undefined;
  try {
    real = walkFiles(SHARED_RAVDESS_DIR, [".wav"])[0];
  } catch {
    real = undefined;
  }
  if (real) {
    const audio = await loadAudio(real, { sr: null });
    if (audio.sr === CLIP_SR) {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = audio.samples[i % audio.samples.length];
      }
      return {
        samples: out,
        from: `${real} (looped/cropped to ${CLIP_S} s)`,
      };
    }
  }
  // Synthetic: a 120 Hz pulse-like harmonic voice with a slow pitch glide,
  // syllable-rate amplitude envelope and a little seeded noise.
  const rng = createRng("bench-predict");
  const out = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / CLIP_SR;
    phase += 2 * Math.PI * (120 + 20 * Math.sin(2 * Math.PI * 0.5 * t)) /
      CLIP_SR;
    let v = 0;
    for (let h = 1; h <= 20; h++) v += Math.sin(h * phase) / h;
    const env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
    out[i] = 0.1 * env * v + 0.002 * rng.normal();
  }
  return {
    samples: out,
    from: "synthetic 48 kHz harmonic voice (no shared RAVDESS clips)",
  };
}

async function benchPredictor(
  flags: BenchFlags,
  tmp: string,
): Promise<{ predictor: Predictor; from: string }> {
  if (flags.model) {
    return { predictor: await loadPredictor(flags.model), from: "--model" };
  }
  const newest = listModelDirs()[0];
  if (newest) {
    return {
      predictor: await loadPredictor(newest.dir),
      from: "newest under models/",
    };
  }
  const dir = path.join(tmp, "untrained");
  await writeUntrainedModel(dir);
  return {
    predictor: await loadPredictor(dir),
    from: "no model found: default architecture with seeded random weights",
  };
}

/** Wall-clock statistics of `runs` calls, and the process CPU time per call. */
async function meanMs(
  runs: number,
  fn: () => Promise<unknown> | unknown,
): Promise<{ mean: number; min: number; median: number; cpu: number }> {
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  const sorted = [...times].sort((a, b) => a - b);
  return {
    mean: times.reduce((a, b) => a + b, 0) / runs,
    min: sorted[0],
    median: sorted[Math.floor(runs / 2)],
    cpu: (cpu.user + cpu.system) / 1000 / runs,
  };
}

/** Runs the benchmark; see the module doc. */
export async function run(args: string[]): Promise<void> {
  const program = createCommand("bench predict", "Prediction latency")
    .option(
      "--model <dir>",
      "model directory (default: newest, else untrained)",
    )
    .option("--runs <n>", "timed runs (at least 20)", parsePositiveInt, 30)
    .option("--warmup <n>", "untimed runs first", parsePositiveInt, 5);
  program.parse(args, { from: "user" });
  const flags = program.opts<BenchFlags>();
  if (flags.runs < 20) {
    throw new Error(`--runs must be at least 20, got ${flags.runs}`);
  }

  console.log(describeBackend(await initBackend()));
  const tmp = await Deno.makeTempDir({ prefix: "bench-predict-" });
  try {
    const { predictor, from } = await benchPredictor(flags, tmp);
    const c = readCard(predictor.members[0]);
    console.log(
      `model: ${predictor.dir} (${from}; ${predictor.members.length} member(s), run ${c.run}, ${c.labels.length} classes, ` +
        `${c.featureConfig.flavour} ${c.featureConfig.kind} ${c.featureConfig.frames} frames, ` +
        `conv ${c.modelConfig.conv.kind} [${c.modelConfig.conv.filters}], lstm ${c.modelConfig.rnn.units}` +
        `${c.modelConfig.rnn.bidirectional ? " bidirectional" : ""})`,
    );
    const clip = await benchClip();
    const wav = path.join(tmp, "clip.wav");
    await Deno.writeFile(wav, encodeWav(clip.samples, CLIP_SR));
    console.log(`clip: ${clip.from} → ${wav}, ${CLIP_SR} Hz 16-bit mono`);

    const once = () => predictor.predictFile(wav);
    for (let i = 0; i < flags.warmup; i++) await once();
    const result = await once();
    console.log(
      `prediction: ${result.emotion} (${
        (result.probabilities[result.emotion] * 100).toFixed(1)
      }%)${result.timeline ? `, ${result.timeline.length} windows` : ""}`,
    );
    const total = await meanMs(flags.runs, once);

    // Stage split, each stage timed alone on the same clip.
    const sr = c.featureConfig.sr;
    const decode = await meanMs(flags.runs, () => loadAudio(wav, { sr }));
    const audio = await loadAudio(wav, { sr });
    const features = await meanMs(
      flags.runs,
      () =>
        fixLength(
          extractFeatures(audio.samples, c.featureConfig),
          c.featureConfig.frames,
        ),
    );
    const ms = (x: number) => x.toFixed(2);
    console.log(
      `stages (wall ms, mean of ${flags.runs}): read+decode+resample=${
        ms(decode.mean)
      } features=${ms(features.mean)} model+rest=${
        ms(total.mean - decode.mean - features.mean)
      }`,
    );
    console.log(
      `stages (CPU ms per run): read+decode+resample=${
        ms(decode.cpu)
      } features=${ms(features.cpu)} model+rest=${
        ms(total.cpu - decode.cpu - features.cpu)
      }`,
    );
    const [load1] = Deno.loadavg();
    console.log(
      `end to end (ms over ${flags.runs} runs after ${flags.warmup} warm-up): mean=${
        ms(total.mean)
      } median=${ms(total.median)} min=${ms(total.min)} cpu=${
        ms(total.cpu)
      } (target ≤ 50; load average ${
        load1.toFixed(1)
      } on ${navigator.hardwareConcurrency} cores)`,
    );
    predictor.dispose();
    console.log(`predict_bench ms_per_clip=${total.mean.toFixed(3)}`);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}
