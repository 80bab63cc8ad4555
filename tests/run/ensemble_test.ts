/**
 * Ensembles: the members' mean probability is the prediction, for a file
 * and for a timeline; the manifest is checked (members inside the folder,
 * finished, agreeing on labels and features); the newest-model search and
 * `resolveModelRun` see an ensemble as one model.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { encodeWav } from "../../lib/audio/mod.ts";
import { loadPredictor } from "../../lib/predict/mod.ts";
import {
  ENSEMBLE_JSON,
  findModelDir,
  IN_PROGRESS,
  readCard,
  resolveModelRun,
  writeCard,
  writeEnsemble,
} from "../../lib/run/mod.ts";
import { TINY_LABELS, writeFixtureModel } from "../predict/fixture_model.ts";
import { voice } from "../predict/signals.ts";

const root = await Deno.makeTempDir({ prefix: "ser-ensemble-" });
const run = path.join(root, "run");
for (const [i, seed] of [[1, 3], [2, 4], [3, 5]]) {
  await writeFixtureModel(path.join(run, `fold-${i}`), {
    seed,
    createdAt: "2026-01-01T00:00:00.000Z",
  });
}
writeEnsemble(run, {
  members: ["fold-1", "fold-2", "fold-3"],
  description: "three fixture models",
});
const wav = path.join(root, "clip.wav");
const long = path.join(root, "long.wav");
Deno.writeFileSync(wav, encodeWav(voice(16000, 0.8), 16000));
Deno.writeFileSync(long, encodeWav(voice(16000, 3.2, { seed: 1 }), 16000));

Deno.test("an ensemble predicts the mean of its members' probabilities, for a clip and a timeline", async () => {
  const ensemble = await loadPredictor(run);
  assert.equal(ensemble.members.length, 3);
  assert.match(ensemble.description, /an ensemble of 3 models/);
  const members = await Promise.all(
    ["fold-1", "fold-2", "fold-3"].map((f) => loadPredictor(path.join(run, f))),
  );
  try {
    for (const file of [wav, long]) {
      const got = await ensemble.predictFile(file);
      const each = await Promise.all(members.map((m) => m.predictFile(file)));
      for (const label of TINY_LABELS) {
        const mean = each.reduce((s, p) => s + p.probabilities[label], 0) / 3;
        assert.ok(
          Math.abs(got.probabilities[label] - mean) < 1e-6,
          `${path.basename(file)} ${label}: ${
            got.probabilities[label]
          } vs ${mean}`,
        );
      }
      // The members differ (else the test could not fail).
      assert.notEqual(
        each[0].probabilities[TINY_LABELS[0]],
        each[1].probabilities[TINY_LABELS[0]],
      );
      if (file === long) {
        assert.ok(got.timeline && got.timeline.length > 1);
        const w = got.timeline![1];
        const mean = each.reduce(
          (s, p) => s + p.timeline![1].probabilities[TINY_LABELS[1]],
          0,
        ) / 3;
        assert.ok(Math.abs(w.probabilities[TINY_LABELS[1]] - mean) < 1e-6);
      }
    }
  } finally {
    ensemble.dispose();
    for (const m of members) m.dispose();
  }
});

Deno.test("the newest-model search and resolveModelRun treat an ensemble as one model", () => {
  assert.deepEqual(findModelDir(root), { dir: run, source: "trained" });
  const resolved = resolveModelRun(run);
  assert.equal(resolved.ensemble?.members.length, 3);
  assert.equal(resolved.folds, true);
  assert.deepEqual(
    resolved.models.map((m) => path.basename(m.dir)),
    ["fold-1", "fold-2", "fold-3"],
  );
});

Deno.test("an ensemble manifest is checked: members inside the folder, finished, on the same labels and features", async () => {
  const bad = path.join(root, "bad");
  await writeFixtureModel(path.join(bad, "a"));
  await writeFixtureModel(path.join(bad, "other-labels"), {
    labels: ["neutral", "happy", "sad"],
  });
  assert.throws(
    () =>
      writeEnsemble(bad, { members: ["a", "other-labels"], description: "" }),
    /member other-labels has labels neutral, happy, sad, a has neutral, happy, sad, angry/,
  );
  assert.throws(
    () =>
      writeEnsemble(bad, { members: ["a", "../run/fold-1"], description: "" }),
    /member "\.\.\/run\/fold-1" is not a folder inside/,
  );
  assert.throws(
    () => writeEnsemble(bad, { members: [], description: "" }),
    /members must be a non-empty list/,
  );
  const a = path.join(bad, "a");
  writeCard(a, {
    ...readCard(a),
    training: { ...readCard(a).training, stopReason: IN_PROGRESS },
  });
  assert.throws(
    () => writeEnsemble(bad, { members: ["a"], description: "" }),
    /member a is still training/,
  );
  Deno.writeTextFileSync(path.join(bad, ENSEMBLE_JSON), "{");
  await assert.rejects(loadPredictor(bad), /ensemble\.json: not valid JSON/);
});

Deno.test({
  name: "cleanup",
  fn: () => Deno.removeSync(root, { recursive: true }),
});
