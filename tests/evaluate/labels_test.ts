import assert from "node:assert/strict";
import {
  describeMapping,
  mapLabelSets,
  mapProbabilities,
  restrictSamples,
} from "../../lib/evaluate/labels.ts";
import { evaluate } from "../../lib/evaluate/metrics.ts";

// RAVDESS's eight emotions (the model's output order) vs EmoDB's seven,
// EmoDB's given as free-form words ("anger", "fear").
const RAVDESS = [
  "neutral",
  "calm",
  "happy",
  "sad",
  "angry",
  "fearful",
  "disgust",
  "surprised",
];
const EMODB = [
  "anger",
  "boredom",
  "disgust",
  "fear",
  "happy",
  "sad",
  "neutral",
];

Deno.test("mapLabelSets: intersection, merges and drops on both sides", () => {
  const m = mapLabelSets(RAVDESS, EMODB, {
    merge: { calm: "neutral" },
    trainName: "RAVDESS",
    testName: "EmoDB",
  });
  assert.deepEqual(m.labels, [
    "neutral",
    "happy",
    "sad",
    "angry",
    "fearful",
    "disgust",
  ]);
  assert.deepEqual(m.train.merged, [["calm", "neutral"]]);
  assert.deepEqual(m.train.dropped, ["surprised"]);
  assert.equal(m.train.toShared.calm, "neutral");
  assert.equal(m.train.toShared.surprised, null);
  assert.deepEqual(m.test.dropped, ["boredom"]);
  assert.equal(m.test.toShared.anger, "angry");
  assert.equal(m.test.toShared.fear, "fearful");
  assert.equal(
    describeMapping(m),
    "evaluated on 6 shared emotions: neutral, happy, sad, angry, fearful, disgust\n" +
      "RAVDESS: 8 labels; merged calm→neutral; dropped surprised\n" +
      "EmoDB: 7 labels; dropped boredom\n",
  );
});

Deno.test("mapLabelSets without merge drops calm", () => {
  const m = mapLabelSets(RAVDESS, EMODB);
  assert.deepEqual(m.train.dropped, ["calm", "surprised"]);
  assert.equal(m.labels.length, 6);
});

Deno.test("restrictSamples keeps shared emotions and counts drops", () => {
  const m = mapLabelSets(RAVDESS, EMODB, { merge: { calm: "neutral" } });
  const r = restrictSamples(m, [
    "anger",
    "boredom",
    "fear",
    "boredom",
    "neutral",
  ]);
  assert.deepEqual(r.indices, [0, 2, 4]);
  assert.deepEqual(r.yTrue, ["angry", "fearful", "neutral"]);
  assert.deepEqual(r.droppedCounts, { boredom: 2 });
  assert.throws(
    () => restrictSamples(m, ["anger", "calm"]),
    /test: sample 1 has label "calm", not among anger, boredom/,
  );
});

Deno.test("mapProbabilities sums merged classes, drops the rest, renormalises", () => {
  const m = mapLabelSets(RAVDESS, EMODB, { merge: { calm: "neutral" } });
  // neutral .1 + calm .3 → neutral .4; surprised .5 is left out (sum .5).
  const p = [0.1, 0.3, 0.05, 0.05, 0, 0, 0, 0.5];
  const out = mapProbabilities(m, [
    p,
    new Float32Array([0, 0, 0, 0, 1, 0, 0, 0]),
  ]);
  const expected = [0.8, 0.1, 0.1, 0, 0, 0];
  out.probabilities[0].forEach((v, j) =>
    assert.ok(Math.abs(v - expected[j]) < 1e-12, `p[${j}] = ${v}`)
  );
  assert.deepEqual(out.predicted, ["neutral", "angry"]);
  const metrics = evaluate(["neutral", "sad"], out.predicted, {
    labels: m.labels,
  });
  assert.equal(metrics.accuracy, 0.5);
  assert.throws(
    () => mapProbabilities(m, [[1, 0]]),
    /row 0 has 2 values, the model has 8/,
  );
  assert.throws(
    () => mapProbabilities(m, [[0, 0, 0, 0, 0, 0, 0, 1]]),
    /row 0 puts no mass on neutral/,
  );
});

Deno.test("mapLabelSets errors name the label and the corpus", () => {
  assert.throws(
    () => mapLabelSets(["happy", "meh"], EMODB, { trainName: "mine" }),
    /mine: label "meh" is not in the shared vocabulary/,
  );
  assert.throws(
    () =>
      mapLabelSets(["calm"], ["boredom"], { trainName: "A", testName: "B" }),
    /A \(calm\) and B \(boredom\) share no emotion/,
  );
  assert.throws(
    () =>
      mapLabelSets(RAVDESS, EMODB, { merge: { calm: "mellow" as "neutral" } }),
    /merge: unknown emotion "mellow"/,
  );
});
