import assert from "node:assert/strict";
import * as path from "node:path";
import { featureConfigHash, featureDims } from "../../lib/features/mod.ts";
import { MODEL_JSON, WEIGHTS_BIN } from "../../lib/model/io.ts";
import { loadPredictor } from "../../lib/predict/mod.ts";
import {
  CARD_JSON,
  findModelDir,
  IN_PROGRESS,
  listModelDirs,
  type ModelCard,
  newestModelDir,
} from "../../lib/run/mod.ts";
import {
  TINY_FEATURE_CONFIG,
  writeFixtureModel,
} from "../predict/fixture_model.ts";

/** Edits the card as training would have written it (the config hash kept in step). */
function editCard(dir: string, edit: (card: ModelCard) => void): void {
  const file = path.join(dir, CARD_JSON);
  const card = JSON.parse(Deno.readTextFileSync(file));
  edit(card);
  card.featureConfigHash = featureConfigHash(card.featureConfig);
  Deno.writeTextFileSync(file, JSON.stringify(card));
}

async function rejects(dir: string, pattern: RegExp): Promise<string> {
  let message = "";
  await assert.rejects(loadPredictor(dir), (err: Error) => {
    message = err.message;
    return true;
  });
  assert.match(message, pattern);
  return message;
}

Deno.test("the newest model by card createdAt, runs and their folds", async () => {
  const root = await Deno.makeTempDir();
  try {
    await writeFixtureModel(path.join(root, "run-a"), {
      createdAt: "2026-01-01T00:00:00.000Z",
    });
    await writeFixtureModel(path.join(root, "run-b", "fold-1"), {
      createdAt: "2026-03-01T00:00:00.000Z",
    });
    await writeFixtureModel(path.join(root, "run-b", "fold-2"), {
      createdAt: "2026-02-01T00:00:00.000Z",
    });
    // Neither a run nor a fold: ignored.
    await writeFixtureModel(path.join(root, "run-c", "other", "deep"), {
      createdAt: "2027-01-01T00:00:00.000Z",
    });
    Deno.mkdirSync(path.join(root, "empty-run"));
    assert.deepEqual(
      listModelDirs(root).map((e) => path.relative(root, e.dir)),
      ["run-b/fold-1", "run-b/fold-2", "run-a"],
    );
    assert.equal(newestModelDir(root), path.join(root, "run-b", "fold-1"));
    const predictor = await loadPredictor(undefined, { modelsDir: root });
    assert.equal(predictor.dir, path.join(root, "run-b", "fold-1"));
    predictor.dispose();
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("no model: the error says where it looked and how to train one", async () => {
  const root = await Deno.makeTempDir();
  try {
    Deno.mkdirSync(path.join(root, "half-run")); // no card.json
    await assert.rejects(
      loadPredictor(undefined, { modelsDir: root }),
      (err: Error) => {
        assert.match(err.message, /^no trained model found/);
        assert.ok(err.message.includes(`${root}/<run>/card.json`));
        assert.ok(err.message.includes("fold-<i>"));
        assert.match(err.message, /deno task train/);
        assert.match(err.message, /--model/);
        return true;
      },
    );
    assert.throws(
      () => newestModelDir(path.join(root, "missing")),
      /no trained model found/,
    );
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("incomplete model directories name the directory and what is missing", async () => {
  const missing = "/nonexistent/ser-model";
  await rejects(missing, /^\/nonexistent\/ser-model: no such model directory$/);

  const { dir } = await writeFixtureModel();
  try {
    const file = path.join(dir, "notes.txt");
    Deno.writeTextFileSync(file, "x");
    await rejects(file, /notes\.txt: not a directory/);

    Deno.renameSync(path.join(dir, WEIGHTS_BIN), path.join(dir, "w.bak"));
    await rejects(
      dir,
      new RegExp(
        `^${dir}: weight file weights\\.bin is missing \\(incomplete model directory\\)`,
      ),
    );
    Deno.renameSync(path.join(dir, "w.bak"), path.join(dir, WEIGHTS_BIN));

    const bytes = Deno.readFileSync(path.join(dir, WEIGHTS_BIN));
    Deno.writeFileSync(path.join(dir, WEIGHTS_BIN), bytes.subarray(0, 100));
    await rejects(
      dir,
      /weights hold 100 bytes, the manifest needs \d+ \(truncated/,
    );
    Deno.writeFileSync(path.join(dir, WEIGHTS_BIN), bytes);

    Deno.renameSync(path.join(dir, MODEL_JSON), path.join(dir, "m.bak"));
    await rejects(
      dir,
      new RegExp(`^${dir}: no model\\.json \\(incomplete model directory\\)`),
    );
    Deno.renameSync(path.join(dir, "m.bak"), path.join(dir, MODEL_JSON));

    Deno.renameSync(path.join(dir, CARD_JSON), path.join(dir, "c.bak"));
    await rejects(
      dir,
      new RegExp(`^${dir}: no card\\.json \\(incomplete model directory`),
    );
    Deno.renameSync(path.join(dir, "c.bak"), path.join(dir, CARD_JSON));

    (await loadPredictor(dir)).dispose();
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("an incompatible card version is refused, naming the card file", async () => {
  const { dir } = await writeFixtureModel();
  try {
    editCard(dir, (c) => c.version = 2);
    await rejects(
      dir,
      new RegExp(
        `^${
          path.join(dir, CARD_JSON)
        }: card version 2 is incompatible .*retrain`,
      ),
    );
    editCard(dir, (c) => c.version = 1);
    editCard(dir, (c) => c.featureConfig.version = 9 as 1);
    await rejects(dir, /featureConfig: unsupported version 9/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a card that disagrees with the model's shapes is refused", async () => {
  const { dir } = await writeFixtureModel();
  const dims = featureDims(TINY_FEATURE_CONFIG);
  try {
    // Frames: the model takes 100, the card now says 120.
    editCard(dir, (c) => c.featureConfig.frames = 120);
    await rejects(
      dir,
      new RegExp(
        `^${dir}: model and card disagree: the model takes \\[batch, 100, ${dims}\\] but the card's feature config gives \\[batch, 120, ${dims}\\]`,
      ),
    );
    // Dims: deltas off gives 13 dims, normalisation still has 39.
    editCard(dir, (c) => {
      c.featureConfig.frames = 100;
      c.featureConfig.deltaOrder = 0;
    });
    await rejects(
      dir,
      /normalization statistics missing or not 13 dims \(the feature config's\)/,
    );
    editCard(dir, (c) => {
      c.featureConfig.deltaOrder = 0;
      c.normalization = {
        mean: new Array(13).fill(0),
        std: new Array(13).fill(1),
      };
    });
    await rejects(
      dir,
      /the model takes \[batch, 100, 39\] but the card's feature config gives \[batch, 100, 13\]/,
    );
    // Labels: 4 outputs, 5 labels.
    editCard(dir, (c) => {
      c.featureConfig.deltaOrder = 2;
      c.normalization = {
        mean: new Array(dims).fill(0),
        std: new Array(dims).fill(1),
      };
      c.labels = [...c.labels, "fearful"];
    });
    await rejects(
      dir,
      /the model outputs \[batch, 4\] but the card lists 5 labels/,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a card whose feature config was edited by hand (hash no longer matching) is refused", async () => {
  const { dir } = await writeFixtureModel();
  try {
    const file = path.join(dir, CARD_JSON);
    const card = JSON.parse(Deno.readTextFileSync(file));
    card.featureConfig.fmax = 7000; // valid, but not what the model learnt on
    Deno.writeTextFileSync(file, JSON.stringify(card));
    await rejects(
      dir,
      new RegExp(
        `^${file}: featureConfig does not match its recorded featureConfigHash .*edited`,
      ),
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("non-finite weights are refused before anything is predicted", async () => {
  const { dir } = await writeFixtureModel();
  try {
    const file = path.join(dir, WEIGHTS_BIN);
    const weights = new Float32Array(Deno.readFileSync(file).buffer);
    weights[5] = NaN;
    Deno.writeFileSync(file, new Uint8Array(weights.buffer));
    await rejects(
      dir,
      new RegExp(
        `^${dir}: the weights hold non-finite values \\(NaN at value 5\\)`,
      ),
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("weight paths in model.json that leave the model folder are refused, the file unread", async () => {
  const { dir } = await writeFixtureModel();
  const outside = await Deno.makeTempDir();
  try {
    const secret = path.join(outside, "secret.bin");
    Deno.writeFileSync(secret, Deno.readFileSync(path.join(dir, WEIGHTS_BIN)));
    const json = path.join(dir, MODEL_JSON);
    const original = Deno.readTextFileSync(json);
    const withPath = (p: string) => {
      const m = JSON.parse(original);
      m.weightsManifest[0].paths = [p];
      Deno.writeTextFileSync(json, JSON.stringify(m));
    };
    for (
      const p of [
        path.relative(dir, secret), // ../…/secret.bin
        secret, // absolute
      ]
    ) {
      withPath(p);
      await rejects(
        dir,
        new RegExp(`^${json}: weight path .* leaves the model folder`),
      );
    }
    // A link inside the folder that resolves outside it.
    Deno.symlinkSync(secret, path.join(dir, "link.bin"));
    withPath("link.bin");
    await rejects(dir, /weight path "link\.bin" leaves the model folder/);
    Deno.writeTextFileSync(json, original);
    (await loadPredictor(dir)).dispose();
  } finally {
    Deno.removeSync(dir, { recursive: true });
    Deno.removeSync(outside, { recursive: true });
  }
});

Deno.test("the newest-model search never picks a model still in training, and falls back to the shipped model", async () => {
  const root = await Deno.makeTempDir();
  try {
    await writeFixtureModel(path.join(root, "done"), {
      createdAt: "2026-01-01T00:00:00.000Z",
    });
    // Newer, but its card says training is still running (or was killed).
    const { dir: running } = await writeFixtureModel(
      path.join(root, "running"),
      { createdAt: "2026-06-01T00:00:00.000Z" },
    );
    editCard(running, (c) => c.training.stopReason = IN_PROGRESS);
    assert.deepEqual(listModelDirs(root).map((e) => e.dir), [
      path.join(root, "done"),
    ]);
    assert.deepEqual(findModelDir(root), {
      dir: path.join(root, "done"),
      source: "trained",
    });
    const predictor = await loadPredictor(undefined, { modelsDir: root });
    assert.equal(predictor.source, "trained");
    assert.match(predictor.description, /\(the newest trained model\)/);
    predictor.dispose();

    // No finished model: the shipped one answers, and says so.
    Deno.removeSync(path.join(root, "done"), { recursive: true });
    const { dir: shipped } = await writeFixtureModel();
    assert.deepEqual(findModelDir(root, shipped), {
      dir: shipped,
      source: "pretrained",
    });
    Deno.removeSync(shipped, { recursive: true });
    assert.throws(
      () => findModelDir(root, path.join(root, "nothing-shipped")),
      /no trained model found: .*and the shipped model/,
    );
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
