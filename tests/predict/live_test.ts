/**
 * The live timeline (the `serve` page's microphone) against `predict`: fed a
 * recording in chunks at another rate, it gives the windows, probabilities
 * and silence marks of `predictSamples` with the same hop on the whole
 * recording; marks follow the loudest window heard so far meanwhile.
 */
import assert from "node:assert/strict";
import {
  LiveTimeline,
  loadPredictor,
  type TimelineWindow,
} from "../../lib/predict/mod.ts";
import { writeFixtureModel } from "./fixture_model.ts";
import { concat, quiet, voice } from "./signals.ts";

const INPUT_SR = 48000;

function maxDiff(a: TimelineWindow, b: TimelineWindow): number {
  return Math.max(
    ...Object.keys(a.probabilities).map((l) =>
      Math.abs(a.probabilities[l] - b.probabilities[l])
    ),
  );
}

Deno.test("live timeline fed 48 kHz chunks = predict's timeline of the whole recording (hop 0.5 s)", async () => {
  const { dir } = await writeFixtureModel();
  const predictor = await loadPredictor(dir);
  try {
    // Quiet voice, a gap, then loud voice: early windows turn silent only
    // once the louder speech arrives.
    const clip = concat([
      voice(INPUT_SR, 1.2, { seed: 1, amp: 0.01 }),
      quiet(INPUT_SR, 1.5, 1),
      voice(INPUT_SR, 2.3, { seed: 2, f0: 210, amp: 0.6 }),
    ]);
    const expected = predictor.predictSamples(clip, INPUT_SR, { hopS: 0.5 })
      .timeline!;
    const live = new LiveTimeline(predictor, INPUT_SR, { hopS: 0.5 });
    const got: TimelineWindow[] = [];
    let marksBeforeLoud: boolean[] = [];
    for (let i = 0; i < clip.length; i += 1024) {
      const update = live.push(clip.subarray(i, i + 1024));
      got.push(...update.windows);
      if (i < 2.5 * INPUT_SR) marksBeforeLoud = update.silent;
    }
    got.push(...live.finish().windows);
    assert.deepEqual(
      live.windows.map((w) => [w.start_s, w.end_s, w.emotion, !!w.silent]),
      expected.map((w) => [w.start_s, w.end_s, w.emotion, !!w.silent]),
    );
    assert.equal(got.length, expected.length);
    for (let i = 0; i < expected.length; i++) {
      assert.ok(
        maxDiff(live.windows[i], expected[i]) < 1e-5,
        `window ${i}: ${maxDiff(live.windows[i], expected[i])}`,
      );
    }
    assert.ok(expected.some((w) => w.silent), "the fixture has silent windows");
    // The quiet first window: voiced until the loud speech, then silent.
    assert.equal(marksBeforeLoud[0], false);
    assert.equal(live.windows[0].silent, true);
  } finally {
    predictor.dispose();
  }
});
