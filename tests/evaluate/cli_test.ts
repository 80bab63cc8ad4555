/**
 * `deno task evaluate`: the corpus-evaluation orchestration with injected
 * predictions (exact numbers), and the CLI as a subprocess on a tiny model
 * and synthetic clips (the `--json` shape, cross-corpus mapping, the
 * leakage warning, cross-validation runs, error cases).
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import type { Utterance } from "../../lib/corpora/mod.ts";
import { evaluateCorpus, leakageWarning } from "../../lib/evaluate/mod.ts";
import {
  type ModelCard,
  readCard,
  resolveModelRun,
  runDirOf,
  writeCard,
} from "../../lib/run/mod.ts";
import { type CliRun, runCliScript } from "../cli.ts";
import { folderCorpus, tinyCorpus, tinyModel } from "../report/fixture.ts";

function utterance(
  file: string,
  corpus: string,
  speaker: string,
  emotion: Utterance["emotion"],
): Utterance {
  return {
    path: file,
    corpus,
    speaker,
    gender: "unknown",
    emotion,
    label: emotion,
    intensity: null,
    statement: null,
    repetition: null,
    modality: null,
    vocalChannel: null,
    durationS: 1,
    sampleRate: 16000,
    channels: 1,
    frames: 16000,
    codec: "pcm16",
  };
}

/** A card for a 4-class RAVDESS model: train 01, validation 02, test 03. */
function ravdessCard(): ModelCard {
  return {
    run: "r1",
    labels: ["neutral", "calm", "happy", "sad"],
    data: { corpora: { ravdess: 100 } },
    split: {
      kind: "speaker",
      leaky: false,
      speakers: {
        train: ["ravdess:01"],
        validation: ["ravdess:02"],
        test: ["ravdess:03"],
      },
    },
  } as unknown as ModelCard;
}

Deno.test("evaluateCorpus: same corpus scores on the model's labels; clips of training speakers are flagged", async () => {
  const card = ravdessCard();
  const items = [
    utterance("a.wav", "ravdess", "ravdess:03", "neutral"),
    utterance("b.wav", "ravdess", "ravdess:03", "calm"),
    utterance("c.wav", "ravdess", "ravdess:01", "happy"),
    utterance("d.wav", "ravdess", "ravdess:02", "sad"),
    utterance("e.wav", "ravdess", "ravdess:03", "sad"),
  ];
  const probs: Record<string, number[]> = {
    "a.wav": [0.7, 0.1, 0.1, 0.1],
    "b.wav": [0.6, 0.3, 0.05, 0.05], // calm → neutral (wrong)
    "c.wav": [0.1, 0.1, 0.7, 0.1],
    "d.wav": [0.1, 0.1, 0.1, 0.7],
  };
  const r = await evaluateCorpus({
    card,
    items,
    progress: "silent",
    predict: (p) => {
      if (!(p in probs)) return Promise.reject(new Error("unreadable audio"));
      return Promise.resolve(probs[p]);
    },
  });
  assert.equal(r.mapping, null);
  assert.deepEqual(r.metrics.labels, ["neutral", "calm", "happy", "sad"]);
  assert.equal(r.metrics.total, 4);
  assert.equal(r.metrics.accuracy, 0.75);
  assert.deepEqual(r.metrics.confusion, [
    [1, 0, 0, 0],
    [1, 0, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ]);
  assert.deepEqual(r.errors, [{ path: "e.wav", reason: "unreadable audio" }]);
  assert.deepEqual(r.trainSpeakersSeen, ["ravdess:01"]);
  assert.deepEqual(r.validationSpeakersSeen, ["ravdess:02"]);
  assert.equal(r.clips[1].predicted, "neutral");
  assert.equal(r.clips[1].probabilities.calm, 0.3);
  const warning = leakageWarning(card, r)!;
  assert.match(warning, /NOT a held-out evaluation/);
  assert.match(
    warning,
    /1 of 4 evaluated clips come from 1 speaker\(s\) the model was TRAINED on: ravdess:01/,
  );
});

Deno.test("evaluateCorpus: cross-corpus maps labels through the vocabulary, merges, drops and renormalises", async () => {
  const card = ravdessCard();
  // An EmoDB-like corpus: neutral, sad, boredom (the model has no boredom).
  const items = [
    utterance("n1.wav", "emodb", "emodb:03", "neutral"),
    utterance("n2.wav", "emodb", "emodb:03", "neutral"),
    utterance("s1.wav", "emodb", "emodb:08", "sad"),
    utterance("b1.wav", "emodb", "emodb:08", "boredom"),
  ];
  const probs: Record<string, number[]> = {
    // neutral 0.2 + calm 0.3 (merged) = 0.5 > sad 0.4: neutral.
    "n1.wav": [0.2, 0.3, 0.1, 0.4],
    // happy is not shared: renormalised over neutral (0.3) and sad (0.1).
    "n2.wav": [0.1, 0.2, 0.6, 0.1],
    "s1.wav": [0.3, 0.3, 0.0, 0.4],
  };
  const seen: string[] = [];
  const r = await evaluateCorpus({
    card,
    items,
    merge: { calm: "neutral" },
    progress: "silent",
    predict: (p) => {
      seen.push(p);
      return Promise.resolve(probs[p]);
    },
  });
  assert.ok(r.mapping);
  assert.deepEqual(r.metrics.labels, ["neutral", "sad"]);
  assert.deepEqual(r.mapping.train.dropped, ["happy"]);
  assert.deepEqual(r.mapping.test.dropped, ["boredom"]);
  assert.deepEqual(r.droppedCounts, { boredom: 1 });
  assert.deepEqual(
    seen,
    ["n1.wav", "n2.wav", "s1.wav"],
    "dropped clips are not predicted",
  );
  // s1: neutral 0.3 + calm 0.3 = 0.6 > sad 0.4 → neutral (wrong).
  assert.deepEqual(r.metrics.confusion, [[2, 0], [1, 0]]);
  assert.deepEqual(r.trainSpeakersSeen, []);
  assert.equal(leakageWarning(card, r), null);
});

Deno.test("evaluateCorpus: the corpus is labelled as training labelled it (merges, selection)", async () => {
  const card = ravdessCard();
  card.labels = ["neutral", "happy"];
  card.data.labelOptions = {
    merge: { calm: "neutral" },
    select: ["neutral", "happy"],
  };
  const items = [
    utterance("n.wav", "ravdess", "ravdess:03", "neutral"),
    utterance("c.wav", "ravdess", "ravdess:03", "calm"),
    utterance("h.wav", "ravdess", "ravdess:03", "happy"),
    utterance("s.wav", "ravdess", "ravdess:03", "sad"),
  ];
  const r = await evaluateCorpus({
    card,
    items,
    progress: "silent",
    predict: () => Promise.resolve([0.9, 0.1]),
  });
  assert.equal(r.mapping, null, "same corpus: no cross-corpus mapping");
  assert.deepEqual(r.clips.map((c) => c.trueLabel), [
    "neutral",
    "neutral",
    "happy",
  ]);
  assert.deepEqual(r.droppedCounts, { sad: 1 });
  assert.deepEqual(r.metrics.confusion, [[2, 0], [1, 0]]);
});

// ---------------------------------------------------------------- CLI

const tmp = Deno.makeTempDirSync({ prefix: "ser-evaluate-cli-" });
const corpus = path.join(tmp, "corpus");
const folder = path.join(tmp, "folder");
const model = path.join(tmp, "model");
const cv = path.join(tmp, "cv");

async function setUp(): Promise<void> {
  await tinyCorpus(corpus);
  await tinyModel(model, { corpus });
  await folderCorpus(corpus, folder, {
    "01": "neutral",
    "03": "happy",
    "04": "sad",
    "05": "angry",
  });
  // A two-fold cross-validation run with known per-fold confusions.
  const confusions = [
    [[1, 1], [0, 2]], // accuracy 3/4
    [[1, 1], [1, 1]], // accuracy 2/4
  ];
  for (const [i, matrix] of confusions.entries()) {
    const dir = path.join(cv, `fold-${i + 1}`);
    await tinyModel(dir, { corpus });
    const card = readCard(dir);
    card.split.fold = i + 1;
    card.metrics.test!.confusion = { labels: ["neutral", "sad"], matrix };
    writeCard(dir, card);
  }
}

function evaluateCli(...args: string[]): Promise<CliRun> {
  return runCliScript("lib/cli/evaluate.ts", args);
}

Deno.test("evaluate CLI", async (t) => {
  await setUp();

  await t.step(
    "--json on the training corpus: exact shape, consistent numbers, loud leakage warning",
    async () => {
      const r = await evaluateCli("--model", model, "--data", corpus, "--json");
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(j), [
        "accuracy",
        "uar",
        "macro_f1",
        "weighted_f1",
        "per_class",
        "confusion",
      ]);
      const labels = [
        "neutral",
        "calm",
        "happy",
        "sad",
        "angry",
        "fearful",
        "disgust",
        "surprised",
      ];
      assert.deepEqual(Object.keys(j.per_class), labels);
      assert.deepEqual(j.confusion.labels, labels);
      // 3 actors × (neutral: 1 clip, others: 2 intensities) = 3 and 6.
      assert.deepEqual(
        labels.map((l) => j.per_class[l].support),
        [3, 6, 6, 6, 6, 6, 6, 6],
      );
      for (const l of labels) {
        assert.deepEqual(
          Object.keys(j.per_class[l]),
          ["precision", "recall", "f1", "support"],
        );
      }
      const m: number[][] = j.confusion.matrix;
      const total = m.flat().reduce((a, b) => a + b, 0);
      assert.equal(total, 45);
      assert.equal(j.accuracy, m.reduce((a, r, i) => a + r[i], 0) / 45);
      const recalls = m.map((r, i) => r[i] / r.reduce((a, b) => a + b, 0));
      assert.ok(
        Math.abs(j.uar - recalls.reduce((a, b) => a + b, 0) / 8) < 1e-12,
      );
      assert.match(r.stderr, /NOT a held-out evaluation/);
      assert.match(
        r.stderr,
        /15 of 45 evaluated clips come from 1 speaker\(s\) the model was TRAINED on: synthetic:01/,
      );
      assert.match(r.stderr, /predict: 45\/45/);
    },
  );

  await t.step("text report: sklearn layout and confusion matrix", async () => {
    const r = await evaluateCli("--model", model, "--data", folder);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ +precision +recall +f1-score +support\n/);
    assert.match(r.stdout, /\n +accuracy +\d\.\d{3} +7\n/);
    assert.match(r.stdout, /true \\ pred +neutral +happy +sad +angry\n/);
  });

  await t.step(
    "cross-corpus: 8-class model on a 4-class folder corpus",
    async () => {
      const r = await evaluateCli("--model", model, "--data", folder, "--json");
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.deepEqual(j.confusion.labels, [
        "neutral",
        "happy",
        "sad",
        "angry",
      ]);
      assert.deepEqual(
        j.confusion.labels.map((l: string) => j.per_class[l].support),
        [1, 2, 2, 2],
      );
      assert.match(
        r.stderr,
        /evaluated on 4 shared emotions: neutral, happy, sad, angry/,
      );
      assert.match(
        r.stderr,
        /8 labels; dropped calm, fearful, disgust, surprised/,
      );
      assert.doesNotMatch(r.stderr, /NOT a held-out/);
    },
  );

  await t.step(
    "cross-validation run: mean ± std over the folds' held-out results",
    async () => {
      const r = await evaluateCli("--model", cv, "--json");
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.equal(j.folds.length, 2);
      assert.deepEqual(j.accuracy.values, [0.75, 0.5]);
      assert.equal(j.accuracy.mean, 0.625);
      assert.ok(Math.abs(j.accuracy.std - Math.SQRT1_2 * 0.25) < 1e-12);
      assert.deepEqual(j.pooled.confusion.matrix, [[2, 2], [1, 3]]);
      const text = await evaluateCli("--model", cv);
      assert.match(text.stdout, /mean ± std +0\.625 ± 0\.177/);
    },
  );

  await t.step(
    "cross-validation run with --data: every fold model evaluated, then summarised",
    async () => {
      const r = await evaluateCli("--model", cv, "--data", folder, "--json");
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.deepEqual(j.folds, ["fold-1", "fold-2"]);
      assert.deepEqual(j.pooled.confusion.labels, [
        "neutral",
        "happy",
        "sad",
        "angry",
      ]);
      // Both folds hold the same seeded weights: identical results, std 0.
      assert.equal(j.accuracy.values[0], j.accuracy.values[1]);
      assert.equal(j.accuracy.std, 0);
      assert.equal(
        j.pooled.confusion.matrix.flat().reduce(
          (a: number, b: number) => a + b,
          0,
        ),
        14,
      );
      assert.equal(r.stderr.match(/predict: 7\/7/g)?.length, 2);
    },
  );

  await t.step(
    "errors: missing model, no --data, incomplete model directory",
    async () => {
      let r = await evaluateCli(
        "--model",
        path.join(tmp, "nope"),
        "--data",
        folder,
      );
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^error: .*nope: no such model directory/m);
      r = await evaluateCli("--model", model);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /error: --data <dir\.\.\.> is required/);
      const broken = path.join(tmp, "broken");
      Deno.mkdirSync(broken);
      Deno.copyFileSync(
        path.join(model, "card.json"),
        path.join(broken, "card.json"),
      );
      r = await evaluateCli("--model", broken, "--data", folder);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /error: .*broken: no model\.json \(incomplete model directory\)/,
      );
      r = await evaluateCli(
        "--model",
        model,
        "--data",
        folder,
        "--epochs",
        "2",
      );
      assert.equal(r.code, 1);
      assert.match(r.stderr, /error: --epochs only applies to --audit/);
      r = await evaluateCli("--audit", "--model", model, "--data", folder);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /error: --audit trains its own models; drop --model/,
      );
    },
  );

  Deno.removeSync(tmp, { recursive: true });
});

Deno.test("resolveModelRun: a folder that is neither a model nor a run is an error naming it", () => {
  const dir = Deno.makeTempDirSync();
  try {
    assert.throws(
      () => resolveModelRun(dir),
      new RegExp(
        `${dir}: not a model directory \\(no card\\.json\\) and no fold-<i>/ models inside`,
      ),
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("runDirOf: a fold's run is its parent; other model directories are their own run", () => {
  assert.equal(runDirOf("/m/run-1/fold-3"), "/m/run-1");
  assert.equal(runDirOf("/m/run-1"), "/m/run-1");
  assert.equal(runDirOf("/m/fold-x"), "/m/fold-x");
});
