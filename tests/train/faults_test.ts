/**
 * Training under faults: Ctrl-C on a real terminal, a resume that would
 * change the run, two trainings into one folder, a finished model in the
 * way, and bad configs — each refused or handled with a clear message and
 * nothing lost.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { generateSyntheticCorpus } from "../../lib/corpora/mod.ts";
import { exists, REPO_ROOT } from "../../lib/paths.ts";
import {
  CHECKPOINT_DIR,
  isFinished,
  readCard,
  STATE_JSON,
} from "../../lib/run/mod.ts";
import { trainRun, type TrainRunOptions } from "../../lib/train/run.ts";
import { runCliScript } from "../cli.ts";

const root = await Deno.makeTempDir({ prefix: "ser-train-faults-" });
const corpus = path.join(root, "synthetic");
await generateSyntheticCorpus(corpus, {
  seed: 5,
  actors: 4,
  statements: 1,
  repetitions: 1,
  progress: false,
});

/** A tiny recipe that trains an epoch in well under a second. */
const TINY_CONFIG = {
  features: {
    kind: "mfcc" as const,
    frames: 48,
    deltaOrder: 0 as const,
    nMfcc: 13,
    nMels: 32,
    normalize: "utterance" as const,
  },
  model: {
    conv: {
      kind: "1d" as const,
      filters: [4],
      kernelSize: 3,
      dropout: 0,
      inputChannels: 1,
    },
    rnn: { units: 4, bidirectional: false },
    pooling: "mean" as const,
    dense: [4],
  },
  // Early stopping on validation speakers: the epoch lines carry val_uar.
  train: {
    batchSize: 16,
    seed: 3,
    keep: "best" as const,
    validationSpeakers: "auto" as const,
    schedule: "plateau" as const,
    averageLast: 1,
  },
  augment: { copies: 0, features: [] },
};
const configFile = path.join(root, "tiny.json");
Deno.writeTextFileSync(configFile, JSON.stringify(TINY_CONFIG));

function tiny(out: string, extra: Partial<TrainRunOptions> = {}) {
  return trainRun({
    data: [corpus],
    out,
    featureConfig: TINY_CONFIG.features,
    modelConfig: TINY_CONFIG.model,
    trainConfig: { ...TINY_CONFIG.train, epochs: 2 },
    augment: TINY_CONFIG.augment,
    workers: 1,
    progress: "silent",
    log: () => {},
    ...extra,
  });
}

/** `deno task train` on the tiny corpus, inside a pseudo-terminal (`script`). */
function trainOnTerminal(out: string, epochs: number) {
  const command = [
    Deno.execPath(),
    "run",
    "-A",
    path.join(REPO_ROOT, "lib/cli/train.ts"),
    "--data",
    corpus,
    "--config",
    configFile,
    "--epochs",
    String(epochs),
    "--patience",
    String(epochs),
    "--workers",
    "1",
    "--out",
    out,
  ].map((a) => `'${a}'`).join(" ");
  const child = new Deno.Command("script", {
    args: ["-qfec", command, "/dev/null"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const keys = child.stdin.getWriter();
  let output = "";
  const reading = (async () => {
    const dec = new TextDecoder();
    for await (const chunk of child.stdout) output += dec.decode(chunk);
  })();
  return {
    output: () => output,
    /** Resolves once `re` matches the terminal output (or rejects after `ms`). */
    async waitFor(re: RegExp, ms = 120_000) {
      const until = Date.now() + ms;
      while (!re.test(output)) {
        if (Date.now() > until) {
          throw new Error(`timed out waiting for ${re}:\n${output}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    /** Types Ctrl-C on the terminal: the line discipline sends SIGINT. */
    ctrlC: () => keys.write(new Uint8Array([3])),
    async exit() {
      const status = await child.status;
      await reading;
      await child.stderr.cancel();
      return status.code;
    },
  };
}

const epochsDone = (text: string) => (text.match(/val_uar/g) ?? []).length;

Deno.test("Ctrl-C on a terminal stops training within seconds, keeps the best model and exits 130", async () => {
  const out = path.join(root, "ctrl-c");
  const run = trainOnTerminal(out, 500);
  await run.waitFor(/epoch 3\/500.*val_uar/s);
  const pressed = performance.now();
  await run.ctrlC();
  const code = await run.exit();
  const seconds = (performance.now() - pressed) / 1000;
  assert.equal(code, 130, run.output());
  assert.ok(seconds < 30, `took ${seconds.toFixed(1)} s to stop`);
  assert.match(run.output(), /interrupted: finishing with the best model/);
  const card = readCard(out);
  assert.equal(card.training.stopReason, "interrupted");
  assert.ok(isFinished(card));
  assert.ok(card.training.epochs >= 3 && card.training.epochs < 500);
  assert.ok(card.metrics.test, "the kept model was evaluated");
  assert.ok(!exists(path.join(out, ".lock")), "the lock is released");
});

Deno.test("a second Ctrl-C quits at once and leaves a checkpoint that resumes", async () => {
  const out = path.join(root, "ctrl-c-twice");
  const run = trainOnTerminal(out, 500);
  await run.waitFor(/epoch 2\/500.*val_uar/s);
  await run.ctrlC();
  await run.ctrlC();
  assert.equal(await run.exit(), 130, run.output());
  assert.ok(epochsDone(run.output()) >= 2);
  // Whatever was being written, the checkpoint is whole: resuming works.
  const state = JSON.parse(
    Deno.readTextFileSync(path.join(out, CHECKPOINT_DIR, STATE_JSON)),
  );
  assert.ok(state.state.epoch >= 1);
  const resumed = await runCliScript("lib/cli/train.ts", [
    "--data",
    corpus,
    "--config",
    configFile,
    "--epochs",
    String(state.state.epoch + 1),
    "--patience",
    "500",
    "--workers",
    "1",
    "--out",
    out,
    "--resume",
  ]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming .* after epoch \d+/);
  assert.equal(readCard(out).training.epochs, state.state.epoch + 1);
});

Deno.test("--resume refuses any change to what defines the run, naming it; no checkpoint and a corrupt one are named", async () => {
  const out = path.join(root, "resume");
  await tiny(out);
  const refused = async (extra: Partial<TrainRunOptions>, re: RegExp) =>
    await assert.rejects(
      tiny(out, { resume: true, ...extra }),
      (err: Error) => {
        assert.match(err.message, /--resume refused: the run would change/);
        assert.match(err.message, re);
        return true;
      },
    );
  await refused({ testSpeakers: ["02"] }, /the test speakers/);
  await refused(
    { labelOptions: { merge: { calm: "neutral" } } },
    /the data \(manifest hash\); the labels/,
  );
  await refused(
    { trainConfig: { ...TINY_CONFIG.train, epochs: 2, learningRate: 0.01 } },
    /the train config/,
  );
  await refused(
    { featureConfig: { ...TINY_CONFIG.features, nMfcc: 12 } },
    /the features config/,
  );
  // A longer epoch budget is the one change a resume may make.
  const longer = await tiny(out, {
    resume: true,
    trainConfig: { ...TINY_CONFIG.train, epochs: 3 },
  });
  assert.equal(longer.models[0].card.training.epochs, 3);

  await assert.rejects(
    tiny(path.join(root, "never-trained"), { resume: true }),
    /never-trained: --resume, but there is no checkpoint to resume from/,
  );
  const state = path.join(out, CHECKPOINT_DIR, STATE_JSON);
  Deno.writeTextFileSync(state, "{ not json");
  await assert.rejects(
    tiny(out, { resume: true }),
    new RegExp(`${state}: corrupt checkpoint file`),
  );
  const specs = path.join(out, CHECKPOINT_DIR, "optimizer.bin");
  await tiny(out, { force: true });
  Deno.writeFileSync(specs, new Uint8Array(10));
  await assert.rejects(
    tiny(out, { resume: true }),
    new RegExp(`${specs}: corrupt checkpoint file \\(10 bytes`),
  );
});

Deno.test("a finished model is not overwritten without --force; two trainings into one folder: the second fails at once", async () => {
  const out = path.join(root, "taken");
  const first = await tiny(out);
  const createdAt = first.models[0].card.createdAt;
  await assert.rejects(
    tiny(out),
    /taken already holds a finished model .*--resume.*--force/,
  );
  assert.equal(readCard(out).createdAt, createdAt, "the model is untouched");
  const forced = await tiny(out, { force: true });
  assert.notEqual(forced.models[0].card.createdAt, createdAt);

  const busy = path.join(root, "busy");
  const run = trainOnTerminal(busy, 500);
  await run.waitFor(/epoch 1\/500/);
  await assert.rejects(
    tiny(busy, { force: true }),
    /busy is locked by process \d+ .*deno task train --out/,
  );
  await run.ctrlC();
  assert.equal(await run.exit(), 130);
});

Deno.test("--config is validated at the door: unknown keys, wrong types and ranges are errors naming the field", async () => {
  const bad = async (config: unknown, re: RegExp) => {
    const file = path.join(root, `bad-${crypto.randomUUID()}.json`);
    Deno.writeTextFileSync(file, JSON.stringify(config));
    const r = await runCliScript("lib/cli/train.ts", [
      "--data",
      corpus,
      "--config",
      file,
      "--out",
      path.join(root, "never"),
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, re);
    assert.ok(!exists(path.join(root, "never", "card.json")));
  };
  await bad(
    { features: { nmfcc: 20 } },
    /features: unknown key "nmfcc" \(did you mean nMfcc\?\)/,
  );
  await bad({ features: { nMfcc: "20" } }, /features\.nMfcc|nMfcc must be/);
  await bad(
    { train: { learningRate: "fast" } },
    /train\.learningRate: must be a finite number, got "fast"/,
  );
  await bad(
    { train: { epochs: -3 } },
    /train\.epochs: must be within 1–1000, got -3/,
  );
  await bad({ model: { dropout: 5 } }, /model\.dropout: must be < 1, got 5/);
  await bad(
    { model: { conv: { filters: "64" } } },
    /model\.conv\.filters: must be an array, got "64"/,
  );
  await bad(
    { model: { rnn: { units: 1e6 } } },
    /model\.rnn\.units: must be within 1–1024/,
  );
  await bad({ model: { conv: 5 } }, /model\.conv: expected an object/);
  await bad(
    { augment: { copies: 1e4 } },
    /augment\.copies: must be within 0–16/,
  );
  await bad({ optimiser: {} }, /unknown key "optimiser"; known keys: features/);
  for (const lr of ["-1", "0"]) {
    const r = await runCliScript("lib/cli/train.ts", [
      "--learning-rate",
      lr,
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--learning-rate.*expected a number > 0/);
  }
});

Deno.test("train --config trains the recipe it names and records it in the card", async () => {
  const out = path.join(root, "config");
  const r = await runCliScript("lib/cli/train.ts", [
    "--data",
    corpus,
    "--config",
    configFile,
    "--epochs",
    "1",
    "--workers",
    "1",
    "--out",
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const card = readCard(out);
  assert.equal(card.featureConfig.nMfcc, 13);
  assert.equal(card.featureConfig.frames, 48);
  assert.deepEqual(card.modelConfig.conv.filters, [4]);
  assert.equal(card.trainConfig.epochs, 1);
  assert.equal(card.trainConfig.augment.copies, 0);
});

Deno.test({
  name: "cleanup",
  fn: async () => {
    await Deno.remove(root, { recursive: true });
  },
});
