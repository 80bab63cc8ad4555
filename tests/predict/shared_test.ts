import assert from "node:assert/strict";
import * as path from "node:path";
import { encodeWav, loadAudio, probeAudio } from "../../lib/audio/mod.ts";
import { trimBounds } from "../../lib/dsp/mod.ts";
import { SHARED_RAVDESS_DIR, walkFiles } from "../../lib/paths.ts";
import { loadPredictor } from "../../lib/predict/mod.ts";
import { hasShared } from "../shared.ts";
import { runPredictCli } from "./cli.ts";
import {
  TINY_FEATURE_CONFIG,
  TINY_MODEL_CONFIG,
  writeFixtureModel,
} from "./fixture_model.ts";

const SR = 16000;
const shared = hasShared();

/** A handful of real clips: every 48th of the 240, plus the two stereo ones. */
function someClips(): string[] {
  const all = walkFiles(SHARED_RAVDESS_DIR, [".wav"]);
  return [
    ...all.filter((_, i) => i % 48 === 0),
    path.join(SHARED_RAVDESS_DIR, "Actor_01", "03-01-02-01-01-02-01.wav"),
    path.join(SHARED_RAVDESS_DIR, "Actor_01", "03-01-08-01-02-02-01.wav"),
  ];
}

function sumOf(p: Record<string, number>): number {
  return Object.values(p).reduce((a, b) => a + b, 0);
}

Deno.test({
  name:
    "predict on real RAVDESS clips (48 kHz, mono and stereo): a verdict per clip, probabilities sum to 1",
  ignore: !shared,
  fn: async () => {
    // A 3 s window, as the default feature config: most RAVDESS clips'
    // speech (trimmed) fits it, so they get one whole-clip prediction.
    // Mean pooling: with random weights the last LSTM state after 2 s of
    // zero padding forgets the clip, the mean over time does not.
    const { dir, card } = await writeFixtureModel(undefined, {
      featureConfig: { ...TINY_FEATURE_CONFIG, frames: 300 },
      modelConfig: { ...TINY_MODEL_CONFIG, pooling: "mean" },
    });
    const predictor = await loadPredictor(dir);
    try {
      const clips = someClips();
      assert.equal(clips.length, 7);
      assert.equal((await probeAudio(clips[5])).channels, 2);
      const verdicts = new Set<string>();
      let timelines = 0;
      for (const clip of clips) {
        const p = await predictor.predictFile(clip);
        assert.deepEqual(Object.keys(p.probabilities), card.labels, clip);
        assert.ok(Math.abs(sumOf(p.probabilities) - 1) < 1e-5, clip);
        // A timeline exactly when the trimmed speech is longer than 3 s.
        const x = (await loadAudio(clip, { sr: SR })).samples;
        const [a, b] = trimBounds(x, { topDb: 60 });
        assert.equal(p.timeline !== undefined, b - a > 3 * SR, clip);
        if (p.timeline) timelines++;
        assert.ok(p.durationS > 3 && p.durationS < 5.1, clip);
        verdicts.add(JSON.stringify(p.probabilities));
      }
      assert.equal(verdicts.size, clips.length);
      assert.ok(timelines < clips.length / 2);
    } finally {
      predictor.dispose();
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "three RAVDESS clips with 2 s of silence between: the windows cover the recording, the silences are marked",
  ignore: !shared,
  fn: async () => {
    const { dir } = await writeFixtureModel();
    const predictor = await loadPredictor(dir);
    try {
      const clips = await Promise.all(
        someClips().slice(1, 4).map(async (f) =>
          (await loadAudio(f, { sr: SR })).samples
        ),
      );
      const gap = new Float32Array(2 * SR);
      const parts = [clips[0], gap, clips[1], gap, clips[2]];
      const x = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      const speech: [number, number][] = [];
      const gaps: [number, number][] = [];
      let offset = 0;
      for (const p of parts) {
        x.set(p, offset);
        if (p === gap) gaps.push([offset / SR, (offset + p.length) / SR]);
        else {
          const [a, b] = trimBounds(p, { topDb: 25 });
          speech.push([(offset + a) / SR, (offset + b) / SR]);
        }
        offset += p.length;
      }
      const duration = x.length / SR;
      const p = predictor.predictSamples(x, SR, { source: "ravdess-concat" });
      const timeline = p.timeline!;
      // Coverage: from 0 to the end, each window overlapping the next.
      assert.equal(timeline[0].start_s, 0);
      assert.ok(Math.abs(timeline.at(-1)!.end_s - duration) < 1e-3);
      for (let i = 1; i < timeline.length; i++) {
        assert.ok(timeline[i].start_s <= timeline[i - 1].end_s);
        assert.ok(timeline[i].start_s > timeline[i - 1].start_s);
      }
      const overlaps = (
        w: { start_s: number; end_s: number },
        [a, b]: [number, number],
      ) => w.start_s < b && w.end_s > a;
      const inside = (
        w: { start_s: number; end_s: number },
        [a, b]: [number, number],
      ) => w.start_s >= a && w.end_s <= b;
      // Every window wholly inside a 2 s gap is silent; no window touching speech is.
      const inGap = timeline.filter((w) => gaps.some((g) => inside(w, g)));
      assert.ok(inGap.length >= 4);
      assert.ok(inGap.every((w) => w.silent));
      assert.ok(
        timeline.filter((w) => speech.some((s) => overlaps(w, s))).every((w) =>
          !w.silent
        ),
      );
      const silent = timeline.filter((w) => w.silent).length;
      assert.ok(silent >= inGap.length && silent < timeline.length);
      assert.ok(Math.abs(sumOf(p.probabilities) - 1) < 1e-5);
      for (const w of timeline) {
        assert.ok(Math.abs(sumOf(w.probabilities) - 1) < 1e-5);
      }
    } finally {
      predictor.dispose();
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "predict CLI --json on a folder of RAVDESS clips: valid JSON, one entry per file, the card's labels",
  ignore: !shared,
  fn: async () => {
    const { dir, card } = await writeFixtureModel(undefined, {
      featureConfig: { ...TINY_FEATURE_CONFIG, frames: 300 },
    });
    const tmp = await Deno.makeTempDir({ prefix: "ser-predict-ravdess-" });
    try {
      const clips = someClips();
      // Copies in a temporary folder (never in the repository), one of them
      // also as a long recording that gets a timeline.
      for (const c of clips) {
        Deno.copyFileSync(c, path.join(tmp, path.basename(c)));
      }
      const a = await loadAudio(clips[0], { sr: null });
      const long = new Float32Array(a.samples.length * 3);
      long.set(a.samples);
      long.set(a.samples, 2 * a.samples.length);
      Deno.writeFileSync(path.join(tmp, "zz_long.wav"), encodeWav(long, a.sr));

      const r = await runPredictCli(["--model", dir, "--json", tmp]);
      assert.equal(r.code, 0, r.stderr);
      const entries = JSON.parse(r.stdout);
      assert.ok(Array.isArray(entries));
      assert.equal(entries.length, clips.length + 1);
      assert.deepEqual(
        entries.map((e: { path: string }) => path.basename(e.path)),
        [...clips.map((c) => path.basename(c)).sort(), "zz_long.wav"],
      );
      for (const e of entries) {
        assert.equal(e.error, undefined);
        assert.deepEqual(Object.keys(e.probabilities), card.labels);
        assert.ok(Math.abs(sumOf(e.probabilities) - 1) < 1e-5, e.path);
        assert.ok(card.labels.includes(e.emotion));
      }
      const { timeline } = entries.at(-1);
      assert.ok(timeline.length >= 3);
      assert.ok(timeline.some((w: { silent?: boolean }) => w.silent));
      for (const w of timeline) {
        assert.deepEqual(Object.keys(w.probabilities), card.labels);
        assert.ok(Math.abs(sumOf(w.probabilities) - 1) < 1e-5);
      }
    } finally {
      Deno.removeSync(tmp, { recursive: true });
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
