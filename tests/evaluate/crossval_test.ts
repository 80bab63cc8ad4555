/**
 * Cross-validation summary and run comparison on fixed folds.
 *
 * Expected means / sample stds come from Python 3.11 offline:
 * statistics.mean / statistics.stdev over the per-fold values of
 * sklearn 1.2.1 accuracy_score, balanced_accuracy_score and
 * f1_score(average="macro" | "weighted", labels=["happy", "sad"]) on FOLDS;
 * pooled: confusion_matrix / balanced_accuracy_score / f1_score(average=None)
 * on the concatenated folds.
 */
import assert from "node:assert/strict";
import {
  compareRuns,
  crossValidationToJson,
  formatCrossValidation,
  meanStd,
  summarizeFolds,
} from "../../lib/evaluate/crossval.ts";
import { evaluate } from "../../lib/evaluate/metrics.ts";

const LABELS = ["happy", "sad"];
const FOLDS: [string[], string[]][] = [
  [["happy", "happy", "sad", "sad"], ["happy", "happy", "sad", "sad"]],
  [["happy", "happy", "sad", "sad"], ["happy", "sad", "sad", "sad"]],
  [["happy", "sad", "sad", "sad"], ["sad", "sad", "sad", "happy"]],
];
const folds = FOLDS.map(([t, p], i) => ({
  name: `actor 0${i + 1}`,
  metrics: evaluate(t, p, { labels: LABELS }),
}));

function close(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) < 1e-12,
    `${what}: ${actual} != ${expected}`,
  );
}

Deno.test("summarizeFolds: mean ± sample std and pooled confusion", () => {
  const s = summarizeFolds(folds);
  assert.deepEqual(s.foldNames, ["actor 01", "actor 02", "actor 03"]);
  close(s.stats.accuracy.mean, 0.75, "accuracy mean");
  close(s.stats.accuracy.std, 0.25, "accuracy std");
  close(s.stats.uar.mean, 0.6944444444444444, "uar mean");
  close(s.stats.uar.std, 0.3367876570272817, "uar std");
  close(s.stats.macroF1.mean, 0.6888888888888889, "macro-F1 mean");
  close(s.stats.macroF1.std, 0.33554819712314443, "macro-F1 std");
  close(s.stats.weightedF1.mean, 0.7444444444444445, "weighted-F1 mean");
  close(s.stats.weightedF1.std, 0.25018511664883786, "weighted-F1 std");
  assert.deepEqual(s.pooled.confusion, [[3, 2], [1, 6]]);
  close(s.pooled.uar, 0.7285714285714285, "pooled uar");
  close(s.pooled.perClass[0].f1, 0.6666666666666665, "pooled F1 happy");
  close(s.pooled.perClass[1].f1, 0.7999999999999999, "pooled F1 sad");
});

Deno.test("formatCrossValidation lays out folds, mean ± std, pooled", () => {
  const text = formatCrossValidation(summarizeFolds(folds));
  assert.equal(text, EXPECTED_TABLE);
});

Deno.test("crossValidationToJson: stats per metric and the pooled metrics", () => {
  const json = crossValidationToJson(summarizeFolds(folds));
  assert.deepEqual(json.folds, ["actor 01", "actor 02", "actor 03"]);
  assert.deepEqual(json.accuracy, {
    mean: 0.75,
    std: 0.25,
    values: [1, 0.75, 0.5],
  });
  close(json.uar.std!, 0.3367876570272817, "uar std");
  close(json.macro_f1.mean, 0.6888888888888889, "macro-F1 mean");
  assert.deepEqual(json.pooled.confusion.matrix, [[3, 2], [1, 6]]);
  assert.deepEqual(JSON.parse(JSON.stringify(json)), json);
  const single = crossValidationToJson(summarizeFolds([folds[1]]));
  assert.equal(single.accuracy.std, null);
});

Deno.test("meanStd: a single fold has no sample std", () => {
  const s = meanStd([0.5]);
  assert.equal(s.mean, 0.5);
  assert.ok(Number.isNaN(s.std));
  assert.throws(() => meanStd([]), /no values/);
});

Deno.test("summarizeFolds rejects folds with different labels", () => {
  const other = {
    name: "odd",
    metrics: evaluate(["sad"], ["sad"], { labels: ["sad", "happy"] }),
  };
  assert.throws(
    () => summarizeFolds([folds[0], other]),
    /odd has labels sad, happy but actor 01 has happy, sad/,
  );
  assert.throws(() => summarizeFolds([]), /no folds/);
});

Deno.test("compareRuns: random vs speaker split with the gap", () => {
  const random = evaluate(
    ["happy", "happy", "sad", "sad"],
    ["happy", "happy", "sad", "sad"],
    { labels: LABELS },
  );
  const c = compareRuns(random, summarizeFolds(folds), [
    "random split",
    "speaker split",
  ]);
  assert.deepEqual(c.rows.map((r) => r.metric), [
    "accuracy",
    "UAR",
    "macro-F1",
    "weighted-F1",
    "F1 happy",
    "F1 sad",
  ]);
  close(c.rows[1].gap, 1 - 0.6944444444444444, "UAR gap");
  close(c.rows[4].b, 0.6666666666666665, "pooled F1 happy");
  assert.equal(c.table, EXPECTED_COMPARISON);
});

const EXPECTED_TABLE = [
  "fold             accuracy            UAR       macro-F1    weighted-F1",
  "actor 01            1.000          1.000          1.000          1.000",
  "actor 02            0.750          0.750          0.733          0.733",
  "actor 03            0.500          0.333          0.333          0.500",
  "mean ± std  0.750 ± 0.250  0.694 ± 0.337  0.689 ± 0.336  0.744 ± 0.250",
  "pooled              0.750          0.729          0.733          0.744",
  "",
  "pooled confusion (rows: true, columns: predicted)",
  "true \\ pred  happy  sad",
  "happy            3    2",
  "sad              1    6",
  "",
].join("\n");

const EXPECTED_COMPARISON = [
  "metric       random split  speaker split     gap",
  "accuracy            1.000  0.750 ± 0.250  +0.250",
  "UAR                 1.000  0.694 ± 0.337  +0.306",
  "macro-F1            1.000  0.689 ± 0.336  +0.311",
  "weighted-F1         1.000  0.744 ± 0.250  +0.256",
  "F1 happy            1.000          0.667  +0.333",
  "F1 sad              1.000          0.800  +0.200",
  "",
].join("\n");
