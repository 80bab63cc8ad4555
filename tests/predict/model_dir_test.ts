import assert from "node:assert/strict";
import * as path from "node:path";
import { featureDims } from "../../lib/features/mod.ts";
import { CARD_JSON, type ModelCard } from "../../lib/model/card.ts";
import { MODEL_JSON, WEIGHTS_BIN } from "../../lib/model/io.ts";
import {
  listModelDirs,
  loadPredictor,
  newestModelDir,
} from "../../lib/predict/mod.ts";
import { TINY_FEATURE_CONFIG, writeFixtureModel } from "./fixture_model.ts";

function editCard(dir: string, edit: (card: ModelCard) => void): void {
  const file = path.join(dir, CARD_JSON);
  const card = JSON.parse(Deno.readTextFileSync(file));
  edit(card);
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
      /normalization has 39 dims but the feature config gives 13/,
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
