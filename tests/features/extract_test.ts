import assert from "node:assert/strict";
import {
  DEFAULT_FEATURE_CONFIG,
  extractFeatures,
  type FeatureConfig,
  featureConfigHash,
  featureDims,
  fixLength,
  mfcc,
  validateFeatureConfig,
} from "../../lib/features/mod.ts";
import { delta } from "../../lib/features/delta.ts";
import { createRng } from "../../lib/random.ts";

const cfg = (over: Partial<FeatureConfig>): FeatureConfig => ({
  ...DEFAULT_FEATURE_CONFIG,
  ...over,
});

/** 1 s of a noisy vowel-like tone at 16 kHz with 0.5 s of silence either side. */
function utterance(): Float32Array {
  const rng = createRng("extract-test");
  const x = new Float32Array(32000);
  for (let i = 8000; i < 24000; i++) {
    x[i] = 0.3 * Math.sin((2 * Math.PI * 220 * i) / 16000) +
      0.1 * Math.sin((2 * Math.PI * 1760 * i) / 16000) + 0.01 * rng.normal();
  }
  return x;
}

Deno.test("config: dims, stable hash that follows every field, validation", () => {
  assert.equal(featureDims(DEFAULT_FEATURE_CONFIG), 120);
  assert.equal(featureDims(cfg({ kind: "logmel", deltaOrder: 1 })), 128);
  assert.equal(featureDims(cfg({ deltaOrder: 0 })), 40);
  const h = featureConfigHash(DEFAULT_FEATURE_CONFIG);
  assert.match(h, /^[0-9a-f]{16}$/);
  assert.equal(featureConfigHash({ ...DEFAULT_FEATURE_CONFIG }), h);
  const reordered = Object.fromEntries(
    Object.entries(DEFAULT_FEATURE_CONFIG).reverse(),
  );
  assert.equal(featureConfigHash(reordered as unknown as FeatureConfig), h);
  assert.notEqual(featureConfigHash(cfg({ flavour: "meyda" })), h);
  assert.notEqual(featureConfigHash(cfg({ trimTopDb: null })), h);
  assert.notEqual(featureConfigHash(cfg({ frames: 301 })), h);
  assert.deepEqual(
    validateFeatureConfig(JSON.parse(JSON.stringify(DEFAULT_FEATURE_CONFIG))),
    DEFAULT_FEATURE_CONFIG,
  );
  assert.throws(
    () => validateFeatureConfig(cfg({ winLength: 600 }), "model.json"),
    /model\.json: winLength 600 > nFft 512/,
  );
  assert.throws(
    () => validateFeatureConfig(cfg({ nFft: 400, winLength: 400 })),
    /power of two/,
  );
  assert.throws(() => validateFeatureConfig(cfg({ fmax: 9000 })), /fmax/);
  assert.throws(
    () => validateFeatureConfig({ ...DEFAULT_FEATURE_CONFIG, version: 2 }),
    /version/,
  );
});

Deno.test("extractFeatures: trimmed MFCC with stacked deltas equals its parts", () => {
  const x = utterance();
  const raw = extractFeatures(x, cfg({ normalize: "none" }));
  // Trimming at 60 dB drops most of the 1 s of silence (≈ 100 frames at hop 160).
  const untrimmed = extractFeatures(
    x,
    cfg({ normalize: "none", trimTopDb: null }),
  );
  assert.equal(untrimmed.frames, 201);
  assert.ok(
    raw.frames < 130 && raw.frames > 100,
    `trimmed frames ${raw.frames}`,
  );
  assert.equal(raw.dims, 120);
  // Columns: [mfcc | delta | delta-delta] of the trimmed signal.
  const trimmed = extractFeatures(x, cfg({ normalize: "none", deltaOrder: 0 }));
  assert.equal(mfcc(x, DEFAULT_FEATURE_CONFIG).frames, 201);
  const m = new Float64Array(trimmed.data);
  const d1 = delta(m, trimmed.frames, 40, { order: 1 });
  const d2 = delta(m, trimmed.frames, 40, { order: 2 });
  for (let t = 0; t < raw.frames; t += 7) {
    for (let k = 0; k < 40; k += 3) {
      assert.ok(Math.abs(raw.data[t * 120 + k] - m[t * 40 + k]) < 1e-4);
      assert.ok(Math.abs(raw.data[t * 120 + 40 + k] - d1[t * 40 + k]) < 1e-4);
      assert.ok(Math.abs(raw.data[t * 120 + 80 + k] - d2[t * 40 + k]) < 1e-4);
    }
  }
});

Deno.test("extractFeatures: per-utterance normalisation gives zero mean, unit variance", () => {
  const f = extractFeatures(
    utterance(),
    cfg({ kind: "logmel", deltaOrder: 1 }),
  );
  assert.equal(f.dims, 128);
  for (const d of [0, 5, 63, 64, 127]) {
    let s = 0;
    let s2 = 0;
    for (let t = 0; t < f.frames; t++) s += f.data[t * f.dims + d];
    const mean = s / f.frames;
    for (let t = 0; t < f.frames; t++) {
      s2 += (f.data[t * f.dims + d] - mean) ** 2;
    }
    assert.ok(Math.abs(mean) < 1e-4, `dim ${d} mean ${mean}`);
    assert.ok(Math.abs(Math.sqrt(s2 / f.frames) - 1) < 1e-3, `dim ${d} std`);
  }
});

Deno.test("extractFeatures: meyda flavour shapes, and empty input is an error", () => {
  const f = extractFeatures(
    utterance(),
    cfg({ flavour: "meyda", deltaOrder: 1, trimTopDb: null }),
  );
  assert.equal(f.frames, 201);
  assert.equal(f.dims, 80);
  assert.ok(f.data.every(Number.isFinite));
  assert.throws(
    () => extractFeatures(new Float32Array(0), DEFAULT_FEATURE_CONFIG),
    /empty audio/,
  );
});

Deno.test("delta: exact slopes on polynomials, short inputs shrink the window", () => {
  // x(t) = 3t (linear): delta = 3 everywhere; x(t) = t² : delta-delta = 2.
  for (const frames of [20, 5, 4, 3]) {
    const lin = Float64Array.from({ length: frames }, (_, t) => 3 * t);
    const quad = Float64Array.from({ length: frames }, (_, t) => t * t);
    for (const v of delta(lin, frames, 1, { order: 1 })) {
      assert.ok(Math.abs(v - 3) < 1e-9);
    }
    for (const v of delta(quad, frames, 1, { order: 2 })) {
      assert.ok(Math.abs(v - 2) < 1e-9);
    }
  }
  assert.deepEqual([...delta(new Float64Array([1, 5]), 2, 1)], [0, 0]);
  assert.throws(() => delta(new Float64Array(9), 9, 1, { width: 4 }), /odd/);
});

Deno.test("fixLength: centre or start crop, zero padding, true length kept", () => {
  const m = {
    data: Float32Array.from({ length: 10 * 2 }, (_, i) => i),
    frames: 10,
    dims: 2,
  };
  const c = fixLength(m, 4);
  assert.deepEqual([...c.data], [6, 7, 8, 9, 10, 11, 12, 13]);
  assert.equal(c.length, 4);
  assert.deepEqual([...fixLength(m, 4, "start").data], [
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
  ]);
  const p = fixLength(m, 12);
  assert.equal(p.length, 10);
  assert.equal(p.frames, 12);
  assert.deepEqual([...p.data.subarray(18)], [18, 19, 0, 0, 0, 0]);
  assert.throws(() => fixLength(m, 0), /positive integer/);
});
