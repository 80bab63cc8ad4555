/**
 * Speaker-level normalisation computes what it claims: each speaker's clips
 * are standardised by that speaker's statistics alone; a speaker-normalised
 * model normalises one file by its own statistics, a speaker's files by all
 * of theirs, and an evaluation never lets one speaker's statistics touch
 * another speaker's predictions.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { encodeWav } from "../../lib/audio/mod.ts";
import {
  frameStats,
  frameStatsAccumulator,
  normalizeGroups,
  standardize,
} from "../../lib/features/mod.ts";
import {
  evaluatePredictor,
  loadPredictor,
  predictPaths,
} from "../../lib/predict/mod.ts";
import { TINY_FEATURE_CONFIG, writeFixtureModel } from "./fixture_model.ts";
import { voice } from "./signals.ts";

/** A 2-dim clip of `values` whose first `length` frames are real. */
const clip = (values: number[], length: number) => ({
  data: Float32Array.from(values),
  frames: values.length / 2,
  dims: 2,
  length,
});

Deno.test("normalizeGroups: every group by its own statistics only; padding stays zero", () => {
  const a1 = clip([1, 10, 3, 30, 0, 0], 2); // last frame is padding
  const a2 = clip([5, 50, 7, 70, 0, 0], 2);
  const b1 = clip([100, -1, 300, -3, 200, -2], 3);
  const out = normalizeGroups([a1, b1, a2], (i) => ["a", "b", "a"][i]);
  // Group a: dim 0 over 1, 3, 5, 7 → mean 4, std √5.
  const s5 = Math.sqrt(5);
  assert.deepEqual(
    Array.from(out[0].data).map((v) => +v.toFixed(5)),
    [-3 / s5, -3 / s5, -1 / s5, -1 / s5, 0, 0].map((v) => +v.toFixed(5)),
  );
  const stats = frameStats([b1]);
  assert.deepEqual(Array.from(out[1].data), Array.from(standardize(b1, stats)));
  // Changing group b changes nothing in group a.
  const other = normalizeGroups(
    [a1, clip([9, 9, 8, 8, 7, 7], 3), a2],
    (i) => ["a", "b", "a"][i],
  );
  assert.deepEqual(Array.from(other[0].data), Array.from(out[0].data));
  assert.deepEqual(Array.from(other[2].data), Array.from(out[2].data));
});

Deno.test("frameStatsAccumulator: clips added one at a time give frameStats exactly; empty and mixed dims refused", () => {
  const clips = [clip([1, 2, 3, 4, 9, 9], 2), clip([0.5, -1, 7, 2, 3, 3], 3)];
  const acc = frameStatsAccumulator(2);
  clips.forEach((c) => acc.add(c));
  assert.deepEqual(acc.result(), frameStats(clips));
  assert.throws(() => frameStatsAccumulator(2).result(), /no clips/);
  assert.throws(
    () => frameStatsAccumulator(3).add(clips[0]),
    /clips of 2 and 3 dims/,
  );
});

const root = await Deno.makeTempDir({ prefix: "ser-speaker-norm-" });
const { dir } = await writeFixtureModel(path.join(root, "model"), {
  featureConfig: { ...TINY_FEATURE_CONFIG, normalize: "speaker" },
});
const file = (name: string, f0: number, seed: number) => {
  const p = path.join(root, name);
  Deno.writeFileSync(
    p,
    encodeWav(voice(16000, 0.9, { f0, seed, amp: 0.1 + seed / 20 }), 16000),
  );
  return p;
};
const a1 = file("a1.wav", 120, 1);
const a2 = file("a2.wav", 150, 2);
const b1 = file("b1.wav", 220, 3);
const b2 = file("b2.wav", 260, 4);

Deno.test("a speaker-normalised model: one file by its own statistics, a speaker's files by all of theirs", async () => {
  const predictor = await loadPredictor(dir);
  try {
    assert.equal(predictor.speakerNormalized, true);
    const alone = await predictor.predictFile(a1);
    assert.equal(alone.normalization, "recording");
    const own = await predictor.predictFile(a1, {
      speakerStats: await predictor.speakerStats([a1]),
    });
    assert.equal(own.normalization, "speaker");
    assert.deepEqual(own.probabilities, alone.probabilities);
    const together = await predictor.predictFile(a1, {
      speakerStats: await predictor.speakerStats([a1, a2]),
    });
    assert.notDeepEqual(together.probabilities, alone.probabilities);
    // --same-speaker: every file by the statistics of all of them.
    const entries = await predictPaths(predictor, [a1, a2], {
      sameSpeaker: true,
    });
    assert.deepEqual(
      (entries[0] as { probabilities: unknown }).probabilities,
      together.probabilities,
    );
    assert.equal(
      (entries[0] as { normalization?: string }).normalization,
      "speaker",
    );
  } finally {
    predictor.dispose();
  }
});

Deno.test("a lone recording on a model whose card has a typical-speaker prior is normalised by the prior; a bad prior is refused", async () => {
  const { dir: withPrior } = await writeFixtureModel(
    path.join(root, "model-prior"),
    { featureConfig: { ...TINY_FEATURE_CONFIG, normalize: "speaker" } },
  );
  const cardFile = path.join(withPrior, "card.json");
  const card = JSON.parse(Deno.readTextFileSync(cardFile));
  const dims = card.normalization.mean.length;
  const prior = {
    mean: Array.from({ length: dims }, (_, d) => -60 + d),
    std: Array.from({ length: dims }, (_, d) => 5 + d / 10),
  };
  Deno.writeTextFileSync(
    cardFile,
    JSON.stringify({ ...card, speakerPrior: prior }),
  );
  const predictor = await loadPredictor(withPrior);
  try {
    assert.deepEqual(Array.from(predictor.speakerPrior!.mean), prior.mean);
    const alone = await predictor.predictFile(a1);
    assert.equal(alone.normalization, "typical-speaker");
    const byPrior = await predictor.predictFile(a1, {
      speakerStats: predictor.speakerPrior!,
    });
    assert.deepEqual(alone.probabilities, byPrior.probabilities);
    const own = await predictor.predictFile(a1, {
      speakerStats: await predictor.speakerStats([a1]),
    });
    assert.notDeepEqual(alone.probabilities, own.probabilities);
  } finally {
    predictor.dispose();
  }
  Deno.writeTextFileSync(
    cardFile,
    JSON.stringify({
      ...card,
      speakerPrior: { ...prior, std: prior.std.map(() => 0) },
    }),
  );
  await assert.rejects(
    () => loadPredictor(withPrior),
    /speakerPrior statistics hold non-finite values or a std ≤ 0/,
  );
});

Deno.test("evaluation normalises each speaker by their own clips: another speaker's audio never changes a prediction", async () => {
  const predictor = await loadPredictor(dir);
  try {
    const items = (b: [string, string]) => [
      { path: a1, corpus: "x", speaker: "x:a", emotion: "happy" as const },
      { path: a2, corpus: "x", speaker: "x:a", emotion: "sad" as const },
      { path: b[0], corpus: "x", speaker: "x:b", emotion: "happy" as const },
      { path: b[1], corpus: "x", speaker: "x:b", emotion: "angry" as const },
    ];
    const run = async (b: [string, string]) =>
      (await evaluatePredictor(predictor, items(b), { progress: "silent" }))
        .clips;
    const first = await run([b1, b2]);
    const c = file("c.wav", 90, 9);
    const second = await run([c, b2]);
    for (const p of [a1, a2]) {
      assert.deepEqual(
        second.find((x) => x.path === p)!.probabilities,
        first.find((x) => x.path === p)!.probabilities,
        `${path.basename(p)} moved when speaker b changed`,
      );
    }
    // And speaker a's clips were normalised together (not each alone).
    const together = await predictor.predictFile(a1, {
      speakerStats: await predictor.speakerStats([a1, a2]),
    });
    assert.deepEqual(
      first.find((x) => x.path === a1)!.probabilities,
      together.probabilities,
    );
  } finally {
    predictor.dispose();
  }
});

Deno.test({
  name: "cleanup",
  fn: () => Deno.removeSync(root, { recursive: true }),
});
