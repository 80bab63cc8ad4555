import assert from "node:assert/strict";
import {
  applyLabelOptions,
  CREMAD_EMOTIONS,
  EMODB_EMOTIONS,
  emotionFromWord,
  EMOTIONS,
  labelSet,
  parseMergeSpecs,
  parseSelect,
  RAVDESS_EMOTIONS,
  SAVEE_EMOTIONS,
  TESS_EMOTIONS,
  validateLabelOptions,
} from "../../lib/corpora/mod.ts";

Deno.test("vocabulary has the nine emotions in canonical order", () => {
  assert.deepEqual([...EMOTIONS], [
    "neutral",
    "calm",
    "happy",
    "sad",
    "angry",
    "fearful",
    "disgust",
    "surprised",
    "boredom",
  ]);
});

Deno.test("per-corpus maps land in the vocabulary as documented", () => {
  assert.deepEqual(Object.values(RAVDESS_EMOTIONS), EMOTIONS.slice(0, 8));
  assert.equal(TESS_EMOTIONS.ps, "surprised");
  assert.equal(TESS_EMOTIONS.fear, "fearful");
  assert.deepEqual(
    Object.keys(CREMAD_EMOTIONS).sort(),
    ["ANG", "DIS", "FEA", "HAP", "NEU", "SAD"],
  );
  assert.equal(SAVEE_EMOTIONS.sa, "sad");
  assert.equal(SAVEE_EMOTIONS.su, "surprised");
  assert.equal(SAVEE_EMOTIONS.a, "angry");
  assert.deepEqual(EMODB_EMOTIONS, {
    W: "angry",
    L: "boredom",
    E: "disgust",
    A: "fearful",
    F: "happy",
    T: "sad",
    N: "neutral",
  });
});

Deno.test("free-form label words", () => {
  assert.equal(emotionFromWord("Anger"), "angry");
  assert.equal(emotionFromWord(" happiness "), "happy");
  assert.equal(emotionFromWord("Pleasant Surprise"), "surprised");
  assert.equal(emotionFromWord("pleasant-surprised"), "surprised");
  assert.equal(emotionFromWord("bored"), "boredom");
  assert.equal(emotionFromWord("excited"), undefined);
  assert.equal(emotionFromWord("constructor"), undefined);
});

Deno.test("merge applies before select", () => {
  const options = {
    merge: parseMergeSpecs(["calm=neutral", "boredom=neutral"]),
    select: parseSelect(["neutral,angry"]),
  };
  validateLabelOptions(options);
  assert.equal(applyLabelOptions("calm", options), "neutral");
  assert.equal(applyLabelOptions("boredom", options), "neutral");
  assert.equal(applyLabelOptions("angry", options), "angry");
  assert.equal(applyLabelOptions("happy", options), null);
  assert.deepEqual(labelSet(options), ["neutral", "angry"]);
  assert.deepEqual(
    labelSet({ merge: { calm: "neutral" } }, EMOTIONS.slice(0, 8)),
    [
      "neutral",
      "happy",
      "sad",
      "angry",
      "fearful",
      "disgust",
      "surprised",
    ],
  );
  assert.equal(applyLabelOptions("sad"), "sad");
});

Deno.test("bad label options are rejected with the offending name", () => {
  assert.throws(
    () => parseMergeSpecs(["calm=relaxed"]),
    /unknown emotion "relaxed"/,
  );
  assert.throws(
    () => parseMergeSpecs(["calm"]),
    /expected from=to, got "calm"/,
  );
  assert.throws(
    () => parseSelect(["angry,joyful"]),
    /unknown emotion "joyful"/,
  );
  assert.throws(
    () => validateLabelOptions({ merge: { calm: "neutral", neutral: "sad" } }),
    /chains/,
  );
  assert.throws(() => validateLabelOptions({ select: [] }), /empty/);
});
