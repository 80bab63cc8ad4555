/**
 * `deno task bench quality [--config recipe.json] [--seeds N] [--split-seed S]
 * [--folds K] [--data <dir>...] [--no-baseline] [--no-robustness]
 * [--keep <dir> [--reuse]]`
 * — how well a recipe recognises emotion in voices it has never heard.
 *
 * The recipe (default: `deno task train`'s) is trained end to end exactly as
 * `deno task train --folds K` trains it — the train CLI is run, folds one per
 * core — on the 16 development actors of `../shared` (RAVDESS 01–16), in
 * K-fold leave-speakers-out cross-validation: groups of speakers balanced by
 * sex and fixed by `--split-seed`, every speaker tested once by a model that
 * never heard them. `--seeds N` repeats the run with training seeds 1…N on
 * the same folds, for the spread over seeds.
 *
 * On the same folds: the classical baseline (per-utterance mean and std of
 * 40 MFCC and their deltas, RMS, zero-crossing rate and spectral centroid;
 * standardised; RBF-SVM `C=10`, balanced class weights — scikit-learn via
 * Debian's python3-sklearn, skipped with a note where absent), with the
 * vectors as they are and standardised per speaker. Then robustness: each
 * fold model of the first seed scored on its test clips corrupted — white
 * and pink noise at 20, 10 and 5 dB SNR, a −20 dB level, telephone band
 * (300–3400 Hz), and an mp3 round trip (64 kbit/s, if `lame` is installed).
 *
 * Machine-readable lines: `quality_fold seed= fold= test= uar= accuracy=
 * train_s=` per fold, `quality uar_mean= uar_std= accuracy_mean= folds=
 * seeds= seed_std= train_wall_s=`, `baseline norm= uar_mean= uar_std=
 * accuracy_mean= folds=`, `gap uar_vs_baseline=`, `robustness condition=
 * uar_mean= uar_std= delta_vs_clean=`, `bench_wall_s=`.
 *
 * @module
 */
import * as path from "node:path";
import { encodeWav, loadAudio } from "../lib/audio/mod.ts";
import {
  addPinkNoise,
  addWhiteNoise,
  bandLimit,
  gain,
} from "../lib/augment/mod.ts";
import { createCommand, parsePositiveInt } from "../lib/cli/common.ts";
import { scanCorpus, type Utterance } from "../lib/corpora/mod.ts";
import { meanStd } from "../lib/evaluate/mod.ts";
import {
  DEFAULT_FEATURE_CONFIG,
  extractBatch,
  type FeatureConfig,
} from "../lib/features/mod.ts";
import {
  forEachFrame,
  powerSpectrogram,
  rms,
  trimBounds,
} from "../lib/dsp/mod.ts";
import { REPO_ROOT, SHARED_DIR } from "../lib/paths.ts";
import { evaluatePredictor, loadPredictor } from "../lib/predict/mod.ts";
import { isEnsembleDir, resolveModelRun } from "../lib/run/mod.ts";
import { speakerGroups } from "../lib/train/split.ts";

/** The 16 development actors. */
export const DEV_CORPORA: readonly string[] = [
  path.join(SHARED_DIR, "data", "ravdess"),
  path.join(SHARED_DIR, "data", "ravdess16k"),
];

interface Flags {
  config?: string;
  seeds: number;
  splitSeed: number;
  folds: number;
  data: string[];
  baseline: boolean;
  robustness: boolean;
  keep?: string;
  reuse?: boolean;
}

const fmt = (x: number) => x.toFixed(4);
const err = (s: string) => console.error(s);

/** Runs `deno task train --folds K` for one seed; returns the run directory. */
async function trainFolds(flags: Flags, seed: number, out: string) {
  const args = [
    "run",
    "-A",
    path.join(REPO_ROOT, "lib/cli/train.ts"),
    "--data",
    ...flags.data,
    "--folds",
    String(flags.folds),
    "--split-seed",
    String(flags.splitSeed),
    "--seed",
    String(seed),
    "--out",
    out,
    ...(flags.config ? ["--config", flags.config] : []),
  ];
  err(`train: deno ${args.join(" ")}`);
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env: { CI: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Keep the log readable: fold starts, stops and errors.
  const relay = async (stream: ReadableStream<Uint8Array>) => {
    let rest = "";
    const dec = new TextDecoder();
    for await (const bytes of stream) {
      const lines = (rest + dec.decode(bytes, { stream: true })).split("\n");
      rest = lines.pop() ?? "";
      for (const l of lines) {
        if (/stopped:|error|ensemble of|training \d+ folds/.test(l)) err(l);
      }
    }
  };
  const [status] = await Promise.all([
    child.status,
    relay(child.stdout),
    relay(child.stderr),
  ]);
  if (!status.success) {
    throw new Error(`training seed ${seed} failed (exit ${status.code})`);
  }
  return (performance.now() - started) / 1000;
}

/**
 * Per-clip vectors of the classical baseline: mean and std over frames of
 * 40 MFCC (librosa flavour, 60 dB trim) and their deltas, and of RMS,
 * zero-crossing rate and spectral centroid (Hz) of the same frames of the
 * trimmed clip.
 */
async function baselineVectors(items: readonly Utterance[]) {
  const config: FeatureConfig = {
    ...DEFAULT_FEATURE_CONFIG,
    deltaOrder: 1,
    normalize: "none",
  };
  const batch = await extractBatch(items.map((i) => i.path), config);
  const vectors: number[][] = [];
  for (const [i, item] of items.entries()) {
    const m = batch.features[i];
    if (!m) throw new Error(`${item.path}: ${batch.errors[0]?.reason}`);
    const { samples: raw } = await loadAudio(item.path, { sr: config.sr });
    const [start, end] = trimBounds(raw, { topDb: config.trimTopDb! });
    const samples = end > start ? raw.subarray(start, end) : raw;
    const frame = { frameLength: config.nFft, hopLength: config.hopLength };
    const energy = rms(samples, frame);
    const spec = powerSpectrogram(samples, {
      nFft: config.nFft,
      winLength: config.winLength,
      hopLength: config.hopLength,
    });
    const n = spec.frames;
    const extra = new Float64Array(n * 3);
    forEachFrame(samples, frame, (f, t) => {
      let zc = 0;
      for (let j = 1; j < f.length; j++) {
        if ((f[j - 1] >= 0) !== (f[j] >= 0)) zc++;
      }
      let num = 0, den = 0;
      for (let b = 0; b < spec.dims; b++) {
        const mag = Math.sqrt(spec.data[t * spec.dims + b]);
        num += mag * (b * config.sr / config.nFft);
        den += mag;
      }
      extra[t * 3] = energy[t];
      extra[t * 3 + 1] = zc / f.length;
      extra[t * 3 + 2] = den > 0 ? num / den : 0;
    });
    const stats = (data: ArrayLike<number>, rows: number, dims: number) => {
      const mean = new Float64Array(dims);
      const sq = new Float64Array(dims);
      for (let t = 0; t < rows; t++) {
        for (let d = 0; d < dims; d++) {
          const v = data[t * dims + d];
          mean[d] += v;
          sq[d] += v * v;
        }
      }
      const out: number[] = [];
      for (let d = 0; d < dims; d++) out.push(mean[d] / rows);
      for (let d = 0; d < dims; d++) {
        out.push(Math.sqrt(Math.max(sq[d] / rows - (mean[d] / rows) ** 2, 0)));
      }
      return out;
    };
    vectors.push([
      ...stats(m.data, m.frames, m.dims),
      ...stats(extra, n, 3),
    ]);
  }
  return vectors;
}

/** Python with scikit-learn, or null with the reason. */
async function sklearnPython(): Promise<string | null> {
  for (const python of ["/usr/bin/python3", "python3"]) {
    try {
      const probe = await new Deno.Command(python, {
        args: ["-c", "import sklearn, numpy"],
        stdout: "null",
        stderr: "null",
      }).output();
      if (probe.success) return python;
    } catch { /* not installed */ }
  }
  return null;
}

async function baseline(
  items: readonly Utterance[],
  folds: string[][],
  tmp: string,
): Promise<number[] | null> {
  const python = await sklearnPython();
  if (!python) {
    console.log(
      "baseline skipped: no python3 with scikit-learn (apt-get install python3-sklearn)",
    );
    return null;
  }
  const file = path.join(tmp, "vectors.json");
  Deno.writeTextFileSync(
    file,
    JSON.stringify({
      speakers: items.map((i) => i.speaker),
      labels: items.map((i) => i.emotion),
      vectors: await baselineVectors(items),
      folds,
    }),
  );
  const out = await new Deno.Command(python, {
    args: [path.join(REPO_ROOT, "bench", "quality_svm.py"), file],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`quality_svm.py: ${new TextDecoder().decode(out.stderr)}`);
  }
  const result = JSON.parse(new TextDecoder().decode(out.stdout));
  for (const norm of ["utterance", "speaker"]) {
    const r = result[norm] as { uar: number[]; accuracy: number[] };
    r.uar.forEach((u, i) =>
      console.log(
        `baseline_fold norm=${norm} fold=${i + 1} test=${
          folds[i].join(",")
        } uar=${fmt(u)} accuracy=${fmt(r.accuracy[i])}`,
      )
    );
    const s = meanStd(r.uar);
    console.log(
      `baseline norm=${norm} uar_mean=${fmt(s.mean)} uar_std=${
        fmt(s.std)
      } accuracy_mean=${
        fmt(meanStd(r.accuracy).mean)
      } folds=${r.uar.length} sklearn=${result.sklearn}`,
    );
  }
  return (result.utterance as { uar: number[] }).uar;
}

/** The corruptions of the robustness figures, by name. */
function conditions(lame: boolean) {
  const list: [
    string,
    (x: Float32Array, sr: number, key: string) => Float32Array,
  ][] = [
    ["clean", (x) => x],
  ];
  for (const db of [20, 10, 5]) {
    list.push([
      `white_${db}dB`,
      (x, _sr, key) => addWhiteNoise(x, { snrDb: db, rng: `${key}:white` }),
    ]);
    list.push([
      `pink_${db}dB`,
      (x, _sr, key) => addPinkNoise(x, { snrDb: db, rng: `${key}:pink` }),
    ]);
  }
  list.push(["level_-20dB", (x) => gain(x, { gainDb: -20 })]);
  list.push([
    "telephone_300-3400Hz",
    (x, sr) => bandLimit(x, { sr, lowHz: 300, highHz: 3400 }),
  ]);
  if (lame) list.push(["mp3_64k", (x) => x]);
  return list;
}

async function hasLame(): Promise<boolean> {
  try {
    return (await new Deno.Command("lame", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output()).success;
  } catch {
    return false;
  }
}

/** Scores each fold model of `runDir` on its test clips under each corruption. */
async function robustness(
  runDir: string,
  items: readonly Utterance[],
  tmp: string,
): Promise<void> {
  const run = resolveModelRun(runDir);
  const lame = await hasLame();
  if (!lame) console.log("robustness mp3 skipped: no lame encoder");
  const sr = 16000;
  let clean: number | null = null;
  for (const [name, corrupt] of conditions(lame)) {
    const dir = path.join(tmp, `robust-${name}`);
    for (const item of items) {
      const { samples } = await loadAudio(item.path, { sr });
      const rel = path.join(
        path.basename(path.dirname(item.path)),
        path.basename(item.path).replace(/\.[^.]+$/, ""),
      );
      const wav = path.join(dir, `${rel}.wav`);
      Deno.mkdirSync(path.dirname(wav), { recursive: true });
      Deno.writeFileSync(wav, encodeWav(corrupt(samples, sr, rel), sr));
      if (name === "mp3_64k") {
        const mp3 = path.join(dir, `${rel}.mp3`);
        const enc = await new Deno.Command("lame", {
          args: ["--quiet", "-b", "64", wav, mp3],
        }).output();
        if (!enc.success) throw new Error(`lame failed on ${wav}`);
        Deno.removeSync(wav);
      }
    }
    const corrupted = (await scanCorpus([dir])).items;
    // A speaker-normalised model is also scored clip by clip on clean audio:
    // what `deno task predict <one file>` gets without the speaker's folder.
    const modes = name === "clean" && run.models[0].card.featureConfig
          .normalize === "speaker"
      ? [true, false]
      : [true];
    for (const bySpeaker of modes) {
      const uars: number[] = [];
      for (const m of run.models) {
        const test = new Set(m.card.split.speakers.test);
        const predictor = await loadPredictor(m.dir);
        try {
          const r = await evaluatePredictor(
            predictor,
            corrupted.filter((c) => test.has(c.speaker)),
            { progress: "silent", bySpeaker },
          );
          uars.push(r.metrics.uar);
        } finally {
          predictor.dispose();
        }
      }
      const s = meanStd(uars);
      clean ??= s.mean;
      console.log(
        `robustness condition=${name}${
          bySpeaker ? "" : "_single_file"
        } uar_mean=${fmt(s.mean)} uar_std=${fmt(s.std)} delta_vs_clean=${
          fmt(s.mean - clean)
        }`,
      );
    }
    Deno.removeSync(dir, { recursive: true });
  }
}

/** Runs the benchmark (see the module documentation). */
export async function run(args: string[]): Promise<void> {
  const program = createCommand(
    "bench quality",
    "cross-validated speaker-independent UAR of a recipe on the 16 development actors, the classical baseline on the same folds, robustness",
  )
    .option(
      "--config <file.json>",
      "recipe to score (default: the default recipe)",
    )
    .option(
      "--seeds <n>",
      "training seeds 1…n on the same folds",
      parsePositiveInt,
      1,
    )
    .option("--split-seed <n>", "seed of the fold groups", parsePositiveInt, 1)
    .option("--folds <k>", "leave-speakers-out folds", parsePositiveInt, 4)
    .option("--data <dir...>", "corpus folders", [...DEV_CORPORA])
    .option("--no-baseline", "skip the classical baseline")
    .option("--no-robustness", "skip the robustness figures")
    .option(
      "--keep <dir>",
      "keep the trained runs in <dir> (default: a temporary folder, removed)",
    )
    .option(
      "--reuse",
      "with --keep: score the finished runs already in <dir> instead of training them again",
    );
  program.parse(args, { from: "user" });
  const flags = program.opts<Flags>();
  if (flags.reuse && !flags.keep) throw new Error("--reuse needs --keep <dir>");
  const started = performance.now();
  for (const d of flags.data) {
    try {
      Deno.statSync(d);
    } catch {
      throw new Error(
        `${d}: no such corpus folder (the development actors live in ../shared)`,
      );
    }
  }
  const items = (await scanCorpus(flags.data)).items;
  const folds = speakerGroups(items, flags.folds, flags.splitSeed);
  console.log(
    `quality_folds split_seed=${flags.splitSeed} ${
      folds.map((f, i) => `fold${i + 1}=${f.join(",")}`).join(" ")
    } clips=${items.length}`,
  );
  const tmp = Deno.makeTempDirSync({ prefix: "ser-bench-quality-" });
  const runs = flags.keep ? path.resolve(flags.keep) : tmp;
  try {
    const all: number[] = [];
    const accs: number[] = [];
    const seedMeans: number[] = [];
    let trainWall = 0;
    const runDirs: string[] = [];
    for (let seed = 1; seed <= flags.seeds; seed++) {
      const out = path.join(runs, `seed-${seed}`);
      if (flags.reuse && isEnsembleDir(out)) {
        console.log(`quality_reuse seed=${seed} run=${out}`);
      } else trainWall += await trainFolds(flags, seed, out);
      runDirs.push(out);
      const run = resolveModelRun(out);
      const uars: number[] = [];
      for (const [i, m] of run.models.entries()) {
        const t = m.card.metrics.test!;
        uars.push(t.uar);
        accs.push(t.accuracy);
        console.log(
          `quality_fold seed=${seed} fold=${i + 1} test=${
            m.card.split.speakers.test.join(",")
          } uar=${fmt(t.uar)} accuracy=${fmt(t.accuracy)} train_s=${
            m.card.training.seconds.toFixed(0)
          }`,
        );
      }
      all.push(...uars);
      seedMeans.push(meanStd(uars).mean);
    }
    const s = meanStd(all);
    const seedStd = seedMeans.length > 1 ? meanStd(seedMeans).std : NaN;
    console.log(
      `quality uar_mean=${fmt(s.mean)} uar_std=${fmt(s.std)} accuracy_mean=${
        fmt(meanStd(accs).mean)
      } folds=${flags.folds} seeds=${flags.seeds} seed_std=${
        Number.isNaN(seedStd) ? "n/a" : fmt(seedStd)
      } train_wall_s=${trainWall.toFixed(0)}`,
    );
    if (flags.baseline) {
      const base = await baseline(items, folds, tmp);
      if (base) {
        console.log(
          `gap uar_vs_baseline=${fmt(s.mean - meanStd(base).mean)}`,
        );
      }
    }
    if (flags.robustness) await robustness(runDirs[0], items, tmp);
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
  console.log(
    `bench_wall_s=${((performance.now() - started) / 1000).toFixed(0)}`,
  );
}
