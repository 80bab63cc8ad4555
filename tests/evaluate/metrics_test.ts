/**
 * Metrics cross-checked against scikit-learn.
 *
 * Provenance of every expected number and report text below: scikit-learn
 * 1.2.1 (Debian bookworm's python3-sklearn, Python 3.11), run offline once:
 *   from sklearn.metrics import (accuracy_score, balanced_accuracy_score,
 *     precision_recall_fscore_support, confusion_matrix, classification_report)
 *   precision_recall_fscore_support(y_true, y_pred, labels=L)
 *   precision_recall_fscore_support(y_true, y_pred, labels=L, average="macro")
 *   precision_recall_fscore_support(y_true, y_pred, labels=L, average="weighted")
 *   accuracy_score(y_true, y_pred)
 *   balanced_accuracy_score(y_true, y_pred)
 *   confusion_matrix(y_true, y_pred, labels=L)
 *   confusion_matrix(y_true, y_pred, labels=L, normalize="true")
 *   classification_report(y_true, y_pred, labels=L)            # digits=2
 *   classification_report(y_true, y_pred, labels=L, digits=4)
 * with L = `labels`, y_true = `yTrue`, y_pred = `yPred` of each case below.
 * Floats are the repr() of the float64 results; reports are copied verbatim.
 */
import assert from "node:assert/strict";
import {
  type ClassificationMetrics,
  classificationReport,
  confusionMatrix,
  evaluate,
  formatFixed,
  metricsFromConfusion,
  toJson,
} from "../../lib/evaluate/metrics.ts";

const EPS = 1e-12;

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= EPS,
    `${what}: ${actual} != ${expected}`,
  );
}

interface Expected {
  accuracy: number;
  uar: number;
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  macro: number[];
  weighted: number[];
  confusion: number[][];
  confusionNorm: number[][];
}

function assertMatches(m: ClassificationMetrics, e: Expected): void {
  assertClose(m.accuracy, e.accuracy, "accuracy");
  assertClose(m.uar, e.uar, "uar");
  m.labels.forEach((l, i) => {
    assertClose(m.perClass[i].precision, e.precision[i], `precision ${l}`);
    assertClose(m.perClass[i].recall, e.recall[i], `recall ${l}`);
    assertClose(m.perClass[i].f1, e.f1[i], `f1 ${l}`);
    assert.equal(m.perClass[i].support, e.support[i], `support ${l}`);
  });
  assertClose(m.macroAvg.precision, e.macro[0], "macro precision");
  assertClose(m.macroAvg.recall, e.macro[1], "macro recall");
  assertClose(m.macroAvg.f1, e.macro[2], "macro f1");
  assertClose(m.weightedAvg.precision, e.weighted[0], "weighted precision");
  assertClose(m.weightedAvg.recall, e.weighted[1], "weighted recall");
  assertClose(m.weightedAvg.f1, e.weighted[2], "weighted f1");
  assert.deepEqual(m.confusion, e.confusion);
  m.confusionNormalized.forEach((row, i) =>
    row.forEach((v, j) =>
      assertClose(v, e.confusionNorm[i][j], `normalised[${i}][${j}]`)
    )
  );
}

const MIXED = {
  labels: ["angry", "boredom", "fearful", "happy", "neutral", "sad"],
  yTrue: [
    "angry",
    "angry",
    "angry",
    "happy",
    "happy",
    "sad",
    "sad",
    "sad",
    "sad",
    "neutral",
    "fearful",
    "fearful",
    "happy",
    "angry",
    "neutral",
  ],
  yPred: [
    "angry",
    "happy",
    "angry",
    "happy",
    "sad",
    "sad",
    "sad",
    "neutral",
    "sad",
    "neutral",
    "angry",
    "sad",
    "boredom",
    "angry",
    "happy",
  ],
};

const MIXED_EXPECTED: Expected = {
  accuracy: 0.5333333333333333,
  uar: 0.4666666666666666,
  precision: [0.75, 0.0, 0.0, 0.3333333333333333, 0.5, 0.6],
  recall: [0.75, 0.0, 0.0, 0.3333333333333333, 0.5, 0.75],
  f1: [0.75, 0.0, 0.0, 0.3333333333333333, 0.5, 0.6666666666666665],
  support: [4, 0, 2, 3, 2, 4],
  macro: [0.3638888888888889, 0.38888888888888884, 0.375],
  weighted: [0.49333333333333335, 0.5333333333333333, 0.5111111111111111],
  confusion: [
    [3, 0, 0, 1, 0, 0],
    [0, 0, 0, 0, 0, 0],
    [1, 0, 0, 0, 0, 1],
    [0, 1, 0, 1, 0, 1],
    [0, 0, 0, 1, 1, 0],
    [0, 0, 0, 0, 1, 3],
  ],
  confusionNorm: [
    [0.75, 0.0, 0.0, 0.25, 0.0, 0.0],
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [0.5, 0.0, 0.0, 0.0, 0.0, 0.5],
    [0.0, 0.3333333333333333, 0.0, 0.3333333333333333, 0.0, 0.3333333333333333],
    [0.0, 0.0, 0.0, 0.5, 0.5, 0.0],
    [0.0, 0.0, 0.0, 0.0, 0.25, 0.75],
  ],
};

const PERFECT = {
  labels: ["happy", "neutral", "sad"],
  yTrue: ["sad", "happy", "neutral", "sad", "happy"],
  yPred: ["sad", "happy", "neutral", "sad", "happy"],
};

const PERFECT_EXPECTED: Expected = {
  accuracy: 1.0,
  uar: 1.0,
  precision: [1.0, 1.0, 1.0],
  recall: [1.0, 1.0, 1.0],
  f1: [1.0, 1.0, 1.0],
  support: [2, 1, 2],
  macro: [1.0, 1.0, 1.0],
  weighted: [1.0, 1.0, 1.0],
  confusion: [[2, 0, 0], [0, 1, 0], [0, 0, 2]],
  confusionNorm: [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
};

const ALL_WRONG = {
  labels: ["angry", "calm", "happy"],
  yTrue: ["angry", "calm", "happy", "angry"],
  yPred: ["calm", "happy", "angry", "happy"],
};

const ALL_WRONG_EXPECTED: Expected = {
  accuracy: 0.0,
  uar: 0.0,
  precision: [0.0, 0.0, 0.0],
  recall: [0.0, 0.0, 0.0],
  f1: [0.0, 0.0, 0.0],
  support: [2, 1, 1],
  macro: [0.0, 0.0, 0.0],
  weighted: [0.0, 0.0, 0.0],
  confusion: [[0, 1, 1], [0, 0, 1], [1, 0, 0]],
  confusionNorm: [[0.0, 0.5, 0.5], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]],
};

// Exact ties at the third decimal (recall 0.125) check Python's rounding.
const TIES = {
  labels: ["a", "b"],
  yTrue: [..."aaaaaaaa", ..."bbbbbbbb"],
  yPred: ["a", ..."bbbbbbb", ..."bbbbbbbb"],
};

const TIES_EXPECTED: Expected = {
  accuracy: 0.5625,
  uar: 0.5625,
  precision: [1.0, 0.5333333333333333],
  recall: [0.125, 1.0],
  f1: [0.2222222222222222, 0.6956521739130436],
  support: [8, 8],
  macro: [0.7666666666666666, 0.5625, 0.4589371980676329],
  weighted: [0.7666666666666666, 0.5625, 0.4589371980676329],
  confusion: [[1, 7], [0, 8]],
  confusionNorm: [[0.125, 0.875], [0.0, 1.0]],
};

const MIXED_REPORT = [
  "              precision    recall  f1-score   support",
  "",
  "       angry       0.75      0.75      0.75         4",
  "     boredom       0.00      0.00      0.00         0",
  "     fearful       0.00      0.00      0.00         2",
  "       happy       0.33      0.33      0.33         3",
  "     neutral       0.50      0.50      0.50         2",
  "         sad       0.60      0.75      0.67         4",
  "",
  "    accuracy                           0.53        15",
  "   macro avg       0.36      0.39      0.38        15",
  "weighted avg       0.49      0.53      0.51        15",
  "",
].join("\n");

const PERFECT_REPORT = [
  "              precision    recall  f1-score   support",
  "",
  "       happy       1.00      1.00      1.00         2",
  "     neutral       1.00      1.00      1.00         1",
  "         sad       1.00      1.00      1.00         2",
  "",
  "    accuracy                           1.00         5",
  "   macro avg       1.00      1.00      1.00         5",
  "weighted avg       1.00      1.00      1.00         5",
  "",
].join("\n");

const TIES_REPORT = [
  "              precision    recall  f1-score   support",
  "",
  "           a       1.00      0.12      0.22         8",
  "           b       0.53      1.00      0.70         8",
  "",
  "    accuracy                           0.56        16",
  "   macro avg       0.77      0.56      0.46        16",
  "weighted avg       0.77      0.56      0.46        16",
  "",
].join("\n");

const MIXED_REPORT_4 = [
  "              precision    recall  f1-score   support",
  "",
  "       angry     0.7500    0.7500    0.7500         4",
  "     boredom     0.0000    0.0000    0.0000         0",
  "     fearful     0.0000    0.0000    0.0000         2",
  "       happy     0.3333    0.3333    0.3333         3",
  "     neutral     0.5000    0.5000    0.5000         2",
  "         sad     0.6000    0.7500    0.6667         4",
  "",
  "    accuracy                         0.5333        15",
  "   macro avg     0.3639    0.3889    0.3750        15",
  "weighted avg     0.4933    0.5333    0.5111        15",
  "",
].join("\n");

// sklearn 1.2.1 prints this case's supports as floats ("2.0"): with no true
// positive in any class its multilabel_confusion_matrix falls back to float
// zeros. The text below is its output with those ".0" suffixes removed (the
// integers right-aligned in the same 9-character column).
const ALL_WRONG_REPORT = [
  "              precision    recall  f1-score   support",
  "",
  "       angry       0.00      0.00      0.00         2",
  "        calm       0.00      0.00      0.00         1",
  "       happy       0.00      0.00      0.00         1",
  "",
  "    accuracy                           0.00         4",
  "   macro avg       0.00      0.00      0.00         4",
  "weighted avg       0.00      0.00      0.00         4",
  "",
].join("\n");

Deno.test("evaluate matches sklearn: zero-support and never-predicted classes", () => {
  const m = evaluate(MIXED.yTrue, MIXED.yPred, { labels: MIXED.labels });
  assertMatches(m, MIXED_EXPECTED);
  assert.deepEqual(m.zeroSupportLabels, ["boredom"]);
  assert.equal(m.total, 15);
  assert.equal(classificationReport(m), MIXED_REPORT);
  assert.equal(classificationReport(m, { digits: 4 }), MIXED_REPORT_4);
});

Deno.test("evaluate matches sklearn: perfect predictions", () => {
  const m = evaluate(PERFECT.yTrue, PERFECT.yPred, { labels: PERFECT.labels });
  assertMatches(m, PERFECT_EXPECTED);
  assert.equal(classificationReport(m), PERFECT_REPORT);
});

Deno.test("evaluate matches sklearn: every prediction wrong", () => {
  const m = evaluate(ALL_WRONG.yTrue, ALL_WRONG.yPred, {
    labels: ALL_WRONG.labels,
  });
  assertMatches(m, ALL_WRONG_EXPECTED);
  assert.equal(classificationReport(m), ALL_WRONG_REPORT);
});

Deno.test("evaluate matches sklearn: round-half-even ties in the report", () => {
  const m = evaluate(TIES.yTrue, TIES.yPred, { labels: TIES.labels });
  assertMatches(m, TIES_EXPECTED);
  assert.equal(classificationReport(m), TIES_REPORT);
});

// "calm" is in the label list but occurs neither in y_true nor in y_pred:
// sklearn then prints "micro avg" where it otherwise prints "accuracy".
const UNSEEN = {
  labels: ["angry", "calm", "sad"],
  yTrue: ["angry", "angry", "sad"],
  yPred: ["angry", "sad", "sad"],
};

const UNSEEN_REPORT = [
  "              precision    recall  f1-score   support",
  "",
  "       angry       1.00      0.50      0.67         2",
  "        calm       0.00      0.00      0.00         0",
  "         sad       0.50      1.00      0.67         1",
  "",
  "   micro avg       0.67      0.67      0.67         3",
  "   macro avg       0.50      0.50      0.44         3",
  "weighted avg       0.83      0.67      0.67         3",
  "",
].join("\n");

Deno.test("evaluate matches sklearn: a label seen in neither vector", () => {
  const m = evaluate(UNSEEN.yTrue, UNSEEN.yPred, { labels: UNSEEN.labels });
  // balanced_accuracy_score: 0.75; macro (P, R, F1): (0.5, 0.5,
  // 0.4444444444444444); weighted: (0.8333333333333334,
  // 0.6666666666666666, 0.6666666666666666).
  assertClose(m.uar, 0.75, "uar");
  assertClose(m.macroAvg.f1, 0.4444444444444444, "macro f1");
  assertClose(m.macroAvg.precision, 0.5, "macro precision");
  assertClose(
    m.weightedAvg.precision,
    0.8333333333333334,
    "weighted precision",
  );
  assertClose(m.weightedAvg.f1, 0.6666666666666666, "weighted f1");
  assert.equal(classificationReport(m), UNSEEN_REPORT);
});

Deno.test("formatFixed rounds like Python's format(x, '.nf')", () => {
  // Python 3.11: format(0.125, ".2f") == "0.12", format(0.375, ".2f") ==
  // "0.38", format(2.5, ".0f") == "2", format(0.1 + 0.2, ".1f") == "0.3",
  // format(1.005, ".2f") == "1.00" (1.005 is stored below the tie).
  assert.equal(formatFixed(0.125, 2), "0.12");
  assert.equal(formatFixed(0.375, 2), "0.38");
  assert.equal(formatFixed(2.5, 0), "2");
  assert.equal(formatFixed(0.1 + 0.2, 1), "0.3");
  assert.equal(formatFixed(1.005, 2), "1.00");
  assert.equal(formatFixed(0.5625, 2), "0.56");
});

Deno.test("class indices and label names give the same metrics", () => {
  const index = (l: string) => MIXED.labels.indexOf(l);
  const byIndex = evaluate(MIXED.yTrue.map(index), MIXED.yPred.map(index), {
    labels: MIXED.labels,
  });
  assertMatches(byIndex, MIXED_EXPECTED);
});

Deno.test("metricsFromConfusion reproduces evaluate from counts", () => {
  const m = metricsFromConfusion(MIXED.labels, MIXED_EXPECTED.confusion);
  assertMatches(m, MIXED_EXPECTED);
});

Deno.test("toJson gives the --json shape", () => {
  const m = evaluate(TIES.yTrue, TIES.yPred, { labels: TIES.labels });
  const json = toJson(m);
  assert.deepEqual(Object.keys(json), [
    "accuracy",
    "uar",
    "macro_f1",
    "weighted_f1",
    "per_class",
    "confusion",
  ]);
  assert.equal(json.accuracy, 0.5625);
  assert.equal(json.uar, 0.5625);
  assertClose(json.macro_f1, 0.4589371980676329, "macro_f1");
  assertClose(json.weighted_f1, 0.4589371980676329, "weighted_f1");
  assert.deepEqual(json.per_class.a, {
    precision: 1,
    recall: 0.125,
    f1: m.perClass[0].f1,
    support: 8,
  });
  assert.deepEqual(json.confusion, {
    labels: ["a", "b"],
    matrix: [[1, 7], [0, 8]],
  });
  assert.deepEqual(JSON.parse(JSON.stringify(json)), json);
});

Deno.test("bad input is an error naming the problem", () => {
  const opts = { labels: ["happy", "sad"], source: "test.csv" };
  assert.throws(
    () => evaluate(["happy"], ["angry"], opts),
    /test\.csv: unknown label "angry" in yPred\[0\]/,
  );
  assert.throws(
    () => evaluate(["calm"], ["sad"], opts),
    /unknown label "calm" in yTrue\[0\]/,
  );
  assert.throws(
    () => evaluate(["happy", "sad"], ["sad"], opts),
    /test\.csv: 2 true labels but 1 predictions/,
  );
  assert.throws(() => evaluate([], [], opts), /no samples/);
  assert.throws(
    () => evaluate([0], [2], opts),
    /yPred\[0\] = 2 is not a class index/,
  );
  assert.throws(
    () => confusionMatrix(["a"], ["a"], { labels: ["a", "a"] }),
    /label "a" appears twice/,
  );
});
