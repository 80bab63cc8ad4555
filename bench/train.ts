/**
 * `deno task bench train [--samples 512] [--epochs 2] [--batch 32]
 * [--python python3] [--no-torch] [--profile] [--no-epoch-time]
 * [--train-workers N] [--curve-epochs 8] [--no-curve]` — training speed of the
 * CNN+LSTM of `../shared/anchors/torch_cnn_lstm.py` in one process and one
 * run: input 128 frames × 40, Conv1D 40→64 k5 same + BatchNorm + ReLU +
 * MaxPool 2, Conv1D 64→128 k5 same + BatchNorm + ReLU + MaxPool 2, LSTM 128
 * (last step, sigmoid gates as PyTorch), Dropout 0.3, Dense 64 ReLU, Dense 8;
 * Adam 1e-3, cross-entropy, random input; one warm-up epoch, then `--epochs`
 * timed epochs of `--samples` samples.
 *
 * Contenders: stock tfjs-layers on wasm with TF.js 4.22's own wasm kernels
 * (plus our `Conv2DBackpropFilter`, without which convolutions cannot train:
 * the state before this project's kernels), stock tfjs-layers with our wasm
 * training kernels, the same model with `FusedLSTM` and `FusedBatchNormalization`, and the PyTorch script
 * with `--threads 1` and with one thread per core (PyTorch's default) as a
 * subprocess when a Python with torch is found (`--python`, else `python3`,
 * then `/usr/bin/python3`); then this project's own training loop (`fit`)
 * on the fused model in this thread and data-parallel on `--train-workers`
 * gradient workers (default: one per core), with where the time of a step
 * went (`train_bench ours_fit_workers_<n>_steps …`) and the ratios
 * all-core / 1-worker and all-core / PyTorch's best (`train_bench
 * ratio_workers …`), and the loss curves of `deno task train` on the 16
 * development actors with 1 and all-core workers (`train_bench curve …`,
 * `train_bench epoch_time_16_actors …`; `--no-curve` skips them). Prints
 * `train_bench <name> samples_per_s=<float> samples_per_cpu_s=<float>` per
 * contender (CPU time: the machine may be shared) and the ratios; `--profile`
 * adds the top kernels of one training step of the fused model. Last, the
 * end-to-end epoch time of `deno task train` on the 240 shared RAVDESS
 * clips before (stock layers on TF.js 4.22's kernels), with the stock
 * layers on our kernels, and after (the default: fused layers) (`train_bench epoch_time …`;
 * `--no-epoch-time` skips it).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import process from "node:process";
import {
  describeBackend,
  initBackend,
  WASM_TRAINING_KERNEL_NAMES,
} from "../lib/tfjs/mod.ts";
import { createRng, withSeededMathRandom } from "../lib/random.ts";
import { exists, SHARED_DIR, SHARED_RAVDESS_DIR } from "../lib/paths.ts";
import { trainRun } from "../lib/train/run.ts";
import { fit, type FitResult } from "../lib/train/loop.ts";
import { DEFAULT_TRAIN_CONFIG } from "../lib/model/recipe.ts";
import type { EpochRecord } from "../lib/run/mod.ts";
import { fusedLstm, type LstmLayerArgs } from "../lib/model/lstm.ts";
import { fusedBatchNormalization } from "../lib/model/batch_norm.ts";
import { buildModel } from "../lib/model/cnn_lstm.ts";
import {
  DEFAULT_MODEL_CONFIG,
  mergeModelConfig,
  type ModelConfig,
  poolWindow,
} from "../lib/model/config.ts";

const FRAMES = 128;
const DIMS = 40;
const CLASSES = 8;

/** Makers of the layers that have a fused version. */
interface LayerMakers {
  lstm: (args: LstmLayerArgs) => tf.layers.Layer;
  batchNorm: () => tf.layers.Layer;
}

/** The anchor architecture, built with `make`'s LSTM and batch norm. */
function buildAnchorModel(make: LayerMakers): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv1d({
    inputShape: [FRAMES, DIMS],
    filters: 64,
    kernelSize: 5,
    padding: "same",
  }));
  model.add(make.batchNorm());
  model.add(tf.layers.reLU());
  model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  model.add(tf.layers.conv1d({ filters: 128, kernelSize: 5, padding: "same" }));
  model.add(make.batchNorm());
  model.add(tf.layers.reLU());
  model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  model.add(make.lstm({ units: 128, recurrentActivation: "sigmoid" }));
  model.add(tf.layers.dropout({ rate: 0.3 }));
  model.add(tf.layers.dense({ units: 64, activation: "relu" }));
  model.add(tf.layers.dense({ units: CLASSES, activation: "softmax" }));
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: "categoricalCrossentropy",
  });
  return model;
}

/** Random inputs `samples × frames × dims` and one-hot labels (seeded). */
function randomData(
  samples: number,
  frames = FRAMES,
  dims = DIMS,
): { x: tf.Tensor; y: tf.Tensor } {
  const rng = createRng("bench-train");
  const x = Float32Array.from(
    { length: samples * frames * dims },
    () => rng.normal(),
  );
  const labels = Int32Array.from(
    { length: samples },
    () => rng.int(0, CLASSES),
  );
  return {
    x: tf.tensor3d(x, [samples, frames, dims]),
    y: tf.oneHot(tf.tensor1d(labels, "int32"), CLASSES),
  };
}

/**
 * A 2-D contender: `buildModel`'s network for `frames` frames of `bands`
 * log-mel bands with Δ and ΔΔ (3 input channels).
 */
interface Conv2dContender {
  name: string;
  frames: number;
  bands: number;
  config: ModelConfig;
}

/**
 * The 2-D contenders: the default network ({@linkcode DEFAULT_MODEL_CONFIG})
 * on the default recipe's input (100 frames of 40 bands) and on the recipe
 * research's (300 and 200 frames of 64 bands), with half the filters, on 40
 * mel bands with 3 blocks, and with residual blocks.
 */
const CONV2D_CONTENDERS: readonly Conv2dContender[] = [
  { name: "default", frames: 100, bands: 40, config: DEFAULT_MODEL_CONFIG },
  { name: "anchor", frames: 300, bands: 64, config: DEFAULT_MODEL_CONFIG },
  { name: "anchor_200f", frames: 200, bands: 64, config: DEFAULT_MODEL_CONFIG },
  {
    name: "half_filters",
    frames: 300,
    bands: 64,
    config: mergeModelConfig(DEFAULT_MODEL_CONFIG, {
      conv: { filters: [8, 16, 32, 64] },
    }),
  },
  {
    name: "3blocks_40mel",
    frames: 300,
    bands: 40,
    config: mergeModelConfig(DEFAULT_MODEL_CONFIG, {
      conv: { filters: [16, 32, 64] },
    }),
  },
  {
    name: "residual",
    frames: 300,
    bands: 64,
    config: mergeModelConfig(DEFAULT_MODEL_CONFIG, {
      conv: { block: "residual" },
    }),
  },
];

/** `bench/torch_conv2d.py`'s options for the same network as `c`. */
function torchConv2dOptions(
  c: Conv2dContender,
): Record<string, string | number> {
  const { conv, rnn } = c.config;
  const [poolT, poolF] = poolWindow(conv);
  return {
    T: c.frames,
    bands: c.bands,
    channels: conv.inputChannels,
    filters: conv.filters.join(","),
    kernel: conv.kernelSize,
    "pool-t": poolT,
    "pool-f": poolF,
    residual: conv.block === "residual" ? 1 : 0,
    "conv-drop": conv.dropout,
    units: rnn.units,
    bi: rnn.bidirectional ? 1 : 0,
    pooling: c.config.pooling,
    "head-drop": c.config.dropout,
    dense: c.config.dense.join(","),
    classes: CLASSES,
  };
}

/** Training speed per second of wall-clock time and of process CPU time. */
interface Speed {
  wall: number;
  cpu: number;
}

/** Prints `train_bench <name> samples_per_s=… samples_per_cpu_s=…<extra>`. */
function speedLine(name: string, speed: Speed, extra = ""): void {
  console.log(
    `train_bench ${name} samples_per_s=${speed.wall.toFixed(1)} ` +
      `samples_per_cpu_s=${speed.cpu.toFixed(1)}${extra}`,
  );
}

/** Trains one warm-up epoch, then times `epochs` epochs. */
async function trainSpeed(
  model: tf.LayersModel,
  data: { x: tf.Tensor; y: tf.Tensor },
  batch: number,
  epochs: number,
): Promise<Speed> {
  const fit = (n: number) =>
    model.fit(data.x, data.y, {
      batchSize: batch,
      epochs: n,
      shuffle: false,
      verbose: 0,
    });
  await fit(1);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fit(epochs);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const n = epochs * data.x.shape[0];
  return { wall: n / seconds, cpu: n / ((cpu.user + cpu.system) / 1e6) };
}

/**
 * Speed of this project's training loop (`fit`, lib/train/loop.ts) on the
 * anchor model with `trainWorkers` gradient workers (1: in this thread):
 * Adam at 1e-3, plain cross-entropy, one warm-up epoch, then `epochs`
 * timed epochs (their `seconds` in the history; CPU time of every thread).
 */
async function fitSpeed(
  make: LayerMakers,
  samples: number,
  batch: number,
  epochs: number,
  trainWorkers: number,
): Promise<{ speed: Speed; parallel?: FitResult["parallel"] }> {
  const rng = createRng("bench-train");
  const data = {
    x: Float32Array.from(
      { length: samples * FRAMES * DIMS },
      () => rng.normal(),
    ),
    y: Int32Array.from({ length: samples }, () => rng.int(0, CLASSES)),
    n: samples,
    frames: FRAMES,
    dims: DIMS,
    lengths: new Int32Array(samples).fill(FRAMES),
  };
  const empty = { ...data, x: new Float32Array(0), y: new Int32Array(0), n: 0 };
  const model = await withSeededMathRandom(
    "bench-train",
    () => buildAnchorModel(make),
  );
  let cpu0 = process.cpuUsage();
  const result = await fit(model, data, empty, {
    labels: Array.from({ length: CLASSES }, (_, i) => `c${i}`),
    config: {
      ...DEFAULT_TRAIN_CONFIG,
      epochs: epochs + 1,
      batchSize: batch,
      learningRate: 1e-3,
      schedule: "constant",
      keep: "last",
      classWeights: false,
    },
    trainWorkers,
    progress: "silent",
    onEpochEnd: (state) => {
      if (state.epoch === 1) cpu0 = process.cpuUsage();
    },
  });
  const cpu = process.cpuUsage(cpu0);
  model.dispose();
  const seconds = result.state.history.slice(1)
    .reduce((s, e) => s + e.seconds, 0);
  const n = epochs * samples;
  return {
    speed: { wall: n / seconds, cpu: n / ((cpu.user + cpu.system) / 1e6) },
    parallel: result.parallel,
  };
}

/** Prints where the time of a data-parallel fit's steps went (ms per step). */
function parallelLine(name: string, p: NonNullable<FitResult["parallel"]>) {
  const per = (ms: number) => (ms / Math.max(p.steps, 1)).toFixed(2);
  console.log(
    `train_bench ${name} workers=${p.workers} steps=${p.steps} step_ms=${
      per(p.totalMs)
    } compute_ms=${per(p.computeMs)} worker_copy_ms=${
      per(p.workerCopyMs)
    } sync_ms=${per(p.waitMs - p.computeMs - p.workerCopyMs)} send_ms=${
      per(p.sendMs)
    } reduce_ms=${per(p.reduceMs)} optimizer_ms=${per(p.applyMs)}`,
  );
}

/** Prints the kernels taking most time in one training step of `model`. */
async function profileStep(
  model: tf.LayersModel,
  data: { x: tf.Tensor; y: tf.Tensor },
  batch: number,
): Promise<void> {
  const xb = tf.slice(data.x, 0, batch);
  const yb = tf.slice(data.y, 0, batch);
  await model.trainOnBatch(xb, yb);
  const t0 = performance.now();
  const info = await tf.profile(() => model.trainOnBatch(xb, yb));
  const wall = performance.now() - t0;
  const byName = new Map<string, { ms: number; count: number }>();
  for (const k of info.kernels) {
    const entry = byName.get(k.name) ?? { ms: 0, count: 0 };
    entry.ms += k.kernelTimeMs as number;
    entry.count++;
    byName.set(k.name, entry);
  }
  const total = [...byName.values()].reduce((s, e) => s + e.ms, 0);
  console.log(
    `profile step_ms=${
      wall.toFixed(1)
    } kernels=${info.kernels.length} kernel_ms=${total.toFixed(1)}`,
  );
  [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)
    .forEach(([name, e]) =>
      console.log(
        `profile kernel=${name} ms=${e.ms.toFixed(2)} count=${e.count}`,
      )
    );
  tf.dispose([xb, yb]);
}

/**
 * Runs the anchor script under `python` with its `time.perf_counter` also
 * recording `time.process_time`, so the timed region's CPU seconds are known
 * too (printed as `cpu_seconds=`).
 */
const TORCH_WRAPPER = `
import runpy, sys, time
marks, wall = [], time.perf_counter
def perf_counter():
    marks.append(time.process_time())
    return wall()
time.perf_counter = perf_counter
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
print(f"cpu_seconds={marks[-1] - marks[-2]}")
`;

/** Runs a PyTorch reference script with one thread; its speed, or why not. */
async function torchSpeed(
  pythons: string[],
  script: string,
  options: Record<string, string | number>,
): Promise<{ speed: Speed; python: string } | { reason: string }> {
  for (const python of pythons) {
    let probe: Deno.CommandOutput;
    try {
      probe = await new Deno.Command(python, {
        args: ["-c", "import torch"],
        stdout: "null",
        stderr: "null",
      }).output();
    } catch {
      continue;
    }
    if (!probe.success) continue;
    const out = await new Deno.Command(python, {
      args: [
        "-c",
        TORCH_WRAPPER,
        script,
        ...Object.entries({ threads: 1, ...options })
          .flatMap(([k, v]) => [`--${k}`, String(v)]),
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    const wall = /samples_per_s=([\d.]+)/.exec(text);
    const cpu = /cpu_seconds=([\d.e-]+)/.exec(text);
    if (!out.success || !wall || !cpu) {
      throw new Error(
        `${script} failed under ${python}: ${
          new TextDecoder().decode(out.stderr).trim().split("\n").pop()
        }`,
      );
    }
    const timed = Number(options.epochs) * Number(options.samples);
    return {
      speed: { wall: Number(wall[1]), cpu: timed / Number(cpu[1]) },
      python,
    };
  }
  return { reason: `no torch in ${pythons.join(", ")}` };
}

/**
 * TF.js 4.22's own wasm kernels that `initBackend` replaces, captured before
 * it runs (the wasm package registers them on import). `Conv2DBackpropFilter`
 * has no stock kernel: without ours nothing with a convolution trains.
 */
function captureStockKernels(): tf.KernelConfig[] {
  return WASM_TRAINING_KERNEL_NAMES.flatMap((name) => {
    const config = tf.getKernel(name, "wasm");
    return config ? [config] : [];
  });
}

/** Runs `fn` with `configs` registered on wasm, then restores the previous. */
async function withKernels<T>(
  configs: tf.KernelConfig[],
  fn: () => Promise<T>,
): Promise<T> {
  const swap = (next: tf.KernelConfig[]) =>
    next.map((config) => {
      const previous = tf.getKernel(config.kernelName, "wasm")!;
      tf.unregisterKernel(config.kernelName, "wasm");
      tf.registerKernel(config);
      // Binds the kernel's wasm function (done at backend start only for the
      // kernels registered then).
      config.setupFunc?.(tf.backend());
      return previous;
    });
  const previous = swap(configs);
  try {
    return await fn();
  } finally {
    swap(previous);
  }
}

/** Runs the benchmark (see the module documentation). */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      samples: { type: "string", default: "512" },
      epochs: { type: "string", default: "2" },
      batch: { type: "string", default: "32" },
      python: { type: "string" },
      "no-torch": { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      "no-epoch-time": { type: "boolean", default: false },
      "train-workers": {
        type: "string",
        default: String(navigator.hardwareConcurrency),
      },
      "curve-epochs": { type: "string", default: "8" },
      "no-curve": { type: "boolean", default: false },
      conv2d: { type: "string", default: "all" },
      "conv2d-samples": { type: "string", default: "128" },
      "conv2d-only": { type: "boolean", default: false },
    },
  });
  const samples = Number(values.samples);
  const epochs = Number(values.epochs);
  const batch = Number(values.batch);
  const cores = Number(values["train-workers"]);
  const curveEpochs = Number(values["curve-epochs"]);
  const conv2dSamples = Number(values["conv2d-samples"]);
  for (
    const [name, v] of [
      ["samples", samples],
      ["epochs", epochs],
      [
        "batch",
        batch,
      ],
      ["conv2d-samples", conv2dSamples],
      ["train-workers", cores],
      [
        "curve-epochs",
        curveEpochs,
      ],
    ] as const
  ) {
    if (!Number.isInteger(v) || v <= 0) {
      throw new Error(`--${name} must be a positive integer, got ${v}`);
    }
  }
  const stockKernels = captureStockKernels();
  const info = await initBackend();
  console.log(
    `train_bench ${
      describeBackend(info)
    } samples=${samples} epochs=${epochs} batch=${batch}`,
  );
  const pythons = values.python
    ? [values.python]
    : ["python3", "/usr/bin/python3"];
  const conv2d = {
    contenders: conv2dContenders(values.conv2d),
    samples: conv2dSamples,
    epochs,
    batch,
    pythons: values["no-torch"] ? [] : pythons,
    profile: values.profile,
  };
  if (values["conv2d-only"]) return await conv2dSpeeds(conv2d);
  const data = randomData(samples);

  const stock: LayerMakers = {
    lstm: (a) => tf.layers.lstm(a),
    batchNorm: () => tf.layers.batchNormalization(),
  };
  const fused: LayerMakers = {
    lstm: fusedLstm,
    batchNorm: () => fusedBatchNormalization(),
  };
  const contenders: {
    name: string;
    make: LayerMakers;
    kernels: tf.KernelConfig[];
  }[] = [
    {
      name: "stock_tfjs_wasm_4.22_kernels",
      make: stock,
      kernels: stockKernels,
    },
    { name: "stock_tfjs_wasm", make: stock, kernels: [] },
    { name: "fused_tfjs_wasm", make: fused, kernels: [] },
  ];
  const line = speedLine;
  const speeds = new Map<string, Speed>();
  for (const { name, make, kernels } of contenders) {
    const model = buildAnchorModel(make);
    const speed = await withKernels(
      kernels,
      () => trainSpeed(model, data, batch, epochs),
    );
    speeds.set(name, speed);
    line(name, speed);
    if (values.profile && make === fused) {
      await profileStep(model, data, batch);
    }
    model.dispose();
  }
  // This project's training loop, in this thread and on `cores` workers.
  for (const workers of [1, cores]) {
    const r = await fitSpeed(fused, samples, batch, epochs, workers);
    speeds.set(`ours_${workers === 1 ? "1" : "all"}`, r.speed);
    line(`ours_fit_workers_${workers}`, r.speed);
    if (r.parallel) {
      parallelLine(`ours_fit_workers_${workers}_steps`, r.parallel);
    }
  }
  if (!values["no-torch"]) {
    // PyTorch's default is one thread per core.
    for (
      const [key, threads] of [["torch", 1], ["torch_all", cores]] as const
    ) {
      const result = await torchSpeed(
        pythons,
        path.join(SHARED_DIR, "anchors", "torch_cnn_lstm.py"),
        {
          samples,
          epochs,
          batch,
          T: FRAMES,
          F: DIMS,
          classes: CLASSES,
          threads,
        },
      );
      const name = `torch_cpu_threads_${threads}`;
      if ("speed" in result) {
        speeds.set(key, result.speed);
        line(name, result.speed, ` python=${result.python}`);
      } else {
        console.log(`train_bench ${name} skipped: ${result.reason}`);
      }
    }
  }
  const ratio = (a: string, b: string, key: "wall" | "cpu") =>
    speeds.has(a) && speeds.has(b)
      ? (speeds.get(a)![key] / speeds.get(b)![key]).toFixed(2)
      : "n/a";
  for (const key of ["wall", "cpu"] as const) {
    const ours = "fused_tfjs_wasm";
    console.log(
      `train_bench ratio_${key} ours/stock=${
        ratio(ours, "stock_tfjs_wasm", key)
      } ` +
        `ours/stock_4.22_kernels=${
          ratio(ours, "stock_tfjs_wasm_4.22_kernels", key)
        } ours/torch=${ratio(ours, "torch", key)}`,
    );
  }
  const best = ["torch", "torch_all"].filter((k) => speeds.has(k))
    .sort((a, b) => speeds.get(b)!.wall - speeds.get(a)!.wall)[0];
  console.log(
    `train_bench ratio_workers workers=${cores} all/1=${
      ratio("ours_all", "ours_1", "wall")
    } all/torch_best=${best ? ratio("ours_all", best, "wall") : "n/a"}${
      best ? ` torch_best=${best === "torch" ? 1 : cores}_threads` : ""
    } 1/torch_1thread=${ratio("ours_1", "torch", "wall")}`,
  );
  tf.dispose([data.x, data.y]);
  if (!values["no-curve"]) await workerCurves(cores, curveEpochs);
  await conv2dSpeeds(conv2d);
  if (!values["no-epoch-time"]) await epochTimes(stockKernels);
}

/**
 * `deno task train` on the 16 development actors (`../shared/data/ravdess`
 * and `ravdess16k`; default recipe, `epochs` epochs, no early stop) with 1
 * gradient worker (the path before data-parallel training) and with
 * `cores`: the loss curves side by side (`train_bench curve …` per epoch)
 * and the mean epoch time after the first (`train_bench
 * epoch_time_16_actors …`).
 */
async function workerCurves(cores: number, epochs: number): Promise<void> {
  const dirs = [
    SHARED_RAVDESS_DIR,
    path.join(SHARED_DIR, "data", "ravdess16k"),
  ];
  const absent = dirs.filter((d) => !exists(d));
  if (absent.length > 0) {
    console.log(`train_bench curve skipped: ${absent.join(", ")} absent`);
    return;
  }
  for (const trainWorkers of [1, cores]) {
    const out = Deno.makeTempDirSync({ prefix: "bench-train-curve-" });
    try {
      const result = await trainRun({
        data: dirs,
        out,
        trainConfig: { epochs, patience: 99 },
        trainWorkers,
        progress: "silent",
        log: () => {},
      });
      const history: EpochRecord[] = JSON.parse(
        await Deno.readTextFile(path.join(result.dir, "history.json")),
      );
      for (const e of history) {
        console.log(
          `train_bench curve workers=${trainWorkers} epoch=${e.epoch} loss=${
            e.loss.toFixed(4)
          } val_loss=${e.valLoss?.toFixed(4)} val_uar=${
            e.valUar?.toFixed(3)
          } seconds=${e.seconds.toFixed(2)}`,
        );
      }
      const later = history.slice(1).map((e) => e.seconds);
      const card = result.models[0].card;
      console.log(
        `train_bench epoch_time_16_actors workers=${trainWorkers} train_clips=${card.split.counts.train} seconds=${
          (later.reduce((a, b) => a + b, 0) / later.length).toFixed(2)
        } first=${history[0].seconds.toFixed(2)} test_uar=${
          result.test.uar.toFixed(3)
        }`,
      );
    } finally {
      Deno.removeSync(out, { recursive: true });
    }
  }
}

/** The contenders `--conv2d` names (`all`, `none` or a comma list). */
function conv2dContenders(names: string): readonly Conv2dContender[] {
  if (names === "all") return CONV2D_CONTENDERS;
  if (names === "none") return [];
  return names.split(",").map((name) => {
    const c = CONV2D_CONTENDERS.find((c) => c.name === name);
    if (!c) {
      throw new Error(
        `--conv2d: no contender "${name}" (known: ${
          CONV2D_CONTENDERS.map((c) => c.name).join(", ")
        }, or all, none)`,
      );
    }
    return c;
  });
}

/**
 * Training speed of each 2-D contender (fused layers, our kernels) on
 * `samples` random clips, and of the same network in PyTorch
 * (`bench/torch_conv2d.py`, one thread) when `pythons` holds a torch:
 * `train_bench conv2d_<name> …`, `train_bench torch_conv2d_<name> …` and
 * `train_bench ratio_conv2d_<name> wall=… cpu=…` (ours / PyTorch).
 */
async function conv2dSpeeds(options: {
  contenders: readonly Conv2dContender[];
  samples: number;
  epochs: number;
  batch: number;
  pythons: string[];
  profile: boolean;
}): Promise<void> {
  const { samples, epochs, batch } = options;
  const script = path.join(import.meta.dirname!, "torch_conv2d.py");
  for (const c of options.contenders) {
    const dims = c.config.conv.inputChannels * c.bands;
    const data = randomData(samples, c.frames, dims);
    const model = await withSeededMathRandom(
      "bench-train",
      () => buildModel(c.config, { frames: c.frames, dims }, CLASSES),
    );
    model.compile({
      optimizer: tf.train.adam(1e-3),
      loss: "categoricalCrossentropy",
    });
    const ours = await trainSpeed(model, data, batch, epochs);
    const geometry =
      `frames=${c.frames} bands=${c.bands} params=${model.countParams()}`;
    speedLine(`conv2d_${c.name}`, ours, ` ${geometry}`);
    if (options.profile) await profileStep(model, data, batch);
    model.dispose();
    tf.dispose([data.x, data.y]);
    if (options.pythons.length === 0) continue;
    const result = await torchSpeed(options.pythons, script, {
      ...torchConv2dOptions(c),
      samples,
      epochs,
      batch,
    });
    if (!("speed" in result)) {
      console.log(
        `train_bench torch_conv2d_${c.name} skipped: ${result.reason}`,
      );
      continue;
    }
    speedLine(`torch_conv2d_${c.name}`, result.speed, ` ${geometry}`);
    console.log(
      `train_bench ratio_conv2d_${c.name} wall=${
        (ours.wall / result.speed.wall).toFixed(2)
      } cpu=${(ours.cpu / result.speed.cpu).toFixed(2)}`,
    );
  }
}

/**
 * End-to-end epoch time of `deno task train` on the shared RAVDESS clips
 * (test actor 04): "before" is the stock layers on TF.js 4.22's own wasm
 * kernels (`stockKernels`), then the stock layers on our kernels, and
 * "after" the default (fused LSTM and batch norm, our kernels); 3 epochs
 * each, the first (warm-up) left out of the mean.
 */
async function epochTimes(stockKernels: tf.KernelConfig[]): Promise<void> {
  if (!exists(SHARED_RAVDESS_DIR)) {
    console.log(`train_bench epoch_time skipped: ${SHARED_RAVDESS_DIR} absent`);
    return;
  }
  const runs = [
    { name: "before", layers: "stock", kernels: stockKernels },
    { name: "stock_layers", layers: "stock", kernels: [] },
    { name: "after", layers: "fused", kernels: [] },
  ] as const;
  for (const { name, layers, kernels } of runs) {
    const result = await withKernels([...kernels], () =>
      trainRun({
        data: [SHARED_RAVDESS_DIR],
        out: Deno.makeTempDirSync({ prefix: `bench-train-${name}-` }),
        testSpeakers: ["4"],
        trainConfig: { epochs: 3, patience: 99 },
        // The kernels' figures: one thread (workers: see workerCurves).
        trainWorkers: 1,
        layers,
        progress: "silent",
        log: () => {},
      }));
    const history: { seconds: number }[] = JSON.parse(
      await Deno.readTextFile(path.join(result.dir, "history.json")),
    );
    const later = history.slice(1).map((e) => e.seconds);
    const mean = later.reduce((a, b) => a + b, 0) / later.length;
    console.log(
      `train_bench epoch_time run=${name} layers=${layers} clips=240 seconds=${
        mean.toFixed(2)
      } first=${history[0].seconds.toFixed(2)}`,
    );
  }
}
