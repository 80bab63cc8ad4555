import assert from "node:assert/strict";
import { evaluate } from "../../lib/evaluate/metrics.ts";
import {
  classDistributionFigure,
  confusionFigure,
  featureHeatmap,
  type Figure,
  minMaxEnvelope,
  perClassF1Figure,
  predictionTimelineFigure,
  trainingCurvesFigure,
  waveformFigure,
} from "../../lib/plots/mod.ts";

/** The figure survives a JSON round trip unchanged (no typed arrays, no NaN). */
function assertPlainJson(fig: Figure): void {
  assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig);
}

Deno.test("minMaxEnvelope bounds the points and keeps the extremes", () => {
  const n = 1_000_003;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = 0.5 * Math.sin(i / 37);
  x[123_457] = 0.99; // a one-sample click
  x[876_543] = -0.97;
  const env = minMaxEnvelope(x, 4000);
  assert.ok(env.index.length <= 4000, `${env.index.length} points`);
  assert.ok(env.index.length >= 3900, `${env.index.length} points`);
  assert.ok(env.index.includes(123_457));
  assert.ok(env.index.includes(876_543));
  assert.equal(Math.max(...env.value), x[123_457]);
  assert.equal(Math.min(...env.value), x[876_543]);
  for (let k = 1; k < env.index.length; k++) {
    assert.ok(env.index[k] > env.index[k - 1], "indices increase");
  }
  env.index.forEach((i, k) => assert.equal(env.value[k], x[i]));
  // A short signal is kept whole.
  assert.deepEqual(minMaxEnvelope([0.1, -0.2, 0.3], 4000).index, [0, 1, 2]);
  assert.throws(() => minMaxEnvelope(x, 1), /maxPoints must be an integer ≥ 2/);
});

Deno.test("waveformFigure: time axis, downsampled trace, silence shading", () => {
  const sr = 16000;
  const x = new Float32Array(sr * 10);
  x[sr * 5] = 0.8;
  const fig = waveformFigure(x, {
    sr,
    silences: [{ start_s: 0, end_s: 0.5 }, { start_s: 9, end_s: 10 }],
  });
  assertPlainJson(fig);
  const trace = fig.data[0] as { x: number[]; y: number[] };
  assert.ok(trace.x.length <= 4000);
  assert.equal(trace.x.length, trace.y.length);
  assert.equal(Math.max(...trace.y), 0.8);
  assert.equal(trace.x[trace.y.indexOf(0.8)], 5);
  const shapes = fig.layout.shapes as { x0: number; x1: number }[];
  assert.deepEqual(shapes.map((s) => [s.x0, s.x1]), [[0, 0.5], [9, 10]]);
  assert.deepEqual((fig.layout.xaxis as { range: number[] }).range, [0, 10]);
  assert.throws(() => waveformFigure(x, { sr: 0 }), /sr must be positive/);
});

Deno.test("featureHeatmap: z is dims × frames of the time-major matrix", () => {
  const frames = 4;
  const dims = 3;
  // value = 10·frame + dim
  const data = new Float32Array(frames * dims).map((_, k) =>
    10 * Math.floor(k / dims) + (k % dims)
  );
  const fig = featureHeatmap({ data, frames, dims }, {
    sr: 16000,
    hopLength: 8000,
  });
  assertPlainJson(fig);
  const t = fig.data[0] as { z: number[][]; x: number[]; y: number[] };
  assert.equal(t.z.length, dims);
  t.z.forEach((row) => assert.equal(row.length, frames));
  assert.deepEqual(t.z[2], [2, 12, 22, 32]);
  assert.deepEqual(t.x, [0, 0.5, 1, 1.5]);
  assert.deepEqual(t.y, [0, 1, 2]);
  assert.throws(
    () => featureHeatmap({ data, frames: 5, dims }),
    /holds 12 values, not frames × dims = 5 × 3/,
  );
});

Deno.test("classDistributionFigure: stacked counts per corpus and speaker", () => {
  const rows = [
    { emotion: "sad", corpus: "ravdess", speaker: "01" },
    { emotion: "happy", corpus: "ravdess", speaker: "01" },
    { emotion: "happy", corpus: "ravdess", speaker: "02" },
    { emotion: "boredom", corpus: "emodb", speaker: "03" },
    { emotion: "happy", corpus: "emodb", speaker: "03" },
  ];
  const fig = classDistributionFigure(rows, { by: "corpus" });
  assertPlainJson(fig);
  assert.equal(fig.layout.barmode, "stack");
  const traces = fig.data as { name: string; x: string[]; y: number[] }[];
  assert.deepEqual(traces.map((t) => t.name), ["happy", "sad", "boredom"]);
  assert.deepEqual(traces[0].x, ["emodb", "ravdess"]);
  assert.deepEqual(traces.map((t) => t.y), [[1, 2], [0, 1], [1, 0]]);
  const bySpeaker = classDistributionFigure(rows, { by: "speaker" });
  const total = (bySpeaker.data as { y: number[] }[]).reduce(
    (a, t) => a + t.y.reduce((s, v) => s + v, 0),
    0,
  );
  assert.equal(total, rows.length);
  assert.deepEqual((bySpeaker.data[0] as { x: string[] }).x, [
    "01",
    "02",
    "03",
  ]);
});

Deno.test("trainingCurvesFigure: train vs validation, best epoch marked", () => {
  // Shaped like the training loop's EpochRecord (extra fields are ignored).
  const history = [
    {
      epoch: 1,
      loss: 2.0,
      accuracy: 0.2,
      valLoss: 2.1,
      valAccuracy: 0.2,
      valUar: 0.18,
      learningRate: 1e-3,
      seconds: 3,
    },
    {
      epoch: 2,
      loss: 1.5,
      accuracy: 0.4,
      valLoss: 1.8,
      valAccuracy: 0.35,
      valUar: 0.33,
      learningRate: 1e-3,
      seconds: 3,
    },
    {
      epoch: 3,
      loss: 1.1,
      accuracy: 0.6,
      valLoss: 1.9,
      valAccuracy: 0.3,
      valUar: 0.29,
      learningRate: 1e-3,
      seconds: 3,
    },
  ];
  const fig = trainingCurvesFigure(history);
  assertPlainJson(fig);
  const traces = fig.data as { name: string; y: number[]; yaxis: string }[];
  assert.deepEqual(traces.map((t) => t.name), [
    "train loss",
    "validation loss",
    "train accuracy",
    "validation accuracy",
    "validation UAR",
  ]);
  assert.deepEqual(traces[1].y, [2.1, 1.8, 1.9]);
  assert.deepEqual(traces.map((t) => t.yaxis), ["y", "y", "y2", "y2", "y2"]);
  const shapes = fig.layout.shapes as { x0: number }[];
  assert.deepEqual(shapes.map((s) => s.x0), [2, 2]);
  assert.throws(() => trainingCurvesFigure([]), /empty history/);
});

const METRICS = evaluate(
  ["angry", "angry", "sad", "sad", "sad", "happy"],
  ["angry", "sad", "sad", "sad", "angry", "sad"],
  { labels: ["angry", "happy", "sad"] },
);

Deno.test("confusionFigure: z is the row-normalised matrix, text the counts", () => {
  const fig = confusionFigure(METRICS);
  assertPlainJson(fig);
  const t = fig.data[0] as {
    z: number[][];
    text: string[][];
    x: string[];
    y: string[];
    texttemplate: string;
  };
  assert.deepEqual(t.z, METRICS.confusionNormalized);
  assert.equal(t.z.length, 3);
  t.z.forEach((row) => assert.equal(row.length, 3));
  assert.deepEqual(t.text, [["1", "0", "1"], ["0", "0", "1"], ["1", "0", "2"]]);
  assert.deepEqual(t.z[1], [0, 0, 1]);
  assert.deepEqual(t.x, ["angry", "happy", "sad"]);
  assert.deepEqual(t.y, t.x);
  assert.match(t.texttemplate, /%\{text\}/);
  assert.equal(
    (fig.layout.yaxis as { autorange: string }).autorange,
    "reversed",
  );
  assert.match(
    (fig.layout.title as { text: string }).text,
    /accuracy 50\.0%, UAR 38\.9%/,
  );
});

Deno.test("perClassF1Figure: one bar per class, macro-F1 line; runs side by side", () => {
  const fig = perClassF1Figure(METRICS);
  assertPlainJson(fig);
  const t = fig.data[0] as { x: string[]; y: number[] };
  assert.deepEqual(t.x, ["angry", "happy", "sad"]);
  assert.deepEqual(t.y, METRICS.perClass.map((s) => s.f1));
  const line = (fig.layout.shapes as { y0: number }[])[0];
  assert.equal(line.y0, METRICS.macroAvg.f1);
  const other = evaluate(["angry", "sad"], ["angry", "sad"], {
    labels: ["angry", "sad"],
  });
  const two = perClassF1Figure([
    { name: "random split", metrics: other },
    { name: "speaker split", metrics: METRICS },
  ]);
  const traces = two.data as {
    name: string;
    x: string[];
    y: (number | null)[];
  }[];
  assert.deepEqual(traces.map((r) => r.name), [
    "random split",
    "speaker split",
  ]);
  assert.deepEqual(traces[0].x, ["angry", "sad", "happy"]);
  assert.deepEqual(traces[0].y, [1, 1, null]);
  assert.equal(two.layout.barmode, "group");
});

Deno.test("predictionTimelineFigure: stacked probabilities, top class, silence", () => {
  const windows = [
    {
      start_s: 0,
      end_s: 3,
      emotion: "sad",
      probabilities: { sad: 0.7, angry: 0.2, neutral: 0.1 },
    },
    {
      start_s: 1,
      end_s: 4,
      emotion: "neutral",
      probabilities: { sad: 0.2, angry: 0.1, neutral: 0.7 },
      silent: true,
    },
    {
      start_s: 2,
      end_s: 5,
      emotion: "angry",
      probabilities: { sad: 0.1, angry: 0.8, neutral: 0.1 },
    },
  ];
  const fig = predictionTimelineFigure(windows, {
    silences: [{ start_s: 5.5, end_s: 6 }],
  });
  assertPlainJson(fig);
  const traces = fig.data as {
    name: string;
    x: number[];
    y: (number | string)[];
    stackgroup?: string;
    yaxis?: string;
  }[];
  assert.deepEqual(traces.map((t) => t.name), [
    "neutral",
    "sad",
    "angry",
    "top class",
  ]);
  assert.ok(traces.slice(0, 3).every((t) => t.stackgroup === "probabilities"));
  assert.deepEqual(traces[0].x, [1.5, 2.5, 3.5]);
  assert.deepEqual(traces[2].y, [0.2, 0.1, 0.8]);
  // Stacked areas sum to 1 at every window.
  for (let k = 0; k < 3; k++) {
    const sum = traces.slice(0, 3).reduce((a, t) => a + (t.y[k] as number), 0);
    assert.ok(Math.abs(sum - 1) < 1e-9);
  }
  assert.deepEqual(traces[3].y, ["sad", "neutral", "angry"]);
  assert.equal(traces[3].yaxis, "y2");
  const shapes = fig.layout.shapes as { x0: number; x1: number }[];
  assert.deepEqual(shapes.map((s) => [s.x0, s.x1]), [[1, 4], [5.5, 6]]);
  assert.deepEqual((fig.layout.xaxis as { range: number[] }).range, [0, 6]);
  assert.throws(() => predictionTimelineFigure([]), /no windows/);
});
