import assert from "node:assert/strict";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { encodeWav, loadAudio, resample } from "../../lib/audio/mod.ts";
import {
  extractFeatures,
  featureDims,
  fixLength,
} from "../../lib/features/mod.ts";
import { readCard } from "../../lib/run/mod.ts";
import { readModelArtifacts } from "../../lib/model/io.ts";
import { predictionTimelineFigure } from "../../lib/plots/mod.ts";
import {
  loadPredictor,
  MAX_BATCH,
  type Prediction,
  type Predictor,
} from "../../lib/predict/mod.ts";
import {
  TINY_FEATURE_CONFIG,
  TINY_MODEL_CONFIG,
  writeFixtureModel,
} from "./fixture_model.ts";
import { concat, quiet, voice } from "./signals.ts";

const SR = 16000;

/**
 * Class probabilities of each clip computed independently of lib/predict:
 * the card's features, crop/pad, per-dim (x − mean) / std on the real frames,
 * and the model loaded by stock `tf.loadLayersModel` (stock LSTM layer).
 */
async function reference(
  dir: string,
  clips: Float32Array[],
): Promise<number[][]> {
  const card = readCard(dir);
  const config = card.featureConfig;
  const { mean, std } = card.normalization;
  const model = await tf.loadLayersModel(
    tf.io.fromMemory(readModelArtifacts(dir)),
  );
  const dims = featureDims(config);
  const x = new Float32Array(clips.length * config.frames * dims);
  clips.forEach((clip, i) => {
    const m = fixLength(extractFeatures(clip, config), config.frames);
    for (let t = 0; t < m.length; t++) {
      for (let d = 0; d < dims; d++) {
        const k = t * dims + d;
        x[i * config.frames * dims + k] = (m.data[k] - mean[d]) / std[d];
      }
    }
  });
  const y = model.predict(
    tf.tensor3d(x, [clips.length, config.frames, dims]),
  ) as tf.Tensor;
  const out = y.arraySync() as number[][];
  model.dispose();
  return out;
}

function assertClose(
  actual: Record<string, number>,
  expected: number[],
  labels: readonly string[],
  tol = 2e-5,
) {
  assert.deepEqual(Object.keys(actual), [...labels]);
  labels.forEach((l, i) => {
    assert.ok(
      Math.abs(actual[l] - expected[i]) <= tol,
      `${l}: ${actual[l]} vs reference ${expected[i]}`,
    );
  });
}

function assertSumsToOne(p: Record<string, number>) {
  const sum = Object.values(p).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-5, `probabilities sum to ${sum}`);
}

async function withPredictor(
  options: Parameters<typeof writeFixtureModel>[1],
  fn: (p: Predictor, dir: string) => Promise<void> | void,
) {
  const { dir } = await writeFixtureModel(undefined, options);
  const predictor = await loadPredictor(dir);
  try {
    await fn(predictor, dir);
  } finally {
    predictor.dispose();
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("a clip within the window: one prediction from the whole clip, as training computes it", async () => {
  await withPredictor({}, async (predictor, dir) => {
    assert.equal(predictor.windowS, 1); // 100 frames × 160 / 16000
    assert.equal(predictor.minDurationS, 0.5);
    // 0.6 s of voice padded with 0.3 s of near-silence each side: 1.2 s long,
    // but the trimmed content (0.6 s) fits the 1 s window.
    const clip = concat([
      quiet(SR, 0.3),
      voice(SR, 0.6, { seed: 1 }),
      quiet(SR, 0.3, 1),
    ]);
    const p = predictor.predictSamples(clip, SR);
    assert.equal(p.timeline, undefined);
    assert.ok(Math.abs(p.durationS - 1.2) < 1e-9);
    const [expected] = await reference(dir, [clip]);
    assertClose(p.probabilities, expected, predictor.labels);
    assertSumsToOne(p.probabilities);
    const top = expected.indexOf(Math.max(...expected));
    assert.equal(p.emotion, predictor.labels[top]);
  });
});

Deno.test("the card's feature config sets the input: no deltas, 50 frames, meyda, no trim, no utterance normalisation", async () => {
  const featureConfig = {
    ...TINY_FEATURE_CONFIG,
    flavour: "meyda" as const,
    deltaOrder: 0 as const,
    frames: 50,
    trimTopDb: null,
    normalize: "none" as const,
  };
  await withPredictor({ featureConfig }, async (predictor, dir) => {
    // 13 MFCC without deltas over 50 frames: the model takes [50, 13].
    assert.equal(featureDims(predictor.featureConfig), 13);
    assert.equal(predictor.windowS, 0.5);
    const clip = voice(SR, 0.5, { seed: 2 });
    const p = predictor.predictSamples(clip, SR);
    assert.equal(p.timeline, undefined);
    const [expected] = await reference(dir, [clip]);
    assertClose(p.probabilities, expected, predictor.labels);
  });
});

Deno.test("other architectures (2-D convolution, bidirectional LSTM, attention) predict as the stock model", async () => {
  const modelConfig = {
    ...TINY_MODEL_CONFIG,
    conv: { ...TINY_MODEL_CONFIG.conv, kind: "2d" as const, filters: [4] },
    rnn: { units: 6, bidirectional: true },
    pooling: "attention" as const,
  };
  await withPredictor({ modelConfig }, async (predictor, dir) => {
    const clip = voice(SR, 0.9, { seed: 10 });
    const p = predictor.predictSamples(clip, SR);
    const [expected] = await reference(dir, [clip]);
    assertClose(p.probabilities, expected, predictor.labels);
  });
});

Deno.test("a long recording: the timeline covers it, silent gaps are marked, the verdict is the mean of the voiced windows", async () => {
  await withPredictor({}, async (predictor, dir) => {
    // voice 1.5 s | gap 2 s | voice 1.5 s | gap 2 s | voice 1.5 s = 8.5 s.
    const parts = [
      voice(SR, 1.5, { seed: 3, f0: 120 }),
      quiet(SR, 2, 1),
      voice(SR, 1.5, { seed: 4, f0: 220, amp: 0.4 }),
      quiet(SR, 2, 2),
      voice(SR, 1.5, { seed: 5, f0: 170 }),
    ];
    const clip = concat(parts);
    const p = predictor.predictSamples(clip, SR);
    const timeline = p.timeline!;
    // Default window 1 s, hop 0.5 s: starts 0, 0.5, …, 7.0, then 7.5–8.5.
    assert.deepEqual(
      timeline.map((w) => [w.start_s, w.end_s]),
      Array.from({ length: 16 }, (_, i) => [i * 0.5, i * 0.5 + 1]),
    );
    // Silent: exactly the windows inside a gap (1.5–3.5 s and 5.0–7.0 s).
    const silentStarts = timeline.filter((w) => w.silent).map((w) => w.start_s);
    assert.deepEqual(silentStarts, [1.5, 2, 2.5, 5, 5.5, 6]);
    assert.ok(timeline.every((w) => w.silent === true || !("silent" in w)));
    // Every window is the training path applied to its samples.
    const expected = await reference(
      dir,
      timeline.map((w) =>
        clip.subarray(Math.round(w.start_s * SR), Math.round(w.end_s * SR))
      ),
    );
    timeline.forEach((w, i) => {
      assertClose(w.probabilities, expected[i], predictor.labels);
      assertSumsToOne(w.probabilities);
      const top = expected[i].indexOf(Math.max(...expected[i]));
      assert.equal(w.emotion, predictor.labels[top]);
    });
    // Verdict: mean over the 10 non-silent windows.
    const voiced = expected.filter((_, i) => !timeline[i].silent);
    assert.equal(voiced.length, 10);
    const mean = predictor.labels.map((_, c) =>
      voiced.reduce((s, r) => s + r[c], 0) / voiced.length
    );
    assertClose(p.probabilities, mean, predictor.labels);
    assertSumsToOne(p.probabilities);
    assert.equal(p.emotion, predictor.labels[mean.indexOf(Math.max(...mean))]);
    // Silent windows' probabilities differ from the verdict's inputs: leaving
    // them in would change the verdict.
    const all = predictor.labels.map((_, c) =>
      expected.reduce((s, r) => s + r[c], 0) / expected.length
    );
    assert.ok(all.some((v, c) => Math.abs(v - mean[c]) > 1e-4));

    // Window and hop are settable: 2 s every 1 s gives starts 0…6, then 6.5.
    const wide = predictor.predictSamples(clip, SR, { windowS: 2, hopS: 1 });
    assert.deepEqual(
      wide.timeline!.map((w) => w.start_s),
      [0, 1, 2, 3, 4, 5, 6, 6.5],
    );
    assert.equal(wide.timeline!.at(-1)!.end_s, 8.5);
    // Windows longer than the model's are centre-cropped to its frames, as
    // training crops long clips.
    const wideExpected = await reference(
      dir,
      wide.timeline!.map((w) =>
        clip.subarray(Math.round(w.start_s * SR), Math.round(w.end_s * SR))
      ),
    );
    wide.timeline!.forEach((w, i) =>
      assertClose(w.probabilities, wideExpected[i], predictor.labels)
    );
    // A higher silence threshold marks fewer windows.
    const lenient = predictor.predictSamples(clip, SR, { silenceDb: 200 });
    assert.equal(lenient.timeline!.filter((w) => w.silent).length, 0);

    // The timeline is what the plots' timeline figure takes.
    const figure = predictionTimelineFigure(timeline, { title: "timeline" });
    assert.equal(figure.data.length, predictor.labels.length + 1);
  });
});

Deno.test("more windows than one model batch: each window predicted as if alone", async () => {
  await withPredictor({}, (predictor) => {
    const clip = voice(SR, 3.5, { seed: 9 });
    const p = predictor.predictSamples(clip, SR, { windowS: 0.5, hopS: 0.01 });
    const timeline = p.timeline!;
    assert.equal(timeline.length, 301);
    assert.ok(timeline.length > MAX_BATCH);
    for (const i of [0, MAX_BATCH - 1, MAX_BATCH, 300]) {
      const w = timeline[i];
      const alone = predictor.predictSamples(
        clip.subarray(Math.round(w.start_s * SR), Math.round(w.end_s * SR)),
        SR,
        { windowS: 0.5 },
      );
      assert.equal(alone.timeline, undefined);
      assertClose(
        w.probabilities,
        predictor.labels.map((l) => alone.probabilities[l]),
        predictor.labels,
        1e-6,
      );
    }
  });
});

Deno.test("wav, mp3, flac and ogg files give the prediction of their decoded samples", async () => {
  // normalize "none": a steady tone would otherwise normalise to all zeros.
  await withPredictor({
    featureConfig: { ...TINY_FEATURE_CONFIG, normalize: "none" },
  }, async (predictor) => {
    const tmp = await Deno.makeTempDir();
    try {
      const wav = path.join(tmp, "voice_48k.wav");
      Deno.writeFileSync(
        wav,
        encodeWav(voice(48000, 0.9, { seed: 6 }), 48000, { format: "float" }),
      );
      const files = [
        wav,
        "tests/fixtures/audio/tone_440hz_44100_mono.mp3",
        "tests/fixtures/audio/tone_660hz_22050_stereo.flac",
        "tests/fixtures/audio/tone_330hz_16000_mono.ogg",
        "tests/fixtures/audio/tone_550hz_48000_mono.opus",
      ];
      const seen = new Set<string>();
      for (const file of files) {
        const p: Prediction = await predictor.predictFile(file);
        const audio = await loadAudio(file, { sr: SR });
        const q = predictor.predictSamples(audio.samples, SR);
        assert.deepEqual(p.probabilities, q.probabilities, file);
        assertSumsToOne(p.probabilities);
        assert.ok(predictor.labels.includes(p.emotion));
        seen.add(JSON.stringify(p.probabilities));
      }
      assert.equal(
        seen.size,
        files.length,
        "each input gives its own probabilities",
      );
      // predictSamples resamples other rates to the card's rate itself.
      const x48 = voice(48000, 0.9, { seed: 8 });
      assert.deepEqual(
        predictor.predictSamples(x48, 48000).probabilities,
        predictor.predictSamples(resample(x48, 48000, SR), SR).probabilities,
      );
    } finally {
      Deno.removeSync(tmp, { recursive: true });
    }
  });
});

Deno.test("unreadable, too short and silent audio are refused with the file and the reason", async () => {
  await withPredictor({}, async (predictor) => {
    const tmp = await Deno.makeTempDir();
    const write = (name: string, bytes: Uint8Array) => {
      const file = path.join(tmp, name);
      Deno.writeFileSync(file, bytes);
      return file;
    };
    const fails = async (file: string, pattern: RegExp) => {
      await assert.rejects(predictor.predictFile(file), (err: Error) => {
        assert.ok(err.message.startsWith(`${file}: `), err.message);
        assert.match(err.message, pattern);
        return true;
      });
    };
    try {
      await fails(path.join(tmp, "missing.wav"), /cannot read file/);
      await fails(
        write(
          "text.wav",
          new TextEncoder().encode("this is not audio at all, just text"),
        ),
        /not a RIFF\/WAVE file and not a recognised audio format/,
      );
      await fails(
        write("empty.mp3", new Uint8Array(0)),
        /empty file \(0 bytes\)/,
      );
      await fails(
        write("short.wav", encodeWav(voice(SR, 0.3), SR)),
        /: audio too short: 0\.3 s, the minimum is 0\.5 s$/,
      );
      await fails(
        write("zeros.wav", encodeWav(new Float32Array(2 * SR), SR)),
        /: silent audio: the loudest 50 ms is at −∞ dBFS, below the -70 dBFS floor$/,
      );
      await fails(
        write(
          "hiss.wav",
          encodeWav(quiet(48000, 2, 0, 1e-4), 48000, { format: "float" }),
        ),
        /: silent audio: the loudest 50 ms is at -8\d\.\d dBFS, below the -70 dBFS floor$/,
      );
      // Samples: named by `source`, or "samples".
      assert.throws(
        () => predictor.predictSamples(new Float32Array(100), SR),
        /^Error: samples: audio too short: 0\.006 s, the minimum is 0\.5 s$/,
      );
      assert.throws(
        () =>
          predictor.predictSamples(new Float32Array(SR), SR, { source: "mic" }),
        /^Error: mic: silent audio: the loudest 50 ms is at −∞ dBFS/,
      );
      // Invalid timeline settings.
      assert.throws(
        () => predictor.predictSamples(voice(SR, 2), SR, { windowS: 0.2 }),
        /^Error: window 0\.2 s is invalid: it must be at least 0\.5 s$/,
      );
      assert.throws(
        () => predictor.predictSamples(voice(SR, 2), SR, { hopS: 0 }),
        /hop 0 s is invalid/,
      );
      assert.throws(
        () => predictor.windowing({ silenceDb: -3 }),
        /silence threshold -3 dB is invalid/,
      );
      assert.deepEqual(predictor.windowing({ windowS: 2 }), {
        windowS: 2,
        hopS: 1,
        silenceDb: 30,
      });
    } finally {
      Deno.removeSync(tmp, { recursive: true });
    }
  });
});
