/**
 * `unheardClips` scores a model only on voices it never heard: the card's
 * own test clips when it has them, else the corpus's clips of speakers in
 * neither its training nor its validation part, and a clear refusal when
 * the model heard every speaker.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { unheardClips } from "../../lib/predict/mod.ts";
import type { ModelCard } from "../../lib/run/mod.ts";
import { tinyCorpus } from "../report/fixture.ts";
import { writeFixtureModel } from "./fixture_model.ts";

const root = await Deno.makeTempDir({ prefix: "ser-unheard-" });
const corpus = await tinyCorpus(path.join(root, "corpus"));
const { card } = await writeFixtureModel(path.join(root, "model"));
const withSplit = (
  speakers: ModelCard["split"]["speakers"],
  testClips: ModelCard["split"]["testClips"] = [],
): ModelCard => ({ ...card, split: { ...card.split, speakers, testClips } });

Deno.test("unheardClips: the corpus's clips of speakers the model never heard; refused when it heard them all", async () => {
  const clips = await unheardClips(
    withSplit({
      train: ["synthetic:01"],
      validation: ["synthetic:02"],
      test: [],
    }),
    [corpus],
  );
  assert.ok(clips.length > 0);
  assert.deepEqual([...new Set(clips.map((c) => c.speaker))], [
    "synthetic:03",
  ]);
  await assert.rejects(
    () =>
      unheardClips(
        withSplit({
          train: ["synthetic:01", "synthetic:03"],
          validation: ["synthetic:02"],
          test: [],
        }),
        [corpus],
      ),
    /trained on every speaker of .*no unheard voice/,
  );
});

Deno.test("unheardClips: a card's own test clips come first", async () => {
  const [first] = await unheardClips(
    withSplit({ train: ["synthetic:01"], validation: [], test: [] }),
    [corpus],
  );
  const clips = await unheardClips(
    withSplit({ train: [], validation: [], test: [first.speaker] }, [first]),
    [corpus],
  );
  assert.deepEqual(clips, [first]);
});

Deno.test({
  name: "cleanup",
  fn: () => Deno.removeSync(root, { recursive: true }),
});
