import assert from "node:assert/strict";
import * as path from "node:path";
import { generateSyntheticCorpus } from "../../lib/corpora/mod.ts";
import { readCard, resolveModelRun } from "../../lib/run/mod.ts";
import {
  CONV1D_MODEL_CONFIG,
  mergeModelConfig,
} from "../../lib/model/config.ts";
import { loadLayersModelDir } from "../../lib/model/io.ts";
import { trainRun, type TrainRunOptions } from "../../lib/train/run.ts";

/** A tiny but complete run: 4 synthetic actors, a small model, short input. */
async function tinyRun(
  corpus: string,
  out: string,
  extra: Partial<TrainRunOptions> = {},
) {
  const lines: string[] = [];
  const result = await trainRun({
    data: [corpus],
    out,
    featureConfig: { frames: 64, deltaOrder: 1 },
    modelConfig: mergeModelConfig(CONV1D_MODEL_CONFIG, {
      conv: { filters: [8], kernelSize: 3 },
      rnn: { units: 8 },
      dense: [8],
    }),
    // Early stopping on validation speakers with a plateau schedule: a
    // resumed run then equals an uninterrupted one whatever the budget.
    trainConfig: {
      epochs: 2,
      batchSize: 16,
      seed: 11,
      schedule: "plateau",
      keep: "best",
      validationSpeakers: "auto",
    },
    augment: { copies: 1 },
    workers: 1,
    progress: "silent",
    log: (s) => lines.push(s),
    ...extra,
  });
  return { result, lines };
}

const corpusDir = await Deno.makeTempDir({ prefix: "ser-train-test-" });
const corpus = path.join(corpusDir, "synthetic");
await generateSyntheticCorpus(corpus, {
  seed: 5,
  actors: 4,
  statements: 1,
  repetitions: 1,
  progress: false,
});

Deno.test("trainRun writes a complete, loadable model directory with a speaker-independent card", async () => {
  const out = path.join(corpusDir, "run-a");
  const { result, lines } = await tinyRun(corpus, out);
  assert.equal(result.dir, out);
  const card = readCard(out);
  assert.equal(card.split.kind, "speaker");
  assert.equal(card.split.leaky, false);
  const { train, validation, test } = card.split.speakers;
  for (const s of test) {
    assert.ok(!train.includes(s) && !validation.includes(s), `${s} leaks`);
  }
  assert.equal(card.labels.length, 8);
  assert.equal(
    card.data.synthetic,
    false,
    "given explicitly with --data, so not the fallback",
  );
  assert.equal(card.normalization.mean.length, 80);
  assert.ok(
    card.metrics.test && card.metrics.test.uar >= 0 &&
      card.metrics.test.uar <= 1,
  );
  assert.equal(card.training.epochs, 2);
  const history = JSON.parse(
    await Deno.readTextFile(path.join(out, "history.json")),
  );
  assert.equal(history.length, 2);
  const model = await loadLayersModelDir(out);
  assert.deepEqual(model.inputs[0].shape, [null, 64, 80]);
  assert.deepEqual(model.outputs[0].shape, [null, 8]);
  assert.ok(lines.some((l) => /augmentation \(training fold only\)/.test(l)));
  assert.ok(lines.some((l) => /speaker-independent split/.test(l)));
  if (navigator.hardwareConcurrency > 1) {
    // One model at a time: its gradients are computed on every core.
    const workers = navigator.hardwareConcurrency;
    assert.ok(
      lines.some((l) => l.startsWith(`data-parallel: ${workers} workers`)),
    );
  }
});

Deno.test("same seed and data give identical metrics; resuming equals an uninterrupted run", async () => {
  const a = await tinyRun(corpus, path.join(corpusDir, "det-a"));
  const b = await tinyRun(corpus, path.join(corpusDir, "det-b"));
  const history = (dir: string) =>
    JSON.parse(Deno.readTextFileSync(path.join(dir, "history.json")));
  const strip = (h: { seconds: number }[]) =>
    h.map(({ seconds: _, ...rest }) => rest);
  assert.deepEqual(strip(history(a.result.dir)), strip(history(b.result.dir)));
  assert.deepEqual(
    readCard(a.result.dir).metrics,
    readCard(b.result.dir).metrics,
  );

  const resumed = path.join(corpusDir, "det-resumed");
  await tinyRun(corpus, resumed, {
    trainConfig: {
      epochs: 1,
      batchSize: 16,
      seed: 11,
      schedule: "plateau",
      keep: "best",
      validationSpeakers: "auto",
    },
  });
  await tinyRun(corpus, resumed, { resume: true });
  assert.deepEqual(strip(history(resumed)), strip(history(a.result.dir)));
});

for (const normalize of ["utterance", "speaker"] as const) {
  Deno.test(`streaming the training data from disk trains the same model as holding it in memory (${normalize} normalisation)`, async () => {
    const featureConfig = { frames: 64, deltaOrder: 1, normalize } as const;
    const memory = await tinyRun(
      corpus,
      path.join(corpusDir, `mem-${normalize}`),
      {
        stream: false,
        featureConfig,
      },
    );
    const streamedDir = path.join(corpusDir, `streamed-${normalize}`);
    const streamed = await tinyRun(corpus, streamedDir, {
      stream: true,
      featureConfig,
    });
    const history = (dir: string) =>
      JSON.parse(Deno.readTextFileSync(path.join(dir, "history.json"))).map((
        { seconds: _, ...rest }: { seconds: number },
      ) => rest);
    assert.deepEqual(history(streamedDir), history(memory.result.dir));
    const cards = [readCard(streamedDir), readCard(memory.result.dir)];
    assert.deepEqual(cards[0].metrics, cards[1].metrics);
    assert.deepEqual(cards[0].normalization, cards[1].normalization);
    assert.deepEqual(cards[0].speakerPrior, cards[1].speakerPrior);
    assert.equal(cards[0].speakerPrior !== undefined, normalize === "speaker");
    assert.ok(streamed.lines.some((l) => /streamed to/.test(l)));
    const left = [...Deno.readDirSync(streamedDir)].filter((e) =>
      e.name.startsWith(".stream-")
    );
    assert.deepEqual(left, [], "row files removed after the run");
  });
}

Deno.test("a random split is labelled leaky in the card", async () => {
  const out = path.join(corpusDir, "random");
  const { lines } = await tinyRun(corpus, out, {
    split: "random",
    trainConfig: { epochs: 1, batchSize: 16, seed: 1 },
  });
  const card = readCard(out);
  assert.equal(card.split.kind, "random");
  assert.equal(card.split.leaky, true);
  assert.ok(lines.some((l) => /LEAKY/.test(l)));
});

Deno.test("--folds trains one model per fold and an ensemble of them carrying the CV figures", async () => {
  const out = path.join(corpusDir, "cv");
  const result = await tinyRun(corpus, out, {
    folds: 2,
    parallel: 2,
    trainConfig: { epochs: 1, batchSize: 16, seed: 11 },
  }).then((r) => ({ ...r.result, lines: r.lines }));
  assert.equal(result.models.length, 2);
  const run = resolveModelRun(out);
  assert.deepEqual(run.ensemble?.members, ["fold-1", "fold-2"]);
  const cv = run.ensemble!.metrics!.crossValidation!;
  assert.deepEqual(
    cv.uar.values,
    result.models.map((m) => m.test.uar),
  );
  const tested = result.models.flatMap((m) => m.card.split.speakers.test);
  assert.equal(new Set(tested).size, 4, "every speaker tested once");

  // The same folds one at a time in this thread: identical models (each
  // with one gradient worker, the default when folds run in parallel).
  const serial = await tinyRun(corpus, path.join(corpusDir, "cv-serial"), {
    folds: 2,
    parallel: 1,
    trainWorkers: 1,
    trainConfig: { epochs: 1, batchSize: 16, seed: 11 },
  });
  assert.deepEqual(
    serial.result.models.map((m) => m.card.metrics),
    result.models.map((m) => m.card.metrics),
  );
  assert.ok(
    result.lines.some((l) => /^training 2 folds, 2 at a time$/.test(l)),
  );
});

Deno.test("speaker-level normalisation trains and records it in the card", async () => {
  const out = path.join(corpusDir, "speaker-norm");
  const { result } = await tinyRun(corpus, out, {
    featureConfig: { frames: 64, deltaOrder: 1, normalize: "speaker" },
    trainConfig: { epochs: 1, batchSize: 16, seed: 11 },
  });
  const card = readCard(out);
  assert.equal(card.featureConfig.normalize, "speaker");
  // The typical training speaker: the mean of each speaker's statistics.
  assert.equal(card.speakerPrior?.mean.length, card.normalization.mean.length);
  assert.ok(card.speakerPrior!.std.every((s) => s > 0));
  assert.ok(result.models[0].test.uar >= 0);
  // After per-speaker standardisation the training statistics are ≈ (0, 1).
  for (const m of card.normalization.mean) assert.ok(Math.abs(m) < 0.2, `${m}`);
});

Deno.test("a fixed epoch budget without validation speakers trains on every non-test speaker", async () => {
  const out = path.join(corpusDir, "no-validation");
  await tinyRun(corpus, out, {
    trainConfig: {
      epochs: 2,
      batchSize: 16,
      seed: 11,
      keep: "last",
      validationSpeakers: 0,
    },
  });
  const card = readCard(out);
  assert.deepEqual(card.split.speakers.validation, []);
  assert.equal(card.split.speakers.train.length, 3);
  assert.equal(card.training.bestEpoch, 2);
  assert.equal(card.metrics.validation, undefined);
  assert.ok(card.metrics.test);
});

Deno.test("--refit trains one more model on every speaker whose card carries the folds' CV figures", async () => {
  const out = path.join(corpusDir, "refit");
  const trainConfig = {
    epochs: 1,
    batchSize: 16,
    seed: 11,
    keep: "last" as const,
    validationSpeakers: 0,
  };
  const { result, lines } = await tinyRun(corpus, out, {
    folds: 2,
    parallel: 1,
    refit: true,
    trainConfig,
  });
  assert.equal(result.refit?.dir, path.join(out, "refit"));
  const card = readCard(path.join(out, "refit"));
  assert.equal(card.split.speakers.train.length, 4, "every speaker trains");
  assert.deepEqual(card.split.speakers.test, []);
  assert.equal(card.split.counts.test, 0);
  assert.equal(card.metrics.test, undefined);
  assert.deepEqual(
    card.metrics.crossValidation,
    resolveModelRun(out).ensemble!.metrics!.crossValidation,
  );
  assert.ok(lines.some((l) => /^refitted model \(cross-validated UAR/.test(l)));
  // The run's default stays the ensemble of the tested fold models.
  assert.deepEqual(resolveModelRun(out).ensemble?.members, [
    "fold-1",
    "fold-2",
  ]);
  await assert.rejects(
    () =>
      tinyRun(corpus, path.join(corpusDir, "refit-no-folds"), {
        refit: true,
        trainConfig,
      }),
    /refit trains after cross-validation: it needs --folds/,
  );
});

Deno.test({
  name: "cleanup",
  fn: async () => {
    await Deno.remove(corpusDir, { recursive: true });
  },
});
