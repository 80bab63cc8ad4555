import assert from "node:assert/strict";
import * as path from "node:path";
import {
  DEFAULT_FEATURE_CONFIG,
  extractBatch,
  resolveFeatureConfig,
  validateFeatureConfig,
} from "../../lib/features/mod.ts";
import { encodeWav } from "../../lib/audio/mod.ts";
import { runCliScript } from "../cli.ts";
import { tempDir } from "../data/loopback.ts";

const over = (fields: Record<string, unknown>) => ({
  ...DEFAULT_FEATURE_CONFIG,
  ...fields,
});

Deno.test("validateFeatureConfig: unknown keys, wrong types and out-of-range sizes are errors naming the field", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { nmfcc: 20 },
      /card\.json: unknown key "nmfcc" \(did you mean nMfcc\?\); a feature config has version, flavour, /,
    ],
    [{ n_mels: 40 }, /unknown key "n_mels" \(did you mean nMels\?\)/],
    [{ colour: "red" }, /unknown key "colour"; a feature config has/],
    [
      { nMfcc: "20" },
      /card\.json: nMfcc must be an integer, got "20" \(a string\)$/,
    ],
    [{ sr: 16000.5 }, /sr must be an integer, got 16000\.5/],
    [{ frames: null }, /frames must be an integer, got null/],
    [
      { frames: 1e9 },
      /card\.json: frames must be within 1–10000, got 1000000000$/,
    ],
    [
      { nFft: 2 ** 20, winLength: 400 },
      /nFft must be within 8–65536, got 1048576/,
    ],
    [{ hopLength: 1e6 }, /hopLength must be within 1–65536, got 1000000/],
    [{ hopLength: 0 }, /hopLength must be within 1–65536, got 0/],
    [{ nMels: 100000 }, /nMels must be within 1–512, got 100000/],
    [{ nMfcc: 1000, nMels: 512 }, /nMfcc must be within 1–128, got 1000/],
    [{ sr: 1, fmax: 0.5 }, /sr must be within 1000–768000, got 1/],
    [{ sr: 2 ** 31 }, /sr must be within 1000–768000, got 2147483648/],
    [{ fmin: "0" }, /fmin must be a number, got "0" \(a string\)/],
    [{ fmax: Infinity }, /fmax must be a number, got Infinity/],
    [
      { trimTopDb: "60" },
      /trimTopDb must be a positive number or null, got "60" \(a string\)/,
    ],
    [{ deltaOrder: "2" }, /deltaOrder must be 0, 1 or 2, got "2" \(a string\)/],
    [{ kind: ["mfcc"] }, /kind must be "mfcc" or "logmel", got an array/],
  ];
  for (const [fields, expected] of cases) {
    assert.throws(
      () => validateFeatureConfig(over(fields), "card.json"),
      expected,
      JSON.stringify(fields),
    );
  }
  const { frames: _, ...noFrames } = DEFAULT_FEATURE_CONFIG;
  assert.throws(
    () => validateFeatureConfig(noFrames, "x"),
    /x: missing frames$/,
  );
  assert.throws(
    () => validateFeatureConfig([1], "x"),
    /x: expected an object, got an array$/,
  );
  // The bounds themselves pass: a 2^16 FFT, 512 mels, 128 MFCC, 10,000 frames, 768 kHz.
  validateFeatureConfig(over({
    sr: 768000,
    fmax: 384000,
    nFft: 65536,
    winLength: 65536,
    hopLength: 65536,
    nMels: 512,
    nMfcc: 128,
    frames: 10000,
  }));
  // Only the known keys come back.
  assert.deepEqual(
    Object.keys(validateFeatureConfig({ ...DEFAULT_FEATURE_CONFIG })),
    Object.keys(DEFAULT_FEATURE_CONFIG),
  );
});

Deno.test("resolveFeatureConfig: a partial config over the defaults, held to the same schema", () => {
  assert.deepEqual(resolveFeatureConfig({}), DEFAULT_FEATURE_CONFIG);
  assert.deepEqual(
    resolveFeatureConfig({ nMfcc: 20 }),
    { ...DEFAULT_FEATURE_CONFIG, nMfcc: 20 },
  );
  assert.throws(
    () => resolveFeatureConfig({ nmfcc: 20 }, "run.json features"),
    /run\.json features: unknown key "nmfcc" \(did you mean nMfcc\?\)/,
  );
  assert.throws(
    () => resolveFeatureConfig("mfcc", "run.json features"),
    /run\.json features: expected an object, got "mfcc" \(a string\)$/,
  );
});

Deno.test("extractBatch: a bad config is reported once, before any clip", async () => {
  using tmp = tempDir();
  const file = path.join(tmp.path, "a.wav");
  Deno.writeFileSync(file, encodeWav(new Float32Array(8000), 16000));
  const bad = over({ nMfcc: "20" }) as unknown as typeof DEFAULT_FEATURE_CONFIG;
  for (const workers of [1, 2]) {
    let clips = 0;
    await assert.rejects(
      extractBatch([file, file, file], bad, {
        workers,
        cacheDir: null,
        onProgress: () => clips++,
      }),
      /^Error: feature config: nMfcc must be an integer, got "20" \(a string\)$/,
    );
    assert.equal(clips, 0);
  }
});

Deno.test("extractBatch: workers are capped at the cores", async () => {
  using tmp = tempDir();
  const paths = Array.from({ length: 3 }, (_, i) => {
    const file = path.join(tmp.path, `a${i}.wav`);
    Deno.writeFileSync(file, encodeWav(new Float32Array(8000), 16000));
    return file;
  });
  const result = await extractBatch(paths, DEFAULT_FEATURE_CONFIG, {
    workers: 64,
    cacheDir: null,
  });
  assert.equal(result.errors.length, 0);
  assert.equal(result.workers, Math.min(3, navigator.hardwareConcurrency));
  await assert.rejects(
    extractBatch(paths, DEFAULT_FEATURE_CONFIG, { workers: 0.5 }),
    /workers must be a positive integer, got 0\.5/,
  );
});

Deno.test("deno task train --config: the features section is checked at the door", async () => {
  using tmp = tempDir();
  const config = path.join(tmp.path, "run.json");
  for (
    const [features, expected] of [
      [{ nmfcc: 20 }, /unknown key "nmfcc" \(did you mean nMfcc\?\)/],
      [{ nMfcc: "20" }, /nMfcc must be an integer, got "20" \(a string\)/],
      [{ frames: 1e9 }, /frames must be within 1–10000, got 1000000000/],
    ] as const
  ) {
    Deno.writeTextFileSync(config, JSON.stringify({ features }));
    const run = await runCliScript("lib/cli/train.ts", [
      "--config",
      config,
      "--data",
      path.join(tmp.path, "no-such-corpus"),
      "--out",
      path.join(tmp.path, "model"),
    ]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`^error: ${config} features: `, "m"));
    assert.match(run.stderr, expected);
  }
});
