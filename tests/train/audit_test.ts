/**
 * Leakage audit orchestration with an injected training function: both runs
 * get the same config, one random and one speaker split, and the result is
 * laid out side by side with the gap.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { evaluate } from "../../lib/evaluate/mod.ts";
import type { ModelCard } from "../../lib/run/mod.ts";
import {
  auditToJson,
  formatAudit,
  leakageAudit,
} from "../../lib/train/audit.ts";
import type { TrainRunOptions, TrainRunResult } from "../../lib/train/run.ts";

const labels = ["happy", "sad"];

/** Stand-in for trainRun: random split scores 4/4, speaker split 2/4. */
function fakeTrain(calls: TrainRunOptions[]) {
  return (options: TrainRunOptions): Promise<TrainRunResult> => {
    calls.push(options);
    const random = options.split === "random";
    const test = random
      ? evaluate(["happy", "happy", "sad", "sad"], [
        "happy",
        "happy",
        "sad",
        "sad",
      ], { labels })
      : evaluate(["happy", "happy", "sad", "sad"], [
        "happy",
        "sad",
        "happy",
        "sad",
      ], { labels });
    const speakers = random
      ? {
        train: ["x:1", "x:2", "x:3"],
        validation: ["x:1", "x:2"],
        test: ["x:1", "x:3"],
      }
      : { train: ["x:1"], validation: ["x:2"], test: ["x:3"] };
    const card = {
      split: {
        kind: options.split,
        leaky: random,
        description: random
          ? "random split (LEAKY)"
          : "speaker-independent split",
        speakers,
      },
    } as unknown as ModelCard;
    return Promise.resolve({
      dir: options.out!,
      models: [{ dir: options.out!, card, test }],
      test: {
        accuracy: test.accuracy,
        uar: test.uar,
        macroF1: test.macroAvg.f1,
      },
      interrupted: false,
    });
  };
}

Deno.test("leakageAudit trains the same config on a random and a speaker split and compares them", async () => {
  const calls: TrainRunOptions[] = [];
  const shared = {
    data: ["/corpus"],
    trainConfig: { epochs: 1, seed: 5 },
    workers: 1,
  };
  const result = await leakageAudit({
    train: fakeTrain(calls),
    out: "/runs/a",
    run: shared,
  });

  assert.equal(calls.length, 2);
  assert.deepEqual(calls.map((c) => c.split), ["random", "speaker"]);
  assert.deepEqual(calls.map((c) => c.out), [
    path.join("/runs/a", "random"),
    path.join("/runs/a", "speaker"),
  ]);
  for (const c of calls) {
    assert.deepEqual(c.data, shared.data);
    assert.deepEqual(c.trainConfig, shared.trainConfig);
    assert.equal(c.workers, 1);
  }

  const j = auditToJson(result);
  assert.equal(j.random.metrics.accuracy, 1);
  assert.equal(j.speaker.metrics.accuracy, 0.5);
  assert.deepEqual(j.gap, {
    accuracy: 0.5,
    uar: 0.5,
    macro_f1: 0.5,
    weighted_f1: 0.5,
  });
  assert.deepEqual(j.random.test_speakers_in_train, ["x:1", "x:3"]);
  assert.deepEqual(j.speaker.test_speakers_in_train, []);
  assert.deepEqual(j.rows.map((r) => r.metric), [
    "accuracy",
    "UAR",
    "macro-F1",
    "weighted-F1",
    "F1 happy",
    "F1 sad",
  ]);

  const text = formatAudit(result);
  assert.match(text, /metric +random split \(leaky\) +speaker split +gap\n/);
  assert.match(text, /\nUAR +1\.000 +0\.500 +\+0\.500\n/);
  assert.match(text, /F1 happy +1\.000 +0\.500 +\+0\.500\n/);
  assert.match(text, /2 of them also in training \(speaker-dependent\)/);
  assert.match(text, /none heard in training/);
  assert.match(
    text,
    /leakage inflation \(UAR, random − speaker\): \+50\.0 points\n$/,
  );
});

Deno.test("leakageAudit refuses a training function that returns several models", async () => {
  const many = (o: TrainRunOptions): Promise<TrainRunResult> =>
    fakeTrain([])(o).then((r) => ({
      ...r,
      models: [r.models[0], r.models[0]],
    }));
  await assert.rejects(
    leakageAudit({ train: many, out: "/runs/b" }),
    /the random-split run trained 2 models, expected 1/,
  );
});
