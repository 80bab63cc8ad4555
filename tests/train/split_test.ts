import assert from "node:assert/strict";
import {
  randomSplit,
  speakerFolds,
  speakerMatches,
  speakersOf,
  speakerSplit,
} from "../../lib/train/split.ts";

const EMOTIONS = ["angry", "happy", "sad", "neutral"];
const items = Array.from(
  { length: 8 },
  (_, s) =>
    Array.from({ length: 12 }, (_, i) => ({
      speaker: `ravdess:${String(s + 1).padStart(2, "0")}`,
      emotion: EMOTIONS[i % EMOTIONS.length],
      id: `${s}-${i}`,
    })),
).flat();

function disjoint(a: string[], b: string[]): boolean {
  return a.every((x) => !b.includes(x));
}

Deno.test("speakerSplit keeps every speaker in exactly one part", () => {
  const split = speakerSplit(items, { seed: 1 });
  assert.equal(split.kind, "speaker");
  assert.equal(split.leaky, false);
  const { train, validation, test } = split.speakers;
  assert.ok(
    disjoint(train, test) && disjoint(train, validation) &&
      disjoint(validation, test),
  );
  assert.deepEqual(
    [...train, ...validation, ...test].sort(),
    speakersOf(items),
  );
  assert.equal(
    split.train.length + split.validation.length + split.test.length,
    items.length,
  );
  for (const it of split.test) assert.ok(test.includes(it.speaker));
  assert.match(split.description, /speaker-independent/);
});

Deno.test("speakerSplit honours --test-speakers given as bare numbers", () => {
  const split = speakerSplit(items, { seed: 1, testSpeakers: ["4"] });
  assert.deepEqual(split.speakers.test, ["ravdess:04"]);
  assert.ok(!split.speakers.train.includes("ravdess:04"));
  assert.throws(
    () => speakerSplit(items, { seed: 1, testSpeakers: ["99"] }),
    /matches no speaker/,
  );
});

Deno.test("speakerSplit is seeded", () => {
  assert.deepEqual(
    speakerSplit(items, { seed: 7 }).speakers,
    speakerSplit(items, { seed: 7 }).speakers,
  );
  const seeds = new Set(
    [1, 2, 3, 4, 5].map((s) =>
      speakerSplit(items, { seed: s }).speakers.test.join()
    ),
  );
  assert.ok(
    seeds.size > 1,
    "different seeds should draw different test speakers",
  );
});

Deno.test("speakerSplit refuses fewer than 3 speakers", () => {
  const two = items.filter((i) => i.speaker <= "ravdess:02");
  assert.throws(() => speakerSplit(two, { seed: 1 }), /at least 3 speakers/);
});

Deno.test("randomSplit is labelled leaky and stratified", () => {
  const split = randomSplit(items, { seed: 3 });
  assert.equal(split.kind, "random");
  assert.equal(split.leaky, true);
  assert.match(split.description, /LEAKY/);
  for (const e of EMOTIONS) {
    const n = split.test.filter((i) => i.emotion === e).length;
    assert.equal(n, Math.round(24 * 0.2));
  }
  const ids = [...split.train, ...split.validation, ...split.test].map((i) =>
    i.id
  );
  assert.equal(new Set(ids).size, items.length);
});

Deno.test("speakerFolds tests every speaker exactly once", () => {
  const folds = speakerFolds(items, 4, 5);
  assert.equal(folds.length, 4);
  const tested = folds.flatMap((f) => f.speakers.test).sort();
  assert.deepEqual(tested, speakersOf(items));
  for (const f of folds) {
    assert.ok(disjoint(f.speakers.train, f.speakers.test));
    assert.ok(disjoint(f.speakers.validation, f.speakers.test));
    assert.ok(disjoint(f.speakers.train, f.speakers.validation));
    assert.ok(f.validation.length > 0 && f.train.length > 0);
  }
  assert.throws(() => speakerFolds(items, 9, 1), /needs at least 9 speakers/);
});

Deno.test("speakerMatches", () => {
  assert.ok(speakerMatches("ravdess:04", "4"));
  assert.ok(speakerMatches("ravdess:04", "04"));
  assert.ok(speakerMatches("ravdess:04", "ravdess:04"));
  assert.ok(!speakerMatches("ravdess:14", "4"));
  assert.ok(speakerMatches("tess:OAF", "OAF"));
});
